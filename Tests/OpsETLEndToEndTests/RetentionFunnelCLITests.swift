import Foundation
import Testing

/// SPEC §4.1.1, §4.2 and §9 through the built binary: `day_retention.csv` and its headline metrics in
/// `summary.json`, a strict funnel, and the exit-2 pipeline errors of the new settings, one line each.
@Suite struct RetentionFunnelCLITests {
    static func pipeline(retention: String, funnel: String = "", targets: String = "") -> String {
        """
        { "version": 1, "name": "shop", "as_of": "2025-01-31",
          "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                      "channels": { "path": "../data/channels.csv" } },
          "retention": \(retention),\(funnel.isEmpty ? "" : " \"funnel\": \(funnel),")\(targets.isEmpty ? "" : " \"targets\": \(targets),")
          "output": { "dir": "../reports/{name}-{as_of}" } }
        """
    }

    /// `writeShop`: u1 … u20 sign up 2025-01-01 … 2025-01-20 (UTC midnight); u5 buys 01-10 and u6 01-11 — both
    /// 5 days after signing up. Monday weeks: 2024-12-30 {u1 … u5}, 01-06 {u6 … u12}, 01-13 {u13 … u19}, 01-20 {u20}.
    /// Days [5, 0]: everyone's day 5 (at the latest 01-25) is on or before as_of 01-31, so all 20 are eligible for
    /// both days; nobody buys on day 0; u5 and u6 buy on day 5.
    @Test func dayRetentionIsWrittenWithItsHeadlines() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/days.json", Self.pipeline(
            retention: #"{ "period": "week", "days": [5, 0] }"#,
            funnel: #"{ "steps": ["signup", "purchase"], "order": "strict", "by_channel": false }"#,
            targets: #"[{ "metric": "retention.d5", "min": 0.1 }, { "metric": "retention.d0_plus", "min": 0.2 }]"#))
        let result = try ws.run("run", "pipelines/days.json", "--quiet")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("reports/shop-2025-01-31/day_retention.csv") == """
            cohort,cohort_size,day,eligible_users,active_on_day,rate_on_day,active_on_or_after,rate_on_or_after
            2024-12-30,5,0,5,0,0.000000,1,0.200000
            2024-12-30,5,5,5,1,0.200000,1,0.200000
            2025-01-06,7,0,7,0,0.000000,1,0.142857
            2025-01-06,7,5,7,1,0.142857,1,0.142857
            2025-01-13,7,0,7,0,0.000000,0,0.000000
            2025-01-13,7,5,7,0,0.000000,0,0.000000
            2025-01-20,1,0,1,0,0.000000,0,0.000000
            2025-01-20,1,5,1,0,0.000000,0,0.000000

            """)
        let summary = try #require(ws.read("reports/shop-2025-01-31/summary.json"))
        // d0 = 0 / 20, d0_plus = 2 / 20, d5 = d5_plus = 2 / 20.
        #expect(summary.contains(#""retention.d0": 0.000000"#))
        #expect(summary.contains(#""retention.d0_plus": 0.100000"#))
        #expect(summary.contains(#""retention.d5": 0.100000"#))
        #expect(summary.contains(#""retention.d5_plus": 0.100000"#))
        // retention.d5 0.1 ≥ 0.1 is met; retention.d0_plus 0.1 < 0.2 is missed by 0.1.
        #expect(ws.read("reports/shop-2025-01-31/goals.csv")?.contains("retention.d5,,min,0.100000,0.100000,met,0.000000") == true)
        #expect(ws.read("reports/shop-2025-01-31/goals.csv")?.contains("retention.d0_plus,,min,0.200000,0.100000,missed,-0.100000") == true)
        // Strict signup → purchase: u5's and u6's purchase is the event right after their signup.
        #expect(ws.read("reports/shop-2025-01-31/funnel.csv")?.split(separator: "\n").dropFirst() == [
            "all,1,signup,20,1.000000,1.000000,0,", "all,2,purchase,2,0.100000,0.100000,18,432000.0",
        ])
    }

    @Test(arguments: [
        (#"{ "days": [1, 7, 1] }"#, "", "",
         "retention.days[2]: 1 is already listed at retention.days[0]; expected distinct days"),
        (#"{ "days": [1, -7] }"#, "", "",
         "retention.days[1]: -7 is out of range; expected a whole number of days from 0 to 36500"),
        ("{}", #"{ "steps": ["signup", "purchase"], "order": "sequential" }"#, "",
         "funnel.order: \"sequential\" is not one of ordered, strict, any"),
        ("{}", "", #"[{ "metric": "retention.d5", "min": 0.1 }]"#,
         "targets[0].metric: retention.d5 names day 5, which is not in retention.days (1, 7, 30); add 5 to retention.days or use one of its days"),
    ])
    func newSettingsFailWithExit2AndOneLine(_ retention: String, _ funnel: String, _ targets: String, _ message: String) throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/bad.json", Self.pipeline(retention: retention, funnel: funnel, targets: targets))
        for command in ["run", "validate"] {
            let result = try ws.run(command, "pipelines/bad.json")
            #expect(result.status == 2)
            #expect(result.stderr == "opsetl: error: pipelines/bad.json: \(message)\n")
        }
        #expect(!ws.exists("reports"))
    }
}
