import Foundation

/// Report: the funnel charts (SPEC §4.2) — the overall funnel as bars, and every segment's
/// conversion from the first step as lines side by side.
enum FunnelCharts {
    /// Segment `all`: one bar per step, its length the step's users, with the conversion from
    /// the previous step beside it — HTML bars, so the labels keep their size on a phone.
    /// `labels`: each step's name as the report shows it ("2. view_item", "2 of 4 steps").
    static func overall(_ steps: [FunnelResult.Step], labels: [String], style: NumberStyle, title: String) -> String {
        let top = Double(steps.first?.users ?? 0)
        let rows = steps.enumerated().map { i, s in
            var value = style.count(s.users)
            if i > 0, let c = s.conversionFromPrevious { value += " · " + style.percent(c) }
            return HTMLBars.Row(label: labels[i], bars: [HTMLBars.Bar(share: top > 0 ? Double(s.users) / top : 0, colour: "#2563eb",
                                                                      value: value)],
                                note: nil, noteClass: "")
        }
        return HTMLBars.chart(rows, title: title)
    }

    /// One line of the per-segment chart: a segment (or "other", several summed), its conversion from
    /// the first step at each step (nil: no point), its colour, and whether it is `all` (thicker, on top).
    struct Series {
        let label: String
        let conversions: [Decimal?]
        let colour: String
        let isAll: Bool
    }

    /// At most this many segments of one kind get a line of their own; the rest are summed into "other"
    /// (an 11-channel export drew a tangle). Segments a suggestion names are always among them.
    static let maxLines = 5

    /// The lines of one kind's chart: `all`, the largest segments by entrants (and every `flagged` one),
    /// then "other" — the remaining segments' users added up step by step. Channel segments and country
    /// segments each split the users (SPEC §4.2), so "other" is a real group of users.
    static func series(_ funnel: FunnelResult, indices: [Int], labels: [String], flagged: Set<String>,
                       otherLabel: (Int) -> String) -> [Series] {
        func entrants(_ i: Int) -> Int { funnel.steps(ofSegmentAt: i).first?.users ?? 0 }
        let ranked = indices.sorted { entrants($0) != entrants($1) ? entrants($0) > entrants($1) : $0 < $1 }
        var shown = Array(ranked.prefix(maxLines))
        for i in ranked.dropFirst(maxLines) where flagged.contains(funnel.segments[i]) { shown.append(i) }
        var rest = ranked.filter { !shown.contains($0) }
        if rest.count == 1 { shown += rest; rest = [] }
        shown.sort()
        var out = [Series(label: labels[0], conversions: funnel.steps(ofSegmentAt: 0).map(\.conversionFromFirst),
                          colour: SVG.palette[0], isAll: true)]
        for (k, i) in shown.enumerated() {
            out.append(Series(label: labels[i], conversions: funnel.steps(ofSegmentAt: i).map(\.conversionFromFirst),
                              colour: SVG.palette[(k + 1) % SVG.palette.count], isAll: false))
        }
        if !rest.isEmpty {
            var users = [Int](repeating: 0, count: funnel.stepNames.count)
            for i in rest {
                for (k, st) in funnel.steps(ofSegmentAt: i).enumerated() where k < users.count { users[k] += st.users }
            }
            let first = users.first ?? 0
            out.append(Series(label: otherLabel(rest.count),
                              conversions: users.map { first > 0 ? Decimal($0) / Decimal(first) : nil },
                              colour: "#9ca3af", isAll: false))
        }
        return out
    }

    /// Each series' `conversion_from_first` per step as a line, `all` in black and thicker, drawn
    /// last so it is on top; `stepLabels` name the steps as the report shows them. The legend is
    /// HTML beside the chart (`legend(_:style:)`), so it never touches the axis labels and stays in
    /// view when the chart scrolls.
    static func bySegment(_ series: [Series], stepLabels: [String], style: NumberStyle, title: String) -> String {
        let n = stepLabels.count
        let (left, right, top, plotH) = (44.0, 24.0, 12.0, 200.0)
        let plotW = 500.0
        let height = top + plotH + 28
        var svg = SVG(width: left + plotW + right, height: height, title: title, keepsSize: true)
        // Grid: 0 %, 25 %, … 100 %.
        for q in 0...4 {
            let y = top + plotH * (1 - Double(q) / 4)
            svg.line(x1: left, y1: y, x2: left + plotW, y2: y, stroke: "#e5e7eb")
            svg.text(style.percent(Decimal(q) / 4, decimals: 0), x: left - 6, y: y + 4, anchor: .end, size: 10, fill: "#6b7280")
        }
        func x(_ step: Int) -> Double { n <= 1 ? left + plotW / 2 : left + plotW * Double(step) / Double(n - 1) }
        for (i, name) in stepLabels.enumerated() {
            svg.text(SVG.clip(name, 16), x: x(i), y: top + plotH + 18,
                     anchor: i == 0 ? .start : (i == n - 1 ? .end : .middle), size: 10.5, fill: "#374151")
        }
        for line in series.filter({ !$0.isAll }) + series.filter(\.isAll) {
            let points = line.conversions.enumerated().compactMap { i, c -> (Double, Double)? in
                guard let c else { return nil }
                return (x(i), top + plotH * (1 - NSDecimalNumber(decimal: c).doubleValue))
            }
            svg.polyline(points, stroke: line.colour, width: line.isAll ? 3 : 1.6)
            for p in points { svg.circle(x: p.0, y: p.1, r: line.isAll ? 3 : 2, fill: line.colour) }
        }
        return svg.rendered
    }

    /// The legend as HTML: each series with its colour and its conversion at the last step.
    static func legend(_ series: [Series], style: NumberStyle) -> [ReportView.LegendItem] {
        series.map { line in
            let last = line.conversions.last.flatMap { $0 }
            return ReportView.LegendItem(label: line.label + (last.map { " " + style.percent($0) } ?? ""), colour: line.colour)
        }
    }
}
