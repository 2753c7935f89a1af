import Foundation

/// Advise: one target checked against its headline metric (SPEC §6, §9) — a row of `goals.csv`.
public struct GoalResult: Sendable, Equatable {
    /// The words written in `goals.csv`.
    public enum Status: String, Sendable {
        case met, missed
        /// A time-bound goal not met yet whose projection at the deadline reaches the target.
        case onTrack = "on_track"
        /// A time-bound goal not met yet whose projection falls short (or that has no projection).
        case behind
        case noData = "no_data"
    }

    /// The target as written in the pipeline (metric, kind, value, label, start, by).
    public let target: Target
    /// The metric's value this run, with its kind (a null value when the metric has no data).
    public let actual: MetricValue
    public let status: Status
    /// The target value as a value of the metric's kind (so it is written like the metric): the
    /// bound itself, or for a relative target the one computed from the baseline (null without one).
    public let targetValue: MetricValue
    /// SPEC §6: the KPI in the period before the one containing `start`; nil when the target has
    /// no `start`, a null value when that period is not complete.
    public let baseline: MetricValue?
    /// SPEC §6: the least-squares projection at the period containing `by`; nil without `by`,
    /// a null value with fewer than two points.
    public let projected: MetricValue?

    /// A plain bound (no baseline, no projection).
    public init(target: Target, actual: MetricValue, status: Status) {
        self.init(target: target, actual: actual, status: status, targetValue: actual.withValue(target.value),
                  baseline: nil, projected: nil)
    }

    public init(target: Target, actual: MetricValue, status: Status, targetValue: MetricValue,
                baseline: MetricValue?, projected: MetricValue?) {
        self.target = target
        self.actual = actual
        self.status = status
        self.targetValue = targetValue
        self.baseline = baseline
        self.projected = projected
    }

    /// The date the goal was set, as written (`start`).
    public var start: LocalDate? { target.start }
    /// The deadline, as written (`by`).
    public var deadline: LocalDate? { target.by }

    /// `actual − target`, exact; nil for `no_data` (SPEC §9: gap is empty then).
    public var gap: Decimal? {
        guard let a = actual.decimal, let t = targetValue.decimal else { return nil }
        return a - t
    }

    /// The gap as a value of the metric's kind; null for `no_data`.
    public var gapValue: MetricValue { actual.withValue(gap) }
}

extension Target: Equatable {
    public static func == (a: Target, b: Target) -> Bool {
        a.metric == b.metric && a.kind == b.kind && a.value == b.value && a.label == b.label
            && a.change == b.change && a.start == b.start && a.by == b.by
    }
}
