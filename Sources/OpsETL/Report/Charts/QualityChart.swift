import Foundation

/// Report: what happened to each input's rows (SPEC §5) — one 100 % bar per input split into
/// kept, rejected, duplicates, after `as_of`, excluded status and unknown users ignored.
enum QualityChart {
    static func svg(_ inputs: [InputQuality], strings: ReportStrings, style: NumberStyle, title: String) -> String {
        let (labelW, barW, rowH) = (110.0, 480.0, 26.0)
        let parts: [(key: String, colour: String, value: (InputQuality) -> Int)] = [
            ("col_kept", "#16a34a", { $0.rowsKept }), ("col_rejected", "#dc2626", { $0.rejected }),
            ("col_duplicates", "#f59e0b", { $0.duplicates }), ("col_after_as_of", "#6366f1", { $0.afterAsOf }),
            ("col_excluded", "#64748b", { $0.excludedStatus }), ("col_unknown_ignored", "#a855f7", { $0.unknownUserIgnored }),
        ]
        let legendRows = 2.0
        var svg = SVG(width: labelW + barW + 10, height: rowH * Double(inputs.count) + 18 * legendRows + 12, title: title)
        for (i, q) in inputs.enumerated() {
            let y = Double(i) * rowH
            svg.text(strings["input_\(q.kind.rawValue)"], x: 0, y: y + 16, size: 12)
            var x = labelW
            for p in parts {
                let w = q.rowsRead > 0 ? barW * Double(p.value(q)) / Double(q.rowsRead) : 0
                svg.rect(x: x, y: y + 4, w: w, h: rowH - 10, fill: p.colour)
                x += w
            }
            if q.rowsRead == 0 { svg.rect(x: labelW, y: y + 4, w: barW, h: rowH - 10, fill: "#e5e7eb") }
        }
        for (j, p) in parts.enumerated() {
            let col = Double(j % 3), row = Double(j / 3)
            let lx = labelW + col * (barW / 3), ly = rowH * Double(inputs.count) + 14 + row * 18
            svg.rect(x: lx, y: ly - 9, w: 10, h: 10, fill: p.colour)
            svg.text(strings[p.key], x: lx + 14, y: ly, size: 10.5)
        }
        return svg.rendered
    }
}
