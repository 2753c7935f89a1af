import Foundation

/// Report: the day-N retention curve (SPEC §4.1.1, §7) — for each N of `retention.days`, the share
/// of eligible users active on day N: all cohorts pooled (the headline `retention.dN`, solid and
/// labelled; "day N or later", `retention.dN_plus`, dashed) and the latest cohorts as thin lines.
///
/// Drawn small (a 360-unit-wide view box, text 11 units and up) and capped in width by the page's
/// CSS, so its text stays at least 10 CSS px on a 390 px phone screen and the chart fits beside the
/// heatmap on a wide one. Days sit at equal steps (1, 7, 30 read like a handbook's table, not a time axis).
enum DayRetentionChart {
    /// How many of the latest cohorts (with an eligible user) get their own line.
    static let latestCohorts = 3

    struct Series {
        let label: String
        let colour: String
        let width: Double
        let dash: String?
        /// Per day of `days`: the rate, nil where nobody is eligible.
        let rates: [Decimal?]
    }

    static func svg(_ r: RetentionResult, style: NumberStyle, strings s: ReportStrings, title: String) -> String {
        let series = Self.series(r, style: style, strings: s)
        let days = r.days
        let (left, right, top, plotH) = (44.0, 14.0, 14.0, 150.0)
        let width = 360.0
        let plotW = width - left - right
        // Legend: the two pooled lines on a row each, then the cohorts three to a row.
        let cohortRows = (max(0, series.count - 2) + 2) / 3
        let legendRows = Double(min(2, series.count) + cohortRows)
        let height = top + plotH + 30 + legendRows * 18 + 4
        var svg = SVG(width: width, height: height, title: title)

        let highest = series.flatMap { $0.rates.compactMap { $0 } }.max() ?? 0
        let scale = Self.axisTop(highest)
        let decimals = scale == Decimal(string: "0.1")! ? 1 : 0
        func y(_ rate: Decimal) -> Double {
            top + plotH * (1 - NSDecimalNumber(decimal: rate / scale).doubleValue)
        }
        let inset = 16.0
        func x(_ i: Int) -> Double {
            days.count <= 1 ? left + plotW / 2 : left + inset + (plotW - 2 * inset) * Double(i) / Double(days.count - 1)
        }
        for q in 0...4 {
            let rate = scale * Decimal(q) / 4
            svg.line(x1: left, y1: y(rate), x2: left + plotW, y2: y(rate), stroke: "#e5e7eb")
            svg.text(style.percent(rate, decimals: decimals), x: left - 5, y: y(rate) + 4, anchor: .end, size: 11, fill: "#6b7280")
        }
        for (i, n) in days.enumerated() {
            let label = days.count <= 5 ? s.format("day_n", ["n": String(n)]) : String(n)
            svg.text(label, x: x(i), y: top + plotH + 17, anchor: .middle, size: 11, fill: "#374151")
        }
        // Thin cohort lines first, the pooled lines on top.
        for line in series.reversed() {
            let points = line.rates.enumerated().compactMap { i, rate in rate.map { (x(i), y($0)) } }
            if points.count > 1 {
                svg.polyline(points, stroke: line.colour, width: line.width, dash: line.dash)
            }
            for p in points { svg.circle(x: p.0, y: p.1, r: line.width >= 2.5 ? 3 : 2, fill: line.colour) }
        }
        // The pooled day-N rates, written above their points.
        if let pooled = series.first {
            for (i, rate) in pooled.rates.enumerated() {
                guard let rate else { continue }
                svg.text(style.percent(rate, decimals: 1), x: x(i), y: y(rate) - 7, anchor: .middle, size: 11,
                         fill: "#111827", weight: "600")
            }
        }
        for (index, line) in series.enumerated() {
            let (column, row) = index < 2 ? (0, index) : ((index - 2) % 3, 2 + (index - 2) / 3)
            let lx = left + Double(column) * (plotW / 3), ly = top + plotH + 40 + Double(row) * 18
            if let dash = line.dash {
                svg.line(x1: lx, y1: ly - 4, x2: lx + 16, y2: ly - 4, stroke: line.colour, width: 2, dash: dash)
            } else {
                svg.rect(x: lx, y: ly - 6, w: 16, h: 4, fill: line.colour)
            }
            svg.text(SVG.clip(line.label, index < 2 ? 40 : 12), x: lx + 20, y: ly, size: 11)
        }
        return svg.rendered
    }

    /// The pooled "on day N" and "day N or later" lines, then the latest cohorts with an eligible user.
    static func series(_ r: RetentionResult, style: NumberStyle, strings s: ReportStrings) -> [Series] {
        func rate(_ active: Int, _ eligible: Int) -> Decimal? { eligible == 0 ? nil : Decimal(active) / Decimal(eligible) }
        var eligible = [Int](repeating: 0, count: r.days.count)
        var onDay = eligible, orAfter = eligible
        var byCohort: [(cohort: LocalDate, cells: [RetentionResult.DayCell])] = []
        for cell in r.dayCells {
            guard let i = r.days.firstIndex(of: cell.day) else { continue }
            eligible[i] += cell.eligibleUsers
            onDay[i] += cell.activeOnDay
            orAfter[i] += cell.activeOnOrAfter
            if byCohort.last?.cohort != cell.cohort { byCohort.append((cell.cohort, [])) }
            byCohort[byCohort.count - 1].cells.append(cell)
        }
        var out = [
            Series(label: s["legend_on_day"], colour: SVG.palette[0], width: 3, dash: nil,
                   rates: r.days.indices.map { rate(onDay[$0], eligible[$0]) }),
            Series(label: s["legend_or_after"], colour: SVG.palette[0], width: 2, dash: "5 4",
                   rates: r.days.indices.map { rate(orAfter[$0], eligible[$0]) }),
        ]
        let latest = byCohort.filter { $0.cells.contains { $0.eligibleUsers > 0 } }.suffix(latestCohorts)
        for (k, cohort) in latest.enumerated() {
            let rates = r.days.map { n in cohort.cells.first { $0.day == n }.flatMap { rate($0.activeOnDay, $0.eligibleUsers) } }
            out.append(Series(label: style.date(cohort.cohort), colour: SVG.palette[1 + k % (SVG.palette.count - 1)],
                              width: 1.6, dash: nil, rates: rates))
        }
        return out
    }

    /// The top of the rate axis: the smallest of 4 %, 8 %, 10 %, 20 %, 40 %, 60 %, 80 % and 100 % that holds
    /// `rate`, so that its quarters are round numbers.
    static func axisTop(_ rate: Decimal) -> Decimal {
        for top in ["0.04", "0.08", "0.1", "0.2", "0.4", "0.6", "0.8"] where rate <= Decimal(string: top)! {
            return Decimal(string: top)!
        }
        return 1
    }
}
