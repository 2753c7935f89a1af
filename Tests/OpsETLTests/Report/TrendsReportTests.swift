import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import OpsETL

/// The review over time in the report (SPEC §4.4, §4.5, §6, §7): the scorecard against the previous
/// period (环比) and a year earlier (同比), the time-bound goals' progress bars, one line chart per KPI,
/// the user growth rate and the lifecycle bars, in English and Chinese.
///
/// The shop (weeks start on Monday; since 2024-01-01, as_of 2025-01-19, `trends.periods` 3, activity
/// `purchase`): users a (signup 2024-01-15, ads), b (2025-01-06, ads), c (2025-01-14, organic); sales
/// a 2024-01-16 100, a 2025-01-07 50, b 2025-01-08 30, a 2025-01-14 80, c 2025-01-15 40, c 2025-01-16 40;
/// ads spend 20 on 2024-01-15, 60 on 2025-01-06, 30 on 2025-01-13.
/// Rows: the weeks of 2024-12-30, 2025-01-06 and 2025-01-13, all complete; L = 2025-01-13, the week
/// before 2025-01-06, a year before (52 weeks) 2024-01-15.
/// - L: signups 1 (c), users 3, active a, c = 2, orders 3, revenue 160, spend 30, AOV 160/3 = 53.33,
///   ROAS 160/30 = 5.33, stickiness (a 01-14, c 01-15, c 01-16) 3 / 7 days / 2 = 21.4 %.
/// - 2025-01-06: signups 1, users 2, active 2, orders 2, revenue 80, spend 60, AOV 40.
/// - 2024-01-15: signups 1, users 1, active 1, orders 1, revenue 100, spend 20, AOV 100.
/// So revenue ▲ 100.0 % (80 → 160) and ▲ 60.0 % (100 → 160), both good; spend ▼ 50.0 % (60 → 30, good:
/// a cost fell) and ▲ 50.0 % (20 → 30, bad); total users ▲ 50.0 % and ▲ 200.0 %; signups 0.0 % flat.
/// Lifecycle: 12-30 nobody; 01-06 b new, a resurrecting (not active 12-30); 01-13 c new, a returning,
/// b dormant.
@Suite struct TrendsReportTests {
    static let label = "<b>Revenue</b> up"

    static func run(language: String = "en") throws -> (html: String, md: String) {
        let f = PipelineFixture()
        let d = f.dir
        _ = d.write("users.csv", """
            user_id,signup_at,channel
            a,2024-01-15,ads
            b,2025-01-06,ads
            c,2025-01-14,organic

            """)
        _ = d.write("sales.csv", """
            order_id,user_id,ordered_at,amount,status
            o1,a,2024-01-16T10:00:00,100.00,paid
            o2,a,2025-01-07T10:00:00,50.00,paid
            o3,b,2025-01-08T10:00:00,30.00,paid
            o4,a,2025-01-14T10:00:00,80.00,paid
            o5,c,2025-01-15T10:00:00,40.00,paid
            o6,c,2025-01-16T10:00:00,40.00,paid

            """)
        _ = d.write("channels.csv", """
            date,channel,spend
            2024-01-15,ads,20
            2025-01-06,ads,60
            2025-01-13,ads,30

            """)
        // Goals (baselines in the week of 2024-12-30, before the week of start 2025-01-06; points
        // i = 0 for 01-06, 1 for 01-13; the deadline 01-26 is in the week of 01-20, i = 2):
        // - revenue: baseline 0, target 100, actual 160 → met; line through 80, 160 → 240 (progress 160 %).
        // - orders: baseline 0, target 10, actual 3; line through 2, 3 → 4 < 10 → behind (30 %, 40 %).
        // - total users: baseline 1 (a), target 4, actual 3; line through 2, 3 → 4 → on track
        //   ((3 − 1) / (4 − 1) = 67 %, projection 100 %).
        let json = """
            {
              "version": 1, "name": "trend shop", "timezone": "UTC", "since": "2024-01-01", "as_of": "2025-01-19",
              "currency": "EUR", "language": "\(language)",
              "inputs": { "users": { "path": "users.csv" }, "sales": { "path": "sales.csv" }, "channels": { "path": "channels.csv" } },
              "trends": { "period": "week", "periods": 3 },
              "targets": [
                { "metric": "trend.revenue", "increase_by": 100, "start": "2025-01-06", "by": "2025-01-26", "label": "\(label)" },
                { "metric": "trend.orders", "increase_by": 10, "start": "2025-01-06", "by": "2025-01-26" },
                { "metric": "trend.total_users", "increase_by": 3, "start": "2025-01-06", "by": "2025-01-26" }
              ],
              "output": { "dir": "out/{as_of}" }
            }
            """
        let outcome = try f.job(json).run()
        let dir = outcome.outputDirectory
        return (try String(contentsOfFile: dir + "/report.html", encoding: .utf8),
                try String(contentsOfFile: dir + "/report.md", encoding: .utf8))
    }

