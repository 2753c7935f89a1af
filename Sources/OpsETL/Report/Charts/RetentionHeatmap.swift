import Foundation

/// Report: the cohort retention heatmap (SPEC §4.1) — one row per cohort, one column per period,
/// each cell shaded by its retention rate; partial cells are hatched and marked `*`.
///
/// Shading is relative to the highest rate in the table on a square-root scale, so week-4 rates
/// of a few percent are still told apart from zero when period 0 sits near 100 %.
enum RetentionHeatmap {
    /// `columns`: each period's heading ("Week 0", "第 0 周"); `cohortHeading`, `sizeHeading`: the
    /// first two columns' headings ("Cohort", "Users").
    static func svg(_ r: RetentionResult, style: NumberStyle, title: String, columns: [String],
                    cohortHeading: String, sizeHeading: String) -> String {
        let cohorts = Dictionary(grouping: r.cells, by: \.cohort).sorted { $0.key < $1.key }
        let maxRate = r.cells.map { rate($0) }.max() ?? 0
        let (labelW, sizeW, cellW, cellH, top) = (84.0, 58.0, 54.0, 22.0, 24.0)
        let width = Self.width(periods: r.periods)
        let height = top + cellH * Double(cohorts.count) + 44
        var svg = SVG(width: width, height: height, title: title, keepsSize: true)
        svg.raw("<defs><pattern id=\"partial-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.55\"/></pattern></defs>")
        svg.text(cohortHeading, x: 0, y: top - 8, size: 10.5, fill: "#4b5563", weight: "600")
        svg.text(sizeHeading, x: labelW + sizeW - 8, y: top - 8, anchor: .end, size: 10.5, fill: "#4b5563", weight: "600")
        for k in 0...max(0, r.periods) {
            svg.text(k < columns.count ? columns[k] : "\(k)", x: labelW + sizeW + cellW * (Double(k) + 0.5), y: top - 8,
                     anchor: .middle, size: 10.5, fill: "#4b5563")
        }
        for (row, (cohort, cells)) in cohorts.enumerated() {
            let y = top + cellH * Double(row)
            svg.text(cohort.description, x: 0, y: y + 15, size: 11)
            svg.text(style.count(cells.first?.cohortSize ?? 0), x: labelW + sizeW - 8, y: y + 15, anchor: .end, size: 11, fill: "#4b5563")
            for cell in cells where cell.period <= r.periods {
                let x = labelW + sizeW + cellW * Double(cell.period)
                let t = maxRate > 0 ? (level(of: cell) / level(of: maxRate)).squareRoot() : 0
                svg.rect(x: x + 1, y: y + 1, w: cellW - 2, h: cellH - 2, fill: shade(t))
                if cell.partial {
                    svg.rect(x: x + 1, y: y + 1, w: cellW - 2, h: cellH - 2, fill: "url(#partial-hatch)")
                }
                let label = style.percent(rate(cell), decimals: 0) + (cell.partial ? "*" : "")
                svg.text(label, x: x + cellW / 2, y: y + 15, anchor: .middle, size: 10.5, fill: t > 0.55 ? "#ffffff" : "#111827")
            }
        }
        // Legend: the colour scale from 0 to the highest rate.
        let ly = top + cellH * Double(cohorts.count) + 14
        let steps = 10
        for i in 0..<steps {
            let t = Double(i) / Double(steps - 1)
            svg.rect(x: labelW + sizeW + Double(i) * 16, y: ly, w: 16, h: 10, fill: shade(t))
        }
        svg.text(style.percent(0, decimals: 0), x: labelW + sizeW - 6, y: ly + 9, anchor: .end, size: 10, fill: "#4b5563")
        svg.text(style.percent(maxRate, decimals: 0), x: labelW + sizeW + Double(steps) * 16 + 6, y: ly + 9, size: 10, fill: "#4b5563")
        return svg.rendered
    }

    /// The view box width: the labels, then one column per period 0 … `periods`.
    static func width(periods: Int) -> Double { 84 + 58 + 54 * Double(max(0, periods) + 1) + 8 }

    /// The cell's exact retention rate, as the tables write it.
    private static func rate(_ c: RetentionResult.Cell) -> Decimal {
        c.cohortSize == 0 ? 0 : Decimal(c.activeUsers) / Decimal(c.cohortSize)
    }

    /// A rate as a Double, for colour only.
    private static func level(of rate: Decimal) -> Double { NSDecimalNumber(decimal: rate).doubleValue }
    private static func level(of c: RetentionResult.Cell) -> Double { level(of: rate(c)) }

    /// Light grey-blue (t = 0) to deep blue (t = 1).
    static func shade(_ t: Double) -> String {
        let t = min(1, max(0, t))
        let from = (239.0, 246.0, 255.0), to = (29.0, 78.0, 216.0)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
    }
}
