import Foundation

/// Report: horizontal bar charts drawn with HTML and CSS instead of SVG (SPEC §4.2, §4.3, §7) —
/// the overall funnel and spend against revenue per channel.
///
/// An SVG scales its text with its width, so on a 390 px phone a 650-unit-wide bar chart drew its
/// labels at about 5 px. Here the labels are ordinary text at 11–12 CSS px whatever the width;
/// only the bars' lengths are proportions (`calc((100% − room for the value) × share)`).
/// Every text goes through `SVG.escape` (the same XML escaping), since this markup is inserted
/// into the page as it is.
enum HTMLBars {
    /// One bar: its share of the longest (0…1), colour, and the text written after it.
    struct Bar {
        let share: Double
        let colour: String
        let value: String
    }

    /// One row: a label and one or more bars, with an optional note at the end (a ROAS).
    struct Row {
        let label: String
        let bars: [Bar]
        let note: String?
        let noteClass: String
    }

    static func chart(_ rows: [Row], title: String, legend: [(String, String)] = []) -> String {
        var out = "<figure class=\"chart bars\" aria-label=\"\(SVG.escape(title))\">"
        for row in rows {
            out += "<div class=\"bar-row\"><span class=\"bar-label\">\(SVG.escape(row.label))</span><span class=\"bar-stack\">"
            for bar in row.bars {
                let share = min(1, max(0, bar.share.isFinite ? bar.share : 0))
                // A bar of a non-zero value is at least 2 px, so it is seen; a zero draws nothing.
                let width = share > 0 ? "max(2px, calc((100% - 9.5em) * \(String(format: "%.4f", share))))" : "0"
                out += "<span class=\"bar-line\"><span class=\"bar\" style=\"width: \(width); background: \(bar.colour)\"></span>"
                    + "<span class=\"bar-value\">\(SVG.escape(bar.value))</span></span>"
            }
            out += "</span>"
            if let note = row.note {
                out += "<span class=\"bar-note \(row.noteClass)\">\(SVG.escape(note))</span>"
            }
            out += "</div>"
        }
        if !legend.isEmpty {
            out += "<ul class=\"legend\">"
            for (label, colour) in legend {
                out += "<li><span class=\"swatch\" style=\"background: \(colour)\"></span>\(SVG.escape(label))</li>"
            }
            out += "</ul>"
        }
        return out + "</figure>"
    }
}
