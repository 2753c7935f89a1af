import Foundation

/// Report: the funnel charts (SPEC §4.2) — the overall funnel as bars, and every segment's
/// conversion from the first step as lines side by side.
enum FunnelCharts {
    /// Segment `all`: one bar per step, its length the step's users, with the conversion from
    /// the previous step beside it.
    /// `labels`: each step's name as the report shows it ("2. view_item", "2 of 4 steps").
    static func overall(_ steps: [FunnelResult.Step], labels: [String], style: NumberStyle, title: String) -> String {
        let (labelW, barW, rowH, valueW) = (170.0, 330.0, 30.0, 150.0)
        let width = labelW + barW + valueW
        var svg = SVG(width: width, height: rowH * Double(steps.count) + 8, title: title)
        let top = Double(steps.first?.users ?? 0)
        for (i, s) in steps.enumerated() {
            let y = Double(i) * rowH + 4
            svg.text(SVG.clip(labels[i], 24), x: 0, y: y + 17, size: 12)
            let w = top > 0 ? barW * Double(s.users) / top : 0
            svg.rect(x: labelW, y: y + 3, w: max(w, s.users > 0 ? 2 : 0), h: rowH - 8, fill: "#2563eb", extra: "rx=\"2\"")
            var value = style.count(s.users)
            if i > 0, let c = s.conversionFromPrevious { value += " · " + style.percent(c) }
            svg.text(value, x: labelW + max(w, 2) + 6, y: y + 17, size: 11.5, fill: "#374151")
        }
        return svg.rendered
    }

    /// Every segment's `conversion_from_first` per step as a line, `all` in black and thicker;
    /// `labels` name the segments and `stepLabels` the steps as the report shows them.
    static func bySegment(_ funnel: FunnelResult, labels: [String], stepLabels: [String], style: NumberStyle, title: String) -> String {
        let n = funnel.stepNames.count
        let (left, right, top, plotH, legendRow) = (44.0, 16.0, 12.0, 200.0, 18.0)
        let plotW = 520.0
        let segments = funnel.segments
        let legendRows = Double((segments.count + 2) / 3)
        let height = top + plotH + 40 + legendRows * legendRow
        var svg = SVG(width: left + plotW + right, height: height, title: title)
        // Grid: 0 %, 25 %, … 100 %.
        for q in 0...4 {
            let y = top + plotH * (1 - Double(q) / 4)
            svg.line(x1: left, y1: y, x2: left + plotW, y2: y, stroke: "#e5e7eb")
            svg.text(style.percent(Decimal(q) / 4, decimals: 0), x: left - 6, y: y + 4, anchor: .end, size: 10, fill: "#6b7280")
        }
        func x(_ step: Int) -> Double { n <= 1 ? left + plotW / 2 : left + plotW * Double(step) / Double(n - 1) }
        for (i, name) in stepLabels.enumerated() {
            svg.text(SVG.clip(name, 16), x: x(i), y: top + plotH + 16,
                     anchor: i == 0 ? .start : (i == n - 1 ? .end : .middle), size: 10.5, fill: "#374151")
        }
        // Channels first, `all` last so it is drawn on top.
        for index in segments.indices.reversed() {
            let colour = SVG.palette[index % SVG.palette.count]
            let points = funnel.steps(ofSegmentAt: index).enumerated().compactMap { i, s -> (Double, Double)? in
                guard let c = s.conversionFromFirst else { return nil }
                return (x(i), top + plotH * (1 - NSDecimalNumber(decimal: c).doubleValue))
            }
            svg.polyline(points, stroke: colour, width: index == 0 ? 3 : 1.6)
            for p in points { svg.circle(x: p.0, y: p.1, r: index == 0 ? 3 : 2, fill: colour) }
        }
        for index in segments.indices {
            let col = Double(index % 3), row = Double(index / 3)
            let lx = left + col * (plotW / 3), ly = top + plotH + 32 + row * legendRow
            svg.rect(x: lx, y: ly - 8, w: 14, h: 4, fill: SVG.palette[index % SVG.palette.count])
            let last = funnel.steps(ofSegmentAt: index).last?.conversionFromFirst
            let label = SVG.clip(labels[index], 18) + (last.map { " " + style.percent($0) } ?? "")
            svg.text(label, x: lx + 18, y: ly - 3, size: 10.5)
        }
        return svg.rendered
    }
}
