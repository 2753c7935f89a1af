import Foundation

/// Report: what happened to each input's rows (SPEC §5) — one 100 % bar per input split into
/// kept, rejected, duplicates, after `as_of`, excluded status and unknown users ignored.
///
/// HTML and CSS (like `HTMLBars`), so the labels and the legend keep their size on a phone; the
/// parts are flex items whose widths are the shares of the rows read.
enum QualityChart {
    static func html(_ inputs: [InputQuality], strings: ReportStrings, style: NumberStyle, title: String) -> String {
        let parts: [(key: String, colour: String, value: (InputQuality) -> Int)] = [
            ("col_kept", "#16a34a", { $0.rowsKept }), ("col_rejected", "#dc2626", { $0.rejected }),
            ("col_duplicates", "#f59e0b", { $0.duplicates }), ("col_after_as_of", "#6366f1", { $0.afterAsOf }),
            ("col_excluded", "#64748b", { $0.excludedStatus }), ("col_unknown_ignored", "#a855f7", { $0.unknownUserIgnored }),
        ]
        var out = "<figure class=\"chart bars\" aria-label=\"\(SVG.escape(title))\">"
        for q in inputs {
            out += "<div class=\"bar-row quality\"><span class=\"bar-label\">\(SVG.escape(strings["input_\(q.kind.rawValue)"]))</span>"
                + "<span class=\"bar-whole\">"
            if q.rowsRead == 0 {
                out += "<span class=\"part\" style=\"width: 100%; background: #e5e7eb\"></span>"
            } else {
                for p in parts where p.value(q) > 0 {
                    let share = String(format: "%.4f", 100 * Double(p.value(q)) / Double(q.rowsRead))
                    out += "<span class=\"part\" style=\"width: \(share)%; background: \(p.colour)\" title=\"\(SVG.escape(strings[p.key])): \(style.count(p.value(q)))\"></span>"
                }
            }
            out += "</span></div>"
        }
        out += "<ul class=\"legend\">"
        for p in parts {
            out += "<li><span class=\"swatch\" style=\"background: \(p.colour)\"></span>\(SVG.escape(strings[p.key]))</li>"
        }
        return out + "</ul></figure>"
    }
}