    @Test func theScorecardComparesTheLatestWeekWithTheOneBeforeAndAYearEarlier() throws {
        let (html, md) = try Self.run()
        let card = try #require(ReportDocumentTests.section("scorecard", of: html))
        #expect(card.contains("The latest complete week, starting 2025-01-13, against the week before (starting 2025-01-06) and the same week a year earlier (starting 2024-01-15)."))
        #expect(card.contains(#"<div class="label">Revenue</div><div class="value">€160.00</div>"#))
        #expect(card.contains(#"<span class="delta good" title="2025-01-06: €80.00">▲ 100.0%</span> vs previous period"#))
        #expect(card.contains(#"<span class="delta good" title="2024-01-15: €100.00">▲ 60.0%</span> vs a year earlier"#))
        // Spend is a cost: falling is good, rising is bad.
        #expect(card.contains(#"<span class="delta good" title="2025-01-06: €60.00">▼ 50.0%</span>"#))
        #expect(card.contains(#"<span class="delta bad" title="2024-01-15: €20.00">▲ 50.0%</span>"#))
        #expect(card.contains(#"<span class="delta flat" title="2025-01-06: 1">0.0%</span>"#))
        #expect(!card.contains("<svg") && !card.contains("A dash"))
        #expect(md.contains("| Revenue | €160.00 | ▲ 100.0% (2025-01-06: €80.00) | ▲ 60.0% (2024-01-15: €100.00) |"))
        #expect(md.contains("| Total users | 3 | ▲ 50.0% (2025-01-06: 2) | ▲ 200.0% (2024-01-15: 1) |"))
        #expect(md.contains("| ROAS | 5.33 | ▲ 300.0% (2025-01-06: 1.33) | ▲ 6.7% (2024-01-15: 5.00) |"))
        // The scorecard comes first, before the goals.
        let order = ["id=\"scorecard\"", "id=\"goals\"", "id=\"trends\"", "id=\"retention\""].map { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order == order.sorted { $0! < $1! })
    }

    @Test func timeBoundGoalsHaveAProgressBarAndTheProjection() throws {
        let (html, md) = try Self.run()
        let goals = try #require(ReportDocumentTests.section("goals", of: html))
        // Met: 160 of 100 from a baseline of 0, the bar full; the projection 240 is past the target too.
        #expect(goals.contains(#"<div class="progress good"><div class="done" style="width: 100.0%"></div><div class="proj" style="left: calc((100% - 3px) * 1.0000)"></div></div><div class="progress-label">Progress 160% of the way from baseline to target, projected €240.00 by 2025-01-26 (240%)</div>"#))
        // Behind: 3 of 10, projected 4.
        #expect(goals.contains(#"<div class="progress bad"><div class="done" style="width: 30.0%"></div><div class="proj" style="left: calc((100% - 3px) * 0.4000)"></div></div><div class="progress-label">Progress 30% of the way from baseline to target, projected 4 by 2025-01-26 (40%)</div>"#))
        // On track: 2 of the 3 from 1 to 4 (66.7 %), projected exactly 4.
        #expect(goals.contains(#"<div class="done" style="width: 66.7%"></div><div class="proj" style="left: calc((100% - 3px) * 1.0000)"></div>"#))
        #expect(goals.contains("↗ On track") && goals.contains("↘ Behind"))
        // The label is data: escaped in both.
        #expect(goals.contains("&lt;b&gt;Revenue&lt;/b&gt; up") && !html.contains("<b>Revenue"))
        #expect(md.contains("- &lt;b&gt;Revenue&lt;/b&gt; up: Progress 160% of the way from baseline to target, projected €240.00 by 2025-01-26 (240%)"))
        #expect(md.contains("- trend.orders: Progress 30% of the way from baseline to target, projected 4 by 2025-01-26 (40%)"))
    }

