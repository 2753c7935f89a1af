import Foundation

/// Report: a minimal SVG writer for the report's charts — inline, self-contained, no scripts.
///
/// Every piece of text goes through `escape`, so a channel called `<img onerror=…>` is drawn as
/// those characters and never becomes markup. Coordinates are written with at most one decimal
/// so the same data always gives the same bytes.
struct SVG {
    private(set) var body = ""
    let width: Double
    let height: Double
    let title: String

    /// Never drawn narrower than the view box (`min-width`): for a chart inside a scroll area, whose
    /// text would otherwise shrink below 10 CSS px on a phone.
    let keepsSize: Bool

    init(width: Double, height: Double, title: String, keepsSize: Bool = false) {
        self.width = width
        self.height = height
        self.title = title
        self.keepsSize = keepsSize
    }

    /// The finished `<svg>` element; it scales to its container (`width: 100%` in the CSS), never
    /// below its view box's width when it `keepsSize`.
    var rendered: String {
        "<svg viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" "
            + (keepsSize ? "style=\"min-width: \(Self.n(width))px\" " : "")
            + "role=\"img\" aria-label=\"\(Self.escape(title))\" class=\"chart\"><title>\(Self.escape(title))</title>"
            + body + "</svg>"
    }

    mutating func raw(_ markup: String) { body += markup }

    mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String, extra: String = "") {
        body += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, w)))\" height=\"\(Self.n(max(0, h)))\" fill=\"\(fill)\"\(extra.isEmpty ? "" : " " + extra)/>"
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ s: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12,
                       fill: String = "#1f2937", weight: String? = nil) {
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(Self.n(size))\" fill=\"\(fill)\"\(w)>\(Self.escape(s))</text>"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(d)/>"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double, dash: String? = nil) {
        let p = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body += "<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\" stroke-linejoin=\"round\"\(d)/>"
    }

    mutating func circle(x: Double, y: Double, r: Double, fill: String) {
        body += "<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(fill)\"/>"
    }

    /// XML text and attribute escaping (the five predefined entities; nothing else is needed in UTF-8).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters are not allowed in XML 1.0; a data value could carry one.
                // SPEC §9: shown as a visible escape (`\u{1B}`), like everywhere else.
                if (ch.value < 0x20 && ch != "\t" && ch != "\n") || VisibleText.needsEscape(ch) {
                    out += VisibleText.escape(ch)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// A coordinate with at most one decimal, locale-free.
    static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    /// Shortens a label to `max` characters (charts have fixed label columns; tables show the full text).
    static func clip(_ s: String, _ max: Int) -> String {
        s.count <= max ? s : String(s.prefix(max - 1)) + "…"
    }

    /// Colours for series, distinguishable and print-safe; the first is `all`'s.
    static let palette = ["#111827", "#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04",
                          "#db2777", "#4b5563", "#65a30d", "#7c3aed"]
}
