import Foundation
import Testing

/// SPEC §3.1: `channels` is optional. Without spend data `spend`, `impressions`, `clicks` and the
/// ROI columns computed from them (`roi`, `roas`, `cpa`, `cac`, `ctr`, `signup_rate`) are null,
/// the others are still computed, `data_quality.csv` has no channels row, the report says
/// "no spend data" instead of zeros, and the ROI suggestions do not fire.
@Suite struct NoSpendDataTests {
    static func shop(language: String = "en") -> Workspace {
        let ws = Workspace()
        ws.write("data/users.csv", "user_id,signup_at,channel\nu1,2025-01-01,facebook\nu2,2025-01-02,facebook\nu3,2025-01-03,organic\n")
        // o2 is a zero-amount sale (not a purchase), o4 a refund line of u1.
        ws.write("data/sales.csv", """
            order_id,user_id,ordered_at,amount
            o1,u1,2025-01-05,100.00
            o2,u2,2025-01-06,0
            o3,u3,2025-01-07,50.00
            o4,u1,2025-01-08,-20.00

            """)
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31", "language": "\(language)",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" } },
              "targets": [ { "metric": "roi.total", "min": 0.5 }, { "metric": "cac.total", "max": 80 }, { "metric": "revenue.total", "min": 100 } ],
              "output": { "dir": "../reports/{name}" } }
            """)
        return ws
    }

    @Test func aRunWithoutChannelsHasNullSpendColumns() throws {
        let ws = Self.shop()
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        // By hand (gross margin 1, 90-day window): facebook = u1 + u2, revenue 100 + 0 − 20 = 80.00, one
        // paying user (u1; u2's only sale is 0), arpu 80 / 2 = 40.00, pay_rate 1 / 2. organic = u3: 50.00.
        // total: 3 signups, 2 paying, 130.00, arpu 130 / 3 = 43.33, pay_rate 2 / 3. total_paid: no
        // channel has spend, so zeros and nulls. Channels tie on (null) spend and sort by name.
        #expect(ws.read("reports/shop/channel_roi.csv") == """
            channel,spend,impressions,clicks,signups,paying_users,revenue,gross_profit,roi,roas,cpa,cac,arpu,ctr,signup_rate,pay_rate
            facebook,,,,2,1,80.00,80.00,,,,,40.00,,,0.500000
            organic,,,,1,1,50.00,50.00,,,,,50.00,,,1.000000
            total,,,,3,2,130.00,130.00,,,,,43.33,,,0.666667
            total_paid,,,,0,0,0.00,0.00,,,,,,,,

            """)
        #expect(ws.read("reports/shop/data_quality.csv") == """
            input,rows_read,rows_kept,rejected,duplicates,after_as_of,excluded_status,unknown_user_ignored,reject_rate
            users,3,3,0,0,0,0,0,0.000000
            sales,4,4,0,0,0,0,0,0.000000

            """)
        #expect(ws.listing("reports/shop/rejects") == ["sales.csv", "users.csv"])
        // Goals on spend ratios have no data; revenue is still measured.
        #expect(ws.read("reports/shop/goals.csv") == """
            metric,label,kind,target,actual,status,gap,baseline,start,deadline,projected
            roi.total,,min,0.500000,,no_data,,,,,
            cac.total,,max,80.00,,no_data,,,,,
            revenue.total,,min,100.00,130.00,met,30.00,,,,

            """)
        // No ROI rule fires on nulls: only the missed/no-data goals could speak, and no_data is silent.
        let suggestions = try #require(ws.read("reports/shop/suggestions.csv"))
        #expect(!suggestions.contains(",roi.cut,") && !suggestions.contains(",roi.scale,"))
        let summary = try #require(ws.read("reports/shop/summary.json"))
        #expect(summary.contains(#""roi.total": null"#) && summary.contains(#""cac.total": null"#))
        #expect(!summary.contains(#""input": "channels""#))
    }

    /// SPEC §3.1 and §4.4: without spend data a trend's `spend` and `roas` are null too, not 0 and not
    /// a division by 0. Weekly trends (Monday weeks; since defaults to 2025-01-01, a Wednesday): the week
    /// of 2025-01-06 holds o2 (0, u2, Monday: no purchase), o3 (u3, 50.00) and o4 (u1, −20.00, a refund
    /// line): revenue 0 + 50 − 20 = 30.00 from 1 order (o3); spend and roas empty on every row.
    @Test func trendSpendIsNullWithoutChannels() throws {
        let ws = Self.shop()
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        let trends = try #require(ws.read("reports/shop/trends.csv"))
        let lines = trends.split(separator: "\n").map(String.init)
        #expect(lines.first == "segment,period,partial,signups,total_users,active_users,paying_users,"
                + "new_paying_users,orders,revenue,spend,aov,arppu,roas,stickiness")
        let week = try #require(lines.first { $0.hasPrefix("all,2025-01-06,") })
        let cells = week.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(cells[9] == "30.00" && cells[8] == "1" && cells[10] == "" && cells[13] == "")
        for line in lines.dropFirst() {
            let c = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(c[10] == "" && c[13] == "", "\(line)")
        }
    }

    @Test(arguments: [("en", "No spend data: the pipeline has no channels input", "no spend data"),
                      ("zh", "无支出数据：流水线没有 channels 输入", "无支出数据")])
    func theReportSaysNoSpendDataInsteadOfZeros(language: String, note: String, cell: String) throws {
        let ws = Self.shop(language: language)
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        for file in ["report.html", "report.md"] {
            let text = try #require(ws.read("reports/shop/\(file)"))
            #expect(text.contains(note), "\(file)")
        }
        // Every row's spend cell says so (total_paid's revenue of 0.00 is a real zero: no paid channel).
        let html = try #require(ws.read("reports/shop/report.html"))
        let total = language == "en" ? ("Total", "Paid channels") : ("合计", "付费渠道合计")
        for row in ["<tr><td>facebook</td>", "<tr><td>organic</td>", #"<tr class="total"><td>\#(total.0)</td>"#,
                    #"<tr class="total"><td>\#(total.1)</td>"#] {
            #expect(html.contains(row + "<td>\(cell)</td>"), "\(row)")
        }
        // The chart's spend bars (HTML bars) say so too, instead of a 0.
        #expect(html.contains(#"<span class="bar-value">\#(cell)</span>"#))
        let md = try #require(ws.read("reports/shop/report.md"))
        #expect(md.contains("| facebook | \(cell) | $80.00 |"))
    }

    @Test func validateAcceptsAPipelineWithoutChannels() throws {
        let ws = Self.shop()
        let result = try ws.run("validate", "pipelines/shop.json")
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("ok: pipelines/shop.json is valid (2 input file(s) checked)\n"))
    }
}
