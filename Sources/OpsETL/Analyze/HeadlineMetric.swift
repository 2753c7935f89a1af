import Foundation

/// Analyze: a headline metric (SPEC §4) — what goals are checked against and `summary.json` lists.
///
/// The kind fixes how the value is written (SPEC §7/§9: rates 6 decimals, money 2, counts
/// integers, null empty), so goals can format actual, target and gap "like the metric".
public enum MetricValue: Sendable, Equatable {
    /// A ratio such as a retention rate, ROI or ROAS; written with 6 decimals.
    case rate(Decimal?)
    /// An amount of money (revenue, CAC); written with 2 decimals.
    case money(Decimal?)
    /// A count (signups); written as an integer. Decimal so that a target or a gap of the
    /// count's kind (which may be fractional) is the same kind of value.
    case count(Decimal?)

    /// True when the metric has no value this run (a division by zero or by null).
    public var isNull: Bool {
        switch self {
        case .rate(let v), .money(let v), .count(let v): v == nil
        }
    }

    /// The exact value, nil when null.
    public var decimal: Decimal? {
        switch self {
        case .rate(let v), .money(let v), .count(let v): v
        }
    }

    /// The same kind of value holding `value` — a target or a gap is written like its metric (SPEC §9).
    public func withValue(_ value: Decimal?) -> MetricValue {
        switch self {
        case .rate: .rate(value)
        case .money: .money(value)
        case .count: .count(value)
        }
    }

    /// As written in CSV and JSON; nil for null.
    public var formatted: String? {
        switch self {
        case .rate(let v): v.map { FixedPoint.format($0, decimals: 6) }
        case .money(let v): v.map { FixedPoint.format($0, decimals: 2) }
        case .count(let v): v.map { FixedPoint.format($0, decimals: 0) }
        }
    }
}

/// A named headline metric, e.g. `retention.p1`, `funnel.step3`, `roi.facebook`.
public struct HeadlineMetric: Sendable, Equatable {
    public let name: String
    public let value: MetricValue

    public init(name: String, value: MetricValue) {
        self.name = name
        self.value = value
    }
}
