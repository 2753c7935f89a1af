import Foundation

/// Advise: a target on a `trend.*` KPI, time-bound or not (SPEC §6 "Time-bound (SMART) targets"):
/// the trends → baseline, computed target, status and the least-squares projection at the deadline.
///
/// Everything is exact (`Fraction`): the baseline and the points are KPIs of complete periods,
/// the target is `baseline + x`, `baseline × (1 + r)`, … of the pipeline's decimal `x` or `r`,
/// and the projection is the least-squares line's value, so "met", "on track" and "behind" are
/// decided without rounding; values are rounded once when written.
enum SmartGoal {
    static func evaluate(_ target: Target, kpi: TrendKPI, trends: TrendsResult) -> GoalResult {
        let calendar = trends.calendar
        let latest = trends.latestComplete
        let actual = latest.flatMap { trends.completeValue(kpi, periodIndex: $0.index) }

        // Baseline: the period just before the one containing start, when complete.
        var baseline: Fraction?
        if let start = target.start {
            baseline = trends.completeValue(kpi, periodIndex: calendar.index(of: start) - 1)
        }
        let amount = Fraction(target.value)!
        let goal: Fraction? = switch target.change {
        case nil: amount
        case .increaseBy?: baseline.map { $0 + amount }
        case .increaseByRate?: baseline.map { $0 * (.one + amount) }
        case .decreaseBy?: baseline.map { $0 - amount }
        case .decreaseByRate?: baseline.map { $0 * (.one - amount) }
        }

        // Projection: complete periods from the one containing start (else the first complete row)
        // to the latest complete one, i counted from that first period.
        var projected: Fraction?
        if let by = target.by, let latest {
            let origin = target.start.map { calendar.index(of: $0) } ?? trends.periods.first { !$0.partial }?.index ?? latest.index
            var points: [(x: Int, y: Fraction)] = []
            if origin <= latest.index {
                for i in origin...latest.index {
                    if let y = trends.completeValue(kpi, periodIndex: i) { points.append((i - origin, y)) }
                }
            }
            projected = leastSquares(points, at: calendar.index(of: by) - origin)
        }

        func reaches(_ v: Fraction, _ t: Fraction) -> Bool { target.kind == .min ? v >= t : v <= t }
        let status: GoalResult.Status
        if let actual, let goal {
            if reaches(actual, goal) {
                status = .met
            } else if let by = target.by {
                if trends.asOf >= by { status = .missed }
                else { status = projected.map { reaches($0, goal) } == true ? .onTrack : .behind }
            } else {
                status = .missed
            }
        } else {
            status = .noData
        }
        return GoalResult(target: target, actual: value(kpi, actual), status: status, targetValue: value(kpi, goal),
                          baseline: target.start == nil ? nil : value(kpi, baseline),
                          projected: target.by == nil ? nil : value(kpi, projected))
    }

    /// The KPI's kind of headline value (SPEC §9: goals are written like the metric).
    static func value(_ kpi: TrendKPI, _ v: Fraction?) -> MetricValue {
        let d = v?.decimal
        switch kpi.kind {
        case .count: return .count(d)
        case .money: return .money(d)
        case .rate: return .rate(d)
        }
    }

    /// The ordinary least-squares line through `points` (distinct x), evaluated at `x`; nil with
    /// fewer than two points. slope = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²), intercept = (Σy − slope·Σx) / n.
    static func leastSquares(_ points: [(x: Int, y: Fraction)], at x: Int) -> Fraction? {
        guard points.count >= 2 else { return nil }
        let n = Fraction(points.count)
        var sx = Fraction.zero, sxx = Fraction.zero, sy = Fraction.zero, sxy = Fraction.zero
        for p in points {
            let px = Fraction(p.x)
            sx = sx + px
            sxx = sxx + px * px
            sy = sy + p.y
            sxy = sxy + px * p.y
        }
        guard let slope = (n * sxy - sx * sy).divided(by: n * sxx - sx * sx),
              let intercept = (sy - slope * sx).divided(by: n) else { return nil }
        return intercept + slope * Fraction(x)
    }
}
