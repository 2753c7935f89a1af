import Foundation

/// Report: the trends charts (SPEC §4.4, §4.5, §7) — one small line chart per KPI over the trends
/// periods, and the user lifecycle as stacked bars (PostHog's way: new, returning and resurrecting
/// above zero, dormant below).
///
/// Sizes are chosen so that text is never drawn below 10 CSS px: a KPI chart's view box is
/// `kpiWidth` wide and the page lays the charts out in columns at least that wide (so they only
/// ever scale up); the lifecycle chart sits in a scroll area no narrower than its view box.
enum TrendCharts {
    /// One point of a KPI line: its value (nil: no point) and whether its period is partial.
    struct Point {
        let value: Double?
        let partial: Bool
    }

    static let kpiWidth = 260.0
    static let kpiHeight = 132.0
    static let thisYear = "#2563eb"
    static let yearAgo = "#9ca3af"

    /// A KPI's line over the periods, oldest first. Complete periods are solid dots joined by a solid
    /// line; a partial period is a hollow dot reached by a dashed line. `previous`, when it has any
    /// value, is the same periods a year earlier, drawn thin, grey and dashed. `labels` are the x-axis
    /// labels (first and last are drawn); `format` writes an axis value.
    static func kpi(_ points: [Point], previous: [Double?], labels: [String], title: String,
                    format: (Double) -> String) -> String {
        let (left, right, top, bottom) = (48.0, 10.0, 10.0, 22.0)
        let plotW = kpiWidth - left - right, plotH = kpiHeight - top - bottom
        var svg = SVG(width: kpiWidth, height: kpiHeight, title: title)
        let values = points.compactMap(\.value) + previous.compactMap { $0 }
        let hi = max(values.max() ?? 0, 0), lo = min(values.min() ?? 0, 0)
        let span = hi - lo > 0 ? hi - lo : 1
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / span) }
        func x(_ i: Int) -> Double { points.count <= 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(points.count - 1) }
        // Axis: the lowest value (0 or below) and the highest, with a middle grid line.
        for v in lo < 0 ? [lo, 0, hi] : [lo, (lo + hi) / 2, hi] {
            svg.line(x1: left, y1: y(v), x2: left + plotW, y2: y(v), stroke: v == 0 ? "#d1d5db" : "#eef0f3")
            svg.text(format(v), x: left - 4, y: y(v) + 3.5, anchor: .end, size: 10, fill: "#6b7280")
        }
        if let first = labels.first {
            svg.text(first, x: left, y: kpiHeight - 6, anchor: .start, size: 10, fill: "#6b7280")
        }
        if labels.count > 1, let last = labels.last {
            svg.text(last, x: left + plotW, y: kpiHeight - 6, anchor: .end, size: 10, fill: "#6b7280")
        }
        // A year earlier: one dashed grey line through the periods that have a value.
        let before = previous.enumerated().compactMap { i, v in v.map { (x(i), y($0)) } }
        if !before.isEmpty {
            svg.polyline(before, stroke: yearAgo, width: 1.4, dash: "3 3")
        }
        // This year: solid between complete periods, dashed into and out of a partial one.
        for i in points.indices.dropFirst() {
            guard let a = points[i - 1].value, let b = points[i].value else { continue }
            let dashed = points[i - 1].partial || points[i].partial
            svg.polyline([(x(i - 1), y(a)), (x(i), y(b))], stroke: thisYear, width: 2, dash: dashed ? "4 3" : nil)
        }
        for (i, p) in points.enumerated() {
            guard let v = p.value else { continue }
            if p.partial {
                svg.raw("<circle cx=\"\(SVG.n(x(i)))\" cy=\"\(SVG.n(y(v)))\" r=\"3\" fill=\"#ffffff\" stroke=\"\(thisYear)\" stroke-width=\"1.5\"/>")
            } else {
                svg.circle(x: x(i), y: y(v), r: 2.5, fill: thisYear)
            }
        }
        return svg.rendered
    }

    /// One period of the lifecycle chart.
    struct Bar {
        let label: String
        let new: Int
        let returning: Int
        let resurrecting: Int
        let dormant: Int
        let partial: Bool
    }

    static let lifecycleColours = (new: "#16a34a", returning: "#2563eb", resurrecting: "#f59e0b", dormant: "#dc2626")

    /// The view box width for `periods` bars (the page keeps the chart at least this wide).
    static func lifecycleWidth(periods: Int) -> Double { 56 + 46 * Double(max(1, periods)) + 8 }

    /// Stacked bars per period: new, returning, resurrecting upwards from zero, dormant downwards;
    /// a partial period's bars are lighter and hatched. `format` writes an axis count.
    static func lifecycle(_ bars: [Bar], title: String, format: (Int) -> String) -> String {
        let (left, top, plotH, slot) = (56.0, 10.0, 200.0, 46.0)
        let width = lifecycleWidth(periods: bars.count)
        let height = top + plotH + 26
        var svg = SVG(width: width, height: height, title: title, keepsSize: true)
        svg.raw("<defs><pattern id=\"lifecycle-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.6\"/></pattern></defs>")
        let up = bars.map { $0.new + $0.returning + $0.resurrecting }.max() ?? 0
        let down = bars.map(\.dormant).max() ?? 0
        let total = Double(max(1, up + down))
        let zero = top + plotH * Double(up) / total
        func h(_ n: Int) -> Double { plotH * Double(n) / total }
        // Axis: the highest bar above zero, zero, the deepest below.
        svg.line(x1: left, y1: zero, x2: width - 8, y2: zero, stroke: "#9ca3af")
        svg.text("0", x: left - 4, y: zero + 3.5, anchor: .end, size: 10, fill: "#6b7280")
        if up > 0 { svg.text(format(up), x: left - 4, y: top + 7, anchor: .end, size: 10, fill: "#6b7280") }
        if down > 0 { svg.text("−" + format(down), x: left - 4, y: top + plotH, anchor: .end, size: 10, fill: "#6b7280") }
        let c = lifecycleColours
        for (i, b) in bars.enumerated() {
            let x = left + slot * Double(i) + 8, w = slot - 16
            var y = zero
            let opacity = b.partial ? " fill-opacity=\"0.55\"" : ""
            for (n, colour) in [(b.new, c.new), (b.returning, c.returning), (b.resurrecting, c.resurrecting)] where n > 0 {
                y -= h(n)
                svg.rect(x: x, y: y, w: w, h: h(n), fill: colour, extra: opacity.trimmingCharacters(in: .whitespaces))
            }
            if b.dormant > 0 {
                svg.rect(x: x, y: zero, w: w, h: h(b.dormant), fill: c.dormant, extra: opacity.trimmingCharacters(in: .whitespaces))
            }
            if b.partial, y < zero || b.dormant > 0 {
                svg.rect(x: x, y: y, w: w, h: zero - y + h(b.dormant), fill: "url(#lifecycle-hatch)")
            }
            svg.text(b.label + (b.partial ? "*" : ""), x: x + w / 2, y: height - 6, anchor: .middle, size: 10, fill: "#4b5563")
        }
        return svg.rendered
    }
}
