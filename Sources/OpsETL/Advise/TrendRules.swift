import Foundation

/// Advise: `trend.drop` (SPEC §6) — for each of `signups`, `active_users`, `paying_users`, `orders`
/// and `revenue` whose growth (segment `all`, latest complete period against the one before) is at
/// most −`drop_threshold`: the channel whose change is most negative (ties by name) is named, and
/// the impact is the fall of `all` (−change) in the KPI's unit.
///
/// The comparison is exact: growth = change / previous ≤ −threshold is decided on fractions.
enum TrendRules {
    static func suggestions(_ trends: TrendsResult, settings: Suggestions, valuation: ImpactValuation) -> [Suggestion] {
        guard let threshold = Fraction(settings.dropThreshold) else { return [] }
        var out: [Suggestion] = []
        for kpi in TrendKPI.watchedForDrops {
            guard let all = trends.change(kpi), let growth = all.changeRate, let change = all.change,
                  let value = all.value, let previous = all.previousValue, growth <= -threshold else { continue }
            // The channel that fell the most; ties by name (segments are in byte order already).
            var worst: TrendsResult.Change?
            for segment in trends.segments {
                guard case .channel = segment, let c = trends.change(kpi, segment: segment), let delta = c.change else { continue }
                if worst == nil || delta < worst!.change! { worst = c }
            }
            let drop = SuggestionEvidence.TrendDrop(
                kpi: kpi, period: all.period, previousPeriod: all.previousPeriod, value: value.decimal,
                previousValue: previous.decimal, change: change.decimal, growth: growth.decimal,
                threshold: settings.dropThreshold, channel: worst?.segment.name, channelValue: worst?.value?.decimal,
                channelPreviousValue: worst?.previousValue?.decimal, channelChange: worst?.change?.decimal)
            out.append(Suggestion(rule: .trendDrop, priority: .medium, channel: worst?.segment.name,
                                  evidence: .trendDrop(drop), impact: valuation.kpiAmount((-change).decimal, kpi)))
        }
        return out
    }
}