    @Test func theTrendsSectionHasAChartPerKPIAndTheLifecycle() throws {
        let (html, md) = try Self.run()
        let trends = try #require(ReportDocumentTests.section("trends", of: html))
        // 12 KPIs, each with a value in some week, plus the user growth rate; then the lifecycle.
        #expect(trends.components(separatedBy: "<figure class=\"kpi-chart\">").count - 1 == 13)
        #expect(trends.components(separatedBy: "<svg").count - 1 == 14)
        #expect(trends.contains(#"<span class="name">User growth rate</span><span class="latest">50.0%</span>"#))
        #expect(trends.contains(#"<span class="name">Revenue</span><span class="latest">€160.00</span>"#))
        #expect(trends.contains(#"aria-label="Revenue per week""#))
        // The year before exists (2024-01-15 for the last week): a dashed grey line.
        #expect(trends.contains(##"stroke="#9ca3af" stroke-width="1.4" stroke-linejoin="round" stroke-dasharray="3 3""##))
        #expect(trends.contains("<h3 id=\"lifecycle\">User lifecycle</h3>"))
        #expect(trends.contains("<tr><td>2025-01-13</td><td>1</td><td>1</td><td>0</td><td>−1</td></tr>"))
        #expect(md.contains("### Trends"))
        #expect(md.contains("| 2024-12-30 | 0 | 0 | 0 | 0 |"))
        #expect(md.contains("| 2025-01-06 | 1 | 0 | 1 | 0 |"))
        #expect(md.contains("| 2025-01-13 | 1 | 1 | 0 | −1 |"))
        // The KPI table: signups, total users, the user growth rate (2 → 3: 50.0 %), active, paying, new paying,
        // orders, revenue, spend, AOV, ARPPU, ROAS, stickiness. The week of 2024-12-23 was not computed, so
        // the first row has no growth rate.
        #expect(md.contains("| 2025-01-13 | 1 | 3 | 50.0% | 2 | 2 | 1 | 3 | €160.00 | €30.00 | €53.33 | €80.00 | 5.33 | 21.4% | "))
        #expect(md.contains("| 2024-12-30 | 0 | 1 | n/a | 0 | 0 | 0 | 0 | €0.00 | €0.00 | n/a | n/a | n/a | n/a | "))
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "report.html is not well-formed: \(String(describing: parser.parserError))")
    }

    @Test func theChineseReportWordsTheReviewOverTime() throws {
        let (html, md) = try Self.run(language: "zh")
        for word in ["趋势", "环比", "同比", "用户增长率", "活跃用户", "付费用户", "新用户", "回流用户", "流失用户", "进度", "预计",
                     "按计划进行", "落后于计划"] {
            #expect(html.contains(word), "\(word) in report.html")
            #expect(md.contains(word), "\(word) in report.md")
        }
        let trends = try #require(ReportDocumentTests.section("trends", of: html))
        #expect(trends.contains("<h2>趋势</h2>"))
        #expect(trends.contains(#"<span class="name">用户增长率</span>"#))
        #expect(html.contains("进度 30%（从基线到目标），预计 2025年1月26日 达到 4（40%）"))
        #expect(!ReportDocumentTests.containsWords(ReportDocumentTests.visibleText(trends), "User growth rate"))
    }

    /// `ReportFixture`'s shop starts on 2025-01-01: no week a year before the latest complete one (2025-01-20)
    /// is in the data, so every year-over-year change is a dash, and no chart draws a previous year's line.
    @Test func withoutAYearOfHistoryTheYearOverYearIsADash() throws {
        let (html, md, _) = try ReportFixture().run()
        let card = try #require(ReportDocumentTests.section("scorecard", of: html))
        #expect(card.contains("A dash: no complete week a year earlier (starting 2024-01-22) in the data, so no year-over-year change."))
        #expect(card.components(separatedBy: #"<span class="delta none" title="2024-01-22: "#).count - 1
                == card.components(separatedBy: "<div class=\"card\">").count - 1)
        #expect(!card.contains("<svg"))
        let trends = try #require(ReportDocumentTests.section("trends", of: html))
        #expect(!trends.contains(#"stroke-dasharray="3 3""#))
        #expect(md.contains("| Signups | 0 | 0 (2025-01-13: 0) | – (2024-01-22: n/a) |"))
    }

    /// The heatmap's headings and columns in words; reject reasons in the report's language.
    @Test func heatmapAndRejectReasonsAreWorded() throws {
        let (html, md, _) = try ReportFixture().run()
        let retention = try #require(ReportDocumentTests.section("retention", of: html))
        #expect(retention.contains(">Week 0</text>") && retention.contains(">Cohort</text>") && retention.contains(">Users</text>"))
        #expect(!retention.contains(">p0</text>") && !retention.contains("<th>p0</th>"))
        #expect(md.contains("| Cohort | Users | Week 0 | Week 1 | Week 2 | "))
        // u5's signup "not-a-date" is bad_timestamp:signup_at.
        #expect(md.contains("| Users | unreadable date or time in signup\\_at (bad\\_timestamp:signup\\_at) | 1 |"))
        let zh = try ReportFixture().run(language: "zh")
        #expect(zh.md.contains("| 同期群 | 用户数 | 第 0 周 | 第 1 周 | 第 2 周 | "))
        #expect(zh.html.contains("signup_at 的日期时间无法识别 <span class=\"rule\">bad_timestamp:signup_at</span>"))
    }

    /// At 390 px an SVG bar chart drew its labels at about 5 px: the funnel and ROI bars are HTML now.
    @Test func funnelAndROIBarsAreHTML() throws {
        let (html, _, _) = try ReportFixture().run()
        let funnel = try #require(ReportDocumentTests.section("funnel", of: html))
        #expect(funnel.contains(#"<figure class="chart bars" aria-label="Users at each step">"#))
        let roi = try #require(ReportDocumentTests.section("roi", of: html))
        #expect(roi.contains(#"<figure class="chart bars" aria-label="Spend and revenue by channel">"#))
        #expect(roi.contains(#"<span class="bar-label">&lt;img src=x onerror=alert(1)&gt;</span>"#))
        #expect(!roi.contains("<svg"))
    }
}
