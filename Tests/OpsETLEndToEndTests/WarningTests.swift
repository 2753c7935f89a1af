import Foundation
import Testing

/// SPEC §9 **Warnings**: every setting that matched nothing in the data is named — on stderr, in
/// `summary.json` (`warnings`: `{code, message}`) and in the report's data-quality section (en and
/// zh) — with the nearest names that exist; warnings never change a number or the exit code.
@Suite struct WarningTests {
    /// Three users (u1 via the alias `fb`), one paid and one zero-amount sale, spend on facebook,
    /// events `view_item` and `add_to_cart`.
    static func shop(language: String = "en", extra: String) -> Workspace {
        let ws = Workspace()
        ws.write("data/users.csv", "user_id,signup_at,channel\nu1,2025-01-01,fb\nu2,2025-01-02,organic\nu3,2025-01-03,facebook\n")
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount\no1,u1,2025-01-05,10.00\no2,u2,2025-01-06,0\n")
        ws.write("data/channels.csv", "date,channel,spend\n2025-01-01,facebook,100\n")
        ws.write("data/events.csv", "user_id,event,occurred_at\nu1,view_item,2025-01-02\nu2,add_to_cart,2025-01-03\n")
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31", "language": "\(language)",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" }, "events": { "path": "../data/events.csv" } },
              \(extra),
              "output": { "dir": "../reports/{name}" } }
            """)
        return ws
    }

    static let misspelt = """
        "cleaning": { "channel_aliases": { "fb": "facebook", "Gogle": "google" } },
        "retention": { "activity": ["purchases"] },
        "funnel": { "steps": ["signup", "view_itme", "purchase"] },
        "targets": [ { "metric": "roi.totl", "min": 1 }, { "metric": "roas.facebok", "min": 1 }, { "metric": "cac.tiktok", "max": 10 } ]
        """

    static let expectedStderr = """
        opsetl: warning: unknown_event: funnel.steps[1]: no event in the data is named "view_itme", so it matches nothing; did you mean "view_item"?
        opsetl: warning: unknown_event: retention.activity[0]: no event in the data is named "purchases", so it matches nothing; did you mean "purchase"?
        opsetl: warning: unknown_channel: targets[0].metric: "roi.totl" names the channel "totl", which no ROI row has, so the goal is no_data; did you mean "total"?
        opsetl: warning: unknown_channel: targets[1].metric: "roas.facebok" names the channel "facebok", which no ROI row has, so the goal is no_data; did you mean "facebook"?
        opsetl: warning: unknown_channel: targets[2].metric: "cac.tiktok" names the channel "tiktok", which no ROI row has, so the goal is no_data; the names in the data are "facebook", "organic", "total", "total_paid".
        opsetl: warning: unused_alias: cleaning.channel_aliases.Gogle: no channel in the data is "gogle", so the alias is never used; the names in the data are "facebook", "organic".

        """

    @Test func eachWarningNamesTheSettingAndTheNearestNames() throws {
        let ws = Self.shop(extra: Self.misspelt)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0)
        #expect(result.stderr == Self.expectedStderr)
        // summary.json: the same words, as {code, message}.
        let summary = try #require(ws.read("reports/shop/summary.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        let warnings = try #require(object["warnings"] as? [[String: String]])
        #expect(warnings.map { $0["code"]! } == ["unknown_event", "unknown_event", "unknown_channel", "unknown_channel",
                                                 "unknown_channel", "unused_alias"])
        let lines = Self.expectedStderr.split(separator: "\n").map(String.init)
        #expect(warnings.map { "opsetl: warning: \($0["code"]!): \($0["message"]!)" } == lines)
        // The report's data-quality section lists them (HTML-escaped) …
        let html = try #require(ws.read("reports/shop/report.html"))
        #expect(html.contains("<h3>Warnings</h3>"))
        #expect(html.contains("<li>funnel.steps[1]: no event in the data is named &quot;view_itme&quot;, so it matches nothing; did you mean &quot;view_item&quot;?</li>"))
        #expect(html.contains("<li>cleaning.channel_aliases.Gogle: no channel in the data is &quot;gogle&quot;, so the alias is never used; the names in the data are &quot;facebook&quot;, &quot;organic&quot;.</li>"))
        // … and so does the Markdown (Markdown-escaped).
        let md = try #require(ws.read("reports/shop/report.md"))
        #expect(md.contains(#"- targets\[0\].metric: "roi.totl" names the channel "totl", which no ROI row has, so the goal is no\_data; did you mean "total"?"#))
        // The goals themselves are no_data: the warning explains, it does not decide.
        #expect(ws.read("reports/shop/goals.csv")?.contains("roi.totl,,min,1.000000,,no_data,") == true)
    }

    /// `trends.activity` is checked like `retention.activity` when it is set apart from it; when it is
    /// left to default to `retention.activity`, a misspelt name is named once, where it is written.
    @Test func trendsActivityIsCheckedToo() throws {
        let ws = Self.shop(extra: #""trends": { "activity": ["view_item", "add_to_card"] }"#)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0)
        #expect(result.stderr == """
            opsetl: warning: unknown_event: trends.activity[1]: no event in the data is named "add_to_card", so it matches nothing; did you mean "add_to_cart"?

            """)
        let once = Self.shop(extra: #""retention": { "activity": ["purchases"] }"#)
        let stderr = try once.run("run", "pipelines/shop.json").stderr
        #expect(stderr.components(separatedBy: "unknown_event").count == 2, "\(stderr)")
    }

    @Test func theChineseReportWordsThemInChinese() throws {
        let ws = Self.shop(language: "zh", extra: Self.misspelt)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0)
        // stderr stays English (it is read by whoever runs the job); the report and summary.json are in zh.
        #expect(result.stderr == Self.expectedStderr)
        let html = try #require(ws.read("reports/shop/report.html"))
        #expect(html.contains("<h3>警告</h3>"))
        #expect(html.contains("<li>funnel.steps[1]：数据中没有名为 &quot;view_itme&quot; 的事件，因此它匹配不到任何内容；是否想写 &quot;view_item&quot;？</li>"))
        #expect(html.contains("<li>targets[2].metric：&quot;cac.tiktok&quot; 指定的渠道 &quot;tiktok&quot; 没有任何 ROI 行，因此该目标为无数据；数据中的名称有：&quot;facebook&quot;, &quot;organic&quot;, &quot;total&quot;, &quot;total_paid&quot;。</li>"))
        #expect(ws.read("reports/shop/summary.json")?.contains(#""message": "cleaning.channel_aliases.Gogle：数据中没有渠道 \"gogle\"，因此该别名从未生效；数据中的名称有：\"facebook\", \"organic\"。""#) == true)
    }

    /// The same shop with the misspelt settings and with none of them: every analysis table is identical.
    @Test func warningsChangeNoNumber() throws {
        let plain = """
            "cleaning": { "channel_aliases": { "fb": "facebook" } },
            "retention": { "activity": ["purchases"] },
            "funnel": { "steps": ["signup", "view_itme", "purchase"] }
            """
        let a = Self.shop(extra: Self.misspelt)
        let b = Self.shop(extra: plain)
        #expect(try a.run("run", "pipelines/shop.json").status == 0)
        let run = try b.run("run", "pipelines/shop.json")
        #expect(run.status == 0)
        for table in ["data_quality.csv", "cohort_retention.csv", "cohort_retention_matrix.csv", "funnel.csv", "channel_roi.csv"] {
            #expect(a.read("reports/shop/\(table)") == b.read("reports/shop/\(table)"), "\(table)")
        }
    }

    @Test func settingsThatAllMatchGiveNoWarning() throws {
        let ws = Self.shop(extra: """
            "cleaning": { "channel_aliases": { "fb": "facebook" } },
            "funnel": { "steps": ["signup", "view_item", "add_to_cart", "purchase"] },
            "targets": [ { "metric": "roi.total", "min": 1 }, { "metric": "roas.Facebook", "min": 1 }, { "metric": "cac.organic", "max": 10 } ]
            """)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(ws.read("reports/shop/summary.json")?.contains(#""warnings": []"#) == true)
        #expect(ws.read("reports/shop/report.md")?.contains("Every setting matched something in the data.") == true)
    }

    /// A CRM export whose deals all have amount 0: no `purchase` at all (SPEC §3.5). The run still
    /// succeeds; `no_purchases` says why every purchase-based number is zero, and the data-quality
    /// section counts the kept sales with amount ≤ 0 (here 2 of 3: 0 and a −5.00 refund line).
    @Test func zeroAmountSalesWarnNoPurchases() throws {
        let ws = Self.shop(extra: #""funnel": { "steps": ["signup", "purchase"] }"#)
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount\no1,u1,2025-01-05,0\no2,u2,2025-01-06,0.00\no3,u2,2025-01-07,-5.00\n")
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0)
        #expect(result.stderr == "opsetl: warning: no_purchases: sales: no kept sale has an amount above 0 (3 kept), so there is no "
            + "purchase event (purchase is made from sales with an amount above 0); retention, the funnel and paying users count no purchase.\n")
        #expect(ws.read("reports/shop/funnel.csv")?.contains("all,2,purchase,0,0.000000,0.000000,3,\n") == true)
        let md = try #require(ws.read("reports/shop/report.md"))
        #expect(md.contains("Kept sales with an amount of 0 or less: 3. They count in revenue but are not purchases (the built-in purchase event is made from sales with an amount above 0)."))
        #expect(md.contains("- sales: no kept sale has an amount above 0 (3 kept)"))
    }

    @Test func theCountOfZeroAmountSalesIsShownEvenWithPurchases() throws {
        let ws = Self.shop(extra: #""funnel": { "steps": ["signup", "purchase"] }"#)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.stderr.isEmpty)
        #expect(ws.read("reports/shop/report.md")?.contains("Kept sales with an amount of 0 or less: 1.") == true)
        let zh = Self.shop(language: "zh", extra: #""funnel": { "steps": ["signup", "purchase"] }"#)
        #expect(try zh.run("run", "pipelines/shop.json").status == 0)
        #expect(zh.read("reports/shop/report.html")?.contains("金额为 0 或更低的保留销售记录：1 条。") == true)
    }
}
