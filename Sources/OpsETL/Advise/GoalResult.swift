import Foundation

/// Advise: one target checked against its headline metric (SPEC §6, §9) — a row of `goals.csv`.
public struct GoalResult: Sendable, Equatable {
    /// `met`, `missed` or `no_data` — the words written in `goals.csv`.
    public enum Status: String, Sendable {
        case met, missed
        case noData = "no_data"
    }

    /// The target as written in the pipeline (metric, kind, value, label).
    public let target: Target
    /// The metric's value this run, with its kind (a null value when the metric has no data).
    public let actual: MetricValue
    public let status: Status

    /// `actual − target`, exact; nil for `no_data` (SPEC §9: gap is empty then).
    public var gap: Decimal? {
        actual.decimal.map { $0 - target.value }
    }

    /// The target value as a value of the metric's kind, so it is written like the metric.
    public var targetValue: MetricValue { actual.withValue(target.value) }

    /// The gap as a value of the metric's kind; null for `no_data`.
    public var gapValue: MetricValue { actual.withValue(gap) }
}

extension Target: Equatable {
    public static func == (a: Target, b: Target) -> Bool {
        a.metric == b.metric && a.kind == b.kind && a.value == b.value && a.label == b.label
    }
}
