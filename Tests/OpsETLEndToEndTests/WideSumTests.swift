import Foundation
import Testing

/// SPEC §9 "Sums never overflow": every value fits 64 bits in units of 1/10 000, but totals are
/// wider. Spend, impressions, clicks, attributed and cohort revenue, gross profit and the totals
/// below all pass 2⁶³ (9 223 372 036 854 775 808 units = 922 337 203 685 477.5808 in money), and
/// every output is exact to the cent — CSV, JSON, Markdown, HTML — as are the ratios. Before
/// the totals were 128 bits wide this shop trapped with "arithmetic overflow" (exit 132).
///
/// The expected numbers, worked out by hand:
/// - facebook spend 900 000 000 000 000.00 × 2 + 900 000 000 000 000.01 = 2 700 000 000 000 000.01
///   (27 000 000 000 000 000 100 units ≈ 2.9 × 2⁶³); impressions 3 × 9·10¹⁸ = 2.7·10¹⁹;
///   clicks 3 × 4·10¹⁸ = 1.2·10¹⁹; revenue 3 × 900 000 000 000 000.00 + 0.05 = 2 700 000 000 000 000.05;
///   roi 0.04 / 2 700 000 000 000 000.01 ≈ 1.5·10⁻¹⁷ → 0.000000; roas → 1.000000;
///   cpa = cac = 2 700 000 000 000 000.01 / 3 = 900 000 000 000 000.0033… → 900000000000000.00;
///   arpu = 2 700 000 000 000 000.05 / 3 = 900 000 000 000 000.0166… → 900000000000000.02; ctr 12/27 = 0.444444.
/// - google spend 2 × 600 000 000 000 000.00 = 1 200 000 000 000 000.00; revenue 300 000 000 000 000.00;
///   roi (3 − 12)/12 = −0.75; roas 0.25.
/// - total spend 3 900 000 000 000 000.01, revenue 3 000 000 000 000 000.05;
///   roi = −899 999 999 999 999.96 / 3 900 000 000 000 000.01 = −0.2307692… → −0.230769 (≈ −3/13);
///   roas = 0.7692307… → 0.769231; cpa = cac = 3 900 000 000 000 000.01 / 4 = 975 000 000 000 000.0025
///   → 975000000000000.00; arpu = 3 000 000 000 000 000.05 / 4 = 750 000 000 000 000.0125 → 750000000000000.01.
/// - the one cohort (week of 2024-12-30, 4 users) has all the revenue in period 0: 3 000 000 000 000 000.05.
/// - goal `cac.total` max 1: gap 975 000 000 000 000.0025 − 1 → 974999999999999.00; `roi.cut` for google:
///   spend − gross profit = 1 200 000 000 000 000.00 − 300 000 000 000 000.00 = 900000000000000.00.
@Suite struct WideSumTests {
    static func shop() -> Workspace {
        let ws = Workspace()
        ws.write("data/users.csv", """
            user_id,signup_at,channel
            f1,2025-01-01,facebook
            f2,2025-01-01,facebook
            f3,2025-01-02,facebook
            g1,2025-01-02,google

            """)
        ws.write("data/sales.csv", """
            order_id,user_id,ordered_at,amount,status
            o1,f1,2025-01-02,900000000000000.00,paid
            o2,f2,2025-01-02,"900,000,000,000,000.00",paid
            o3,f3,2025-01-03,900000000000000.00,paid
            o4,f1,2025-01-03,0.05,paid
            o5,g1,2025-01-03,300000000000000.00,paid

            """)
        ws.write("data/channels.csv", """
            date,channel,spend,impressions,clicks
            2025-01-01,facebook,900000000000000.00,9000000000000000000,4000000000000000000
            2025-01-02,facebook,900000000000000.00,"9,000,000,000,000,000,000",4000000000000000000
            2025-01-03,facebook,900000000000000.01,9000000000000000000,4000000000000000000
            2025-01-01,google,600000000000000.00,,
            2025-01-02,google,600000000000000.00,,

            """)
        ws.write("pipelines/wide.json", """
            { "version": 1, "name": "wide", "since": "2025-01-01", "as_of": "2025-01-31", "currency": "USD",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" } },
              "retention": { "period": "week", "periods": 2 },
              "targets": [ { "metric": "revenue.total", "min": 3000000000000000.05 }, { "metric": "cac.total", "max": 1 } ],
              "output": { "dir": "../out" } }
            """)
        return ws
    }

    @Test func totalsPast64BitsAreExactInEveryOutput() throws {
        let ws = Self.shop()
        let result = try ws.run("run", "pipelines/wide.json")
        #expect(result.status == 0, "\(result.stderr)")

        #expect(ws.read("out/channel_roi.csv") == """
            channel,spend,impressions,clicks,signups,paying_users,revenue,gross_profit,roi,roas,cpa,cac,arpu,ctr,signup_rate,pay_rate
            facebook,2700000000000000.01,27000000000000000000,12000000000000000000,3,3,2700000000000000.05,2700000000000000.05,0.000000,1.000000,900000000000000.00,900000000000000.00,900000000000000.02,0.444444,0.000000,1.000000
            google,1200000000000000.00,,,1,1,300000000000000.00,300000000000000.00,-0.750000,0.250000,1200000000000000.00,1200000000000000.00,300000000000000.00,,,1.000000
            total,3900000000000000.01,27000000000000000000,12000000000000000000,4,4,3000000000000000.05,3000000000000000.05,-0.230769,0.769231,975000000000000.00,975000000000000.00,750000000000000.01,0.444444,0.000000,1.000000
            total_paid,3900000000000000.01,27000000000000000000,12000000000000000000,4,4,3000000000000000.05,3000000000000000.05,-0.230769,0.769231,975000000000000.00,975000000000000.00,750000000000000.01,0.444444,0.000000,1.000000

            """)
        let cells = try #require(ws.read("out/cohort_retention.csv"))
        #expect(cells.contains("\n2024-12-30,4,0,4,1.000000,3000000000000000.05,false\n"))

        let goals = try #require(ws.read("out/goals.csv"))
        #expect(goals.contains("\nrevenue.total,,min,3000000000000000.05,3000000000000000.05,met,0.00"))
        #expect(goals.contains("\ncac.total,,max,1.00,975000000000000.00,missed,974999999999999.00"))
        let suggestions = try #require(ws.read("out/suggestions.csv"))
        #expect(suggestions.contains(",roi.cut,google,"))
        #expect(suggestions.contains(",900000000000000.00,USD"))

        let summary = try #require(ws.read("out/summary.json"))
        for line in [#""roi.total": -0.230769,"#, #""roas.total": 0.769231,"#, #""cac.total": 975000000000000.00,"#,
                     #""revenue.total": 3000000000000000.05,"#, #""roi.facebook": 0.000000,"#, #""roas.google": 0.250000,"#] {
            #expect(summary.contains(line), "summary.json lacks \(line)")
        }

        let md = try #require(ws.read("out/report.md"))
        let html = try #require(ws.read("out/report.html"))
        for money in ["$3,900,000,000,000,000.01", "$3,000,000,000,000,000.05", "$2,700,000,000,000,000.01",
                      "$2,700,000,000,000,000.05", "$975,000,000,000,000.00", "$974,999,999,999,999.00"] {
            #expect(md.contains(money), "report.md lacks \(money)")
            #expect(html.contains(money), "report.html lacks \(money)")
        }
    }
}
