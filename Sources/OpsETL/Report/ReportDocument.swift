import Foundation
import Mustache

/// Report: `report.md` and `report.html` (SPEC §7) — the one-page review a person reads,
/// laid out by the templates in `Templates/` and filled from a `ReportView`.
///
/// The HTML is one self-contained file: inline CSS and SVG, no scripts, fonts, images or links
/// to anywhere. Data values are escaped by the template engine — HTML escaping in the HTML,
/// Markdown escaping (which also neutralises inline HTML) in the Markdown. Last, the whole page
/// goes through `VisibleText`: the templates hold no control character, so every one left came
/// from the data (or the pipeline's name and labels) and is shown as a visible escape such as
/// `\u{1B}` — whichever section it is in — and the HTML stays well-formed XML (SPEC §9).
public enum ReportDocument {
    public static func html(_ review: Review) -> String {
        VisibleText.escaped(templates.html.render(ReportView(review)))
    }

    public static func markdown(_ review: Review) -> String {
        VisibleText.escaped(templates.markdown.render(ReportView(review)))
    }

    private static let templates: (html: MustacheTemplate, markdown: MustacheTemplate) = {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        do {
            return (try MustacheTemplate(string: String(decoding: PackageResources.report_html_mustache, as: UTF8.self)),
                    try MustacheTemplate(string: String(decoding: PackageResources.report_md_mustache, as: UTF8.self)))
        } catch {
            preconditionFailure("a built-in report template does not parse: \(error)")
        }
    }()
}

/// Escapes text for Markdown: characters that would start emphasis, code, links, tables or
/// headings get a backslash, and `<`, `>`, `&` become entities so no inline HTML survives.
/// Line breaks become spaces (a value must not end a table row).
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~": out += "\\" + String(ch)
            case "\n", "\r", "\r\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
