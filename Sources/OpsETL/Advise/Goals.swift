import Foundation

/// Advise: checks each target of the pipeline against the headline metrics (SPEC §6, §9).
///
/// Input: the targets, the analyses' headline metrics and the trends (for time-bound targets);
/// output: one `GoalResult` per target, in pipeline order. A metric with no value this run — a
/// division by zero, or a channel that has no data — is `no_data`, never a failure (the family
/// was validated when the pipeline loaded).
public enum Goals {
    /// - Parameter channelName: maps a channel written in a target (`roi.Facebook Ads`) to the name
    ///   the data uses (`facebook`): the same normalisation and aliases as the channel column,
    ///   so a goal names a channel the way the team writes it.
    /// - Parameter trends: the trends of the run; a `trend.*` target is judged on them exactly
    ///   (baseline, computed target, projection). Without them it is a plain bound.
    public static func evaluate(_ targets: [Target], metrics: [HeadlineMetric], trends: TrendsResult? = nil,
                                channelName: (String) -> String) -> [GoalResult] {
        var byName: [String: MetricValue] = [:]
        for m in metrics { byName[m.name] = m.value }
        return targets.map { target in
            let name = MetricName(target.metric)
            if case .trend(let kpi)? = name, let trends {
                return SmartGoal.evaluate(target, kpi: kpi, trends: trends)
            }
            let key = name.map { canonicalKey($0, channelName: channelName) } ?? target.metric
            let actual = byName[key] ?? name.map { emptyValue(of: $0) } ?? .rate(nil)
            return GoalResult(target: target, actual: actual, status: status(of: actual, against: target))
        }
    }

    /// SPEC §9: met when the unrounded actual is ≥ min / ≤ max.
    static func status(of actual: MetricValue, against target: Target) -> GoalResult.Status {
        guard let value = actual.decimal else { return .noData }
        switch target.kind {
        case .min: return value >= target.value ? .met : .missed
        case .max: return value <= target.value ? .met : .missed
        }
    }

    /// The headline metric name to look up: channels normalised like the data's.
    private static func canonicalKey(_ name: MetricName, channelName: (String) -> String) -> String {
        func resolve(_ c: MetricChannel) -> MetricChannel {
            if case .channel(let raw) = c { return .channel(channelName(raw)) }
            return c
        }
        switch name {
        case .roi(let c): return MetricName.roi(resolve(c)).description
        case .roas(let c): return MetricName.roas(resolve(c)).description
        case .cac(let c): return MetricName.cac(resolve(c)).description
        default: return name.description
        }
    }

    /// A null value of the kind the metric family has, so target and gap are still formatted like it.
    static func emptyValue(of name: MetricName) -> MetricValue {
        switch name {
        case .retention, .retentionDay, .funnelConversion, .funnelStep, .roi, .roas, .growth, .yoy: .rate(nil)
        case .cac, .revenueTotal: .money(nil)
        case .signupsTotal: .count(nil)
        case .trend(let kpi): SmartGoal.value(kpi, nil)
        }
    }
}
