import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import OpsETL

/// SPEC §7 `report.md` / `report.html`: one self-contained page, every data value escaped,
/// a chart per analysis, sections present only when their analysis ran.
@Suite struct ReportDocumentTests {
    @Test func htmlIsSelfContainedAndWellFormed() throws {
        let html = try ReportFixture().run().html
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<link") && !html.contains("@import") && !html.contains("url(http"))
        #expect(!html.contains("<img"))
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "report.html is not well-formed: \(String(describing: parser.parserError))")
    }

    @Test func everyDataValueIsEscapedInHTML() throws {
        let html = try ReportFixture().run().html
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(html.contains("&lt;i&gt;ROI&lt;/i&gt;"))
        #expect(html.contains("hostile &lt;b&gt;shop&lt;/b&gt;"))
        #expect(!html.contains("<b>shop") && !html.contains("<i>ROI"))
    }

    @Test func everyDataValueIsEscapedInMarkdown() throws {
        let md = try ReportFixture().run().md
        #expect(!md.contains("<img") && !md.contains("<script") && !md.contains("<i>") && !md.contains("<b>"))
        #expect(md.contains("&lt;img src=x onerror=alert(1)&gt;"))
        // A label cannot break the table or start emphasis or a link.
        #expect(md.contains(#"&lt;i&gt;ROI&lt;/i&gt; \| \*bold\* \[x\](y)"#))
    }

    /// The heatmap and the day-N curve, the two funnel charts, spend-vs-revenue and the row fates:
    /// one chart each, inside the section it belongs to — SVG, or HTML bars (`class="chart bars"`) for
    /// the overall funnel, spend-vs-revenue and the row fates, whose labels must keep their size on a phone.
    @Test func chartsArePresentForEachSection() throws {
        let html = try ReportFixture().run().html
        for (section, charts, svgs) in [("retention", 2, 2), ("funnel", 2, 1), ("roi", 1, 0), ("quality", 1, 0)] {
            let body = try #require(Self.section(section, of: html), "section \(section)")
            #expect(body.components(separatedBy: "class=\"chart").count - 1 == charts, "\(section)")
            #expect(body.components(separatedBy: "<svg").count - 1 == svgs, "\(section)")
        }
        let goals = try #require(Self.section("goals", of: html))
        #expect(goals.contains("class=\"badge missed\"") && goals.contains("class=\"badge met\""))
    }

    @Test func withoutAFunnelTheSectionIsLeftOut() throws {
        let (html, md, dir) = try ReportFixture(funnel: false).run(funnel: false)
        #expect(Self.section("funnel", of: html) == nil)
        #expect(Self.section("retention", of: html) != nil && Self.section("roi", of: html) != nil)
        #expect(!md.contains("### Funnel"))
        #expect(md.contains("### Cohort retention"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/funnel.csv"))
    }

    /// Every phrase of the English table that the Chinese table does not share is absent from
    /// the Chinese reports (data values such as channel and event names are the data's own).
    @Test func chineseReportHasNoEnglishTemplateText() throws {
        let (html, md, _) = try ReportFixture().run(language: "zh")
        let text = Self.visibleText(html)
        let en = ReportStrings(.en), zh = ReportStrings(.zh)
        let zhText = zh.keys.map { zh[$0] }.joined(separator: "\n")
        // The data's own words (step and event names) are not template text.
        let dataWords: Set<String> = ["signup", "purchase"]
        var checked = 0
        for key in en.keys {
            for fragment in Self.literalFragments(en[key]) where !zhText.contains(fragment) && !dataWords.contains(fragment) {
                #expect(!Self.containsWords(text, fragment), "English \"\(fragment)\" (\(key)) in report.html")
                #expect(!Self.containsWords(md, fragment), "English \"\(fragment)\" (\(key)) in report.md")
                checked += 1
            }
        }
        #expect(checked > 150)
        for word in ["目标设定", "目标达成", "未达成", "数据分析与反馈", "优化建议", "留存率", "同期群", "转化率", "流失",
                     "投入产出比", "广告支出回报率", "获客成本", "渠道", "复盘"] {
            #expect(html.contains(word) || md.contains(word), "\(word)")
        }
        #expect(html.contains("lang=\"zh-CN\""))
    }

    /// What a reader sees of the HTML: no `<style>`, no tags or attributes (SVG labels stay).
    static func visibleText(_ html: String) -> String {
        var t = html
        if let a = t.range(of: "<style>"), let b = t.range(of: "</style>") { t.removeSubrange(a.lowerBound..<b.upperBound) }
        return t.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
    }

    /// `fragment` as whole words (so "for" does not match "transform").
    static func containsWords(_ text: String, _ fragment: String) -> Bool {
        let escaped = NSRegularExpression.escapedPattern(for: fragment)
        return text.range(of: "(^|[^A-Za-z])" + escaped + "([^A-Za-z]|$)", options: .regularExpression) != nil
    }

    /// The text between `{placeholders}`, trimmed, where it has a word of three or more letters.
    static func literalFragments(_ template: String) -> [String] {
        template.split(separator: "{", omittingEmptySubsequences: false).flatMap { piece -> [String] in
            let literal = piece.split(separator: "}", maxSplits: 1, omittingEmptySubsequences: false).last ?? ""
            return [literal.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))]
        }.filter { $0.range(of: "[A-Za-z]{3,}", options: .regularExpression) != nil }
    }

    /// The `<section id="…">` element's inner HTML, nil when absent.
    static func section(_ id: String, of html: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\">") else { return nil }
        guard let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }
}
