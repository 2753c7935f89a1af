import Foundation
import Testing
@testable import OpsETL

/// The report's day-N curve and table, the kind of retention it shows, the funnel order and the country
/// segments (SPEC §4.1, §4.1.1, §4.2, §7), in English and Chinese, on `ReportFixture`'s shop.
///
/// The shop: one weekly cohort 2025-01-06 = {u1 (01-06), u2 (01-06), u3 (01-07), u4 (01-08)}; purchases
/// u1 01-06 (day 0), u3 01-14 (day 7), u4 01-15 (day 7); as_of 01-31; default days [1, 7, 30].
/// Day 1: all 4 eligible, nobody buys on day 1, u3 and u4 later → 0.0 % / 50.0 %. Day 7: u3 and u4 on
/// it → 50.0 % / 50.0 %. Day 30: everyone's day 30 (02-05 … 02-07) is after as_of → "–".
@Suite struct RetentionFunnelReportTests {
    /// The fixture's pipeline with its retention and funnel sections replaced; the report files and the
    /// published CSV and JSON files by name (read before the fixture's folder goes away).
    static func run(language: String = "en", retention: String? = nil, funnel: String? = nil) throws
        -> (html: String, md: String, files: [String: String]) {
        let f = ReportFixture()
        var json = f.json(language: language)
        if let retention {
            json = json.replacingOccurrences(of: #""retention": { "period": "week", "periods": 2 }"#, with: #""retention": "# + retention)
        }
        if let funnel {
            json = json.replacingOccurrences(of: #""window_days": 14 }"#, with: #""window_days": 14, "# + funnel + " }")
        }
        let outcome = try f.fixture.job(json).run()
        let dir = outcome.outputDirectory
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".csv") || name.hasSuffix(".json") {
            files[name] = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        return (try String(contentsOfFile: dir + "/report.html", encoding: .utf8),
                try String(contentsOfFile: dir + "/report.md", encoding: .utf8), files)
    }

    @Test func theDayNTableIsInBothReports() throws {
        let (html, md, _) = try Self.run()
        #expect(md.contains("""
            | Cohort | Users | Day 1 | Day 1 or later | Day 7 | Day 7 or later | Day 30 | Day 30 or later | \n\
            |---|---:|---:|---:|---:|---:|---:|---:|
            | All cohorts | 4 | 0.0% | 50.0% | 50.0% | 50.0% | – | – | \n\
            | 2025-01-06 | 4 | 0.0% | 50.0% | 50.0% | 50.0% | – | – | 
            """))
        let section = try #require(ReportDocumentTests.section("retention", of: html))
        #expect(section.contains("<h3>Day-N retention</h3>"))
        #expect(section.contains(#"aria-label="Day-N retention: all cohorts and the latest ones""#))
        #expect(section.contains("<tr><td>All cohorts</td><td>4</td><td>0.0%</td><td>50.0%</td><td>50.0%</td><td>50.0%</td><td>–</td><td>–</td></tr>"))
        // The pooled day-N rates are written above their points (day 30 has none).
        #expect(section.contains(">0.0%</text>") && section.contains(">50.0%</text>"))
        #expect(section.contains("Each cell counts the users active in that week."))
    }

    @Test func theChineseReportWordsTheDayNPart() throws {
        let (html, md, _) = try Self.run(language: "zh")
        #expect(md.contains("#### N 日留存"))
        #expect(md.contains("| 同期群 | 用户数 | 第 1 日 | 第 1 日及之后 | 第 7 日 | 第 7 日及之后 | 第 30 日 | 第 30 日及之后 | "))
        #expect(md.contains("| 全部同期群 | 4 | 0.0% | 50.0% | 50.0% | 50.0% | – | – | "))
        #expect(html.contains("<h3>N 日留存</h3>"))
        #expect(html.contains("每个单元格统计在该周活跃的用户。"))
    }

    /// Cumulative cells: the report says so. k0 {u1, u3, u4} (u3 and u4 buy in k1), k1 {u3, u4}, k2 (01-20 …
    /// 01-26) nobody: 75.0 %, 50.0 %, 0.0 % of 4.
    @Test func aCumulativeHeatmapSaysWhichKindItShows() throws {
        let (html, md, files) = try Self.run(retention: #"{ "period": "week", "periods": 2, "cumulative": true }"#)
        let kind = "Cumulative retention: each cell counts the users active in that week or any later one, up to 2025-01-31."
        #expect(html.contains(kind) && md.contains(kind))
        #expect(md.contains("| 2025-01-06 | 4 | 75.0% | 50.0% | 0.0% | "))
        #expect(files["cohort_retention_matrix.csv"] == "cohort,cohort_size,p0,p1,p2\n2025-01-06,4,0.750000,0.500000,0.000000\n")
        let zh = try Self.run(language: "zh", retention: #"{ "period": "week", "periods": 2, "cumulative": true }"#)
        #expect(zh.md.contains("累计留存：每个单元格统计在该周或之后任一周（截至 2025年1月31日）活跃的用户。"))
    }

    /// `days: []`: no day-N part, no day_retention.csv, no retention.dN metric.
    @Test func noDaysNoDayNPart() throws {
        let (html, md, files) = try Self.run(retention: #"{ "period": "week", "periods": 2, "days": [] }"#)
        #expect(!html.contains("Day-N retention") && !md.contains("Day-N retention"))
        #expect(files["day_retention.csv"] == nil)
        #expect(files["cohort_retention.csv"] != nil)
        #expect(files["summary.json"]?.contains("retention.d") == false)
    }

    /// Any order on steps signup, <script>, purchase (window 14 days): u1 does all three on 01-06, u2 only signs
    /// up, u3 all three by 01-14, u4 signs up and buys → all [4, 3, 2]. The weakest step is 3 (2 of 3 = 66.7 %);
    /// no channel has 30 entrants, so no benchmark.
    @Test func anyOrderStepsAreWordedInTheReportsLanguage() throws {
        let en = try Self.run(funnel: #""order": "any""#)
        #expect(en.md.contains("| 1 of 3 steps | 4 | "))
        #expect(en.md.contains("| 3 of 3 steps | 2 | 66.7% | 50.0% | 1 | "))
        #expect(en.html.contains("Any order: a user is at step k after doing k of the 3 steps (signup, &lt;script&gt;alert(2)&lt;/script&gt;, purchase) within the window of the first of them."))
        // No channel benchmarks the weakest step here, so its impact is 0 and no suggestion is made
        // (SPEC §6); the wording of such a bottleneck is checked on the evidence itself.
        #expect(en.files["suggestions.csv"]?.contains("funnel.bottleneck") == false)
        let bottleneck = Suggestion(rank: 1, rule: .funnelBottleneck, priority: .medium, channel: nil, step: 3, cohort: nil,
                                    evidence: .funnelBottleneck(.init(step: 3, name: "3 of 3 steps", previousName: "2 of 3 steps",
                                                                      previousUsers: 3, users: 2, conversion: Decimal(2) / 3,
                                                                      bestChannel: nil, bestConversion: nil,
                                                                      lastStepName: "3 of 3 steps", lastStepUsers: 2)),
                                    impact: .init(1, .users))
        let context = SuggestionWording.Context(period: .week, minFunnelEntrants: 30,
                                                stepNames: ["signup", "<script>alert(2)</script>", "purchase"], anyOrderSteps: 3)
        func wording(_ language: ReportLanguage) -> SuggestionWording {
            let strings = ReportStrings(language)
            return SuggestionWording(bottleneck, strings: strings, style: NumberStyle(strings: strings, currency: "EUR"), context: context)
        }
        #expect(wording(.en).finding.contains("The weakest step is 3 of 3 steps: 66.7% of the 3 users at 2 of 3 steps reach it (2 users)."))

        let zh = try Self.run(language: "zh", funnel: #""order": "any""#)
        #expect(zh.md.contains("| 完成 1/3 步 | 4 | "))
        #expect(wording(.zh).finding.contains("转化最弱的是完成 3/3 步：完成 2/3 步的 3 名用户中有 66.7% 到达该步（2 名用户）。"))
        // funnel.csv keeps the SPEC's names whatever the language.
        #expect(zh.files["funnel.csv"]?.contains("all,3,3 of 3 steps,2,0.666667,0.500000,1,") == true)
    }

    @Test func strictOrderIsSaid() throws {
        let (html, _, _) = try Self.run(funnel: #""order": "strict""#)
        // The template engine writes the apostrophe as &#39;.
        #expect(html.contains("Strict order: the steps come in the order listed, each the user&#39;s very next event; any other event in between ends the path."))
    }

    /// by_country with no country column: every user is country:unknown, shown as "Country: unknown" after the channels.
    @Test func countrySegmentsAreNamedInTheSegmentTable() throws {
        let (html, md, files) = try Self.run(funnel: #""by_country": true"#)
        #expect(md.contains("#### By channel and country: conversion from the first step"))
        #expect(md.contains("| Country: unknown | 4 | "))
        #expect(html.contains("<td>Country: unknown</td><td>4</td>"))
        // Ordered funnel: u1 reaches purchase 3 600 s after the <script> event, u3 608 400 s after (01-07 09:00 →
        // 01-14 10:00); u2 and u4 stop at step 1 → [4, 2, 2], median (3 600 + 608 400) / 2.
        #expect(files["funnel.csv"]?.split(separator: "\n").last == "country:unknown,3,purchase,2,1.000000,0.500000,0,306000.0")
        let zh = try Self.run(language: "zh", funnel: #""by_country": true, "by_channel": false"#)
        #expect(zh.md.contains("#### 分国家/地区：较第一步的转化率"))
        #expect(zh.md.contains("| 国家/地区：未知 | 4 | "))
    }
}
