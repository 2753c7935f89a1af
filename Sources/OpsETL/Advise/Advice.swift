import Foundation

/// Advise: goals and ranked suggestions (SPEC §6) from the analysis results and the quality
/// ledger — the last stage before Report. Reads nothing but those two and the pipeline's
/// `targets` and `suggestions` sections.
public struct Advice: Sendable {
    /// One per target, in pipeline order.
    public let goals: [GoalResult]
    /// Ranked: priority, then `impact_value` (largest first, none last), then the impact in its own
    /// unit, rule, channel, step and cohort, so the same results always give the same order (SPEC §6).
    public let suggestions: [Suggestion]

    public init(goals: [GoalResult], suggestions: [Suggestion]) {
        self.goals = goals
        self.suggestions = suggestions
    }

    /// - Parameter channelName: how a channel written in a target maps onto the data's channel
    ///   names (the pipeline's channel normalisation and aliases).
    public static func compute(_ analyses: AnalysisResults, quality: QualityReport, pipeline: Pipeline,
                               channelName: (String) -> String) -> Advice {
        let goals = Goals.evaluate(pipeline.targets, metrics: analyses.headlineMetrics, trends: analyses.trends,
                                   channelName: channelName)
        let settings = pipeline.suggestions
        let valuation = ImpactValuation(analyses)
        var all = ROIRules.suggestions(analyses.roi, settings: settings)
        if let funnel = analyses.funnel { all += FunnelRules.suggestions(funnel, settings: settings, valuation: valuation) }
        all += RetentionRules.suggestions(analyses.retention, valuation: valuation)
        all += TrendRules.suggestions(analyses.trends, settings: settings, valuation: valuation)
        all += GoalRules.suggestions(goals, analyses: analyses, valuation: valuation, channelName: channelName)
        all += QualityRules.suggestions(quality.inputs, settings: settings, valuation: valuation)
        return Advice(goals: goals, suggestions: rank(all))
    }

    /// SPEC §6 ranking: priority, then `impact_value` (money, so rules in different units compare;
    /// none last). Suggestions whose impact rounds to 0 where written are dropped first: "about 0
    /// more users" is nothing to act on.
    static func rank(_ suggestions: [Suggestion]) -> [Suggestion] {
        let ruleOrder = Dictionary(uniqueKeysWithValues: Suggestion.Rule.allCases.enumerated().map { ($1, $0) })
        let sorted = suggestions.filter { !$0.impact.roundsToZero }.sorted { a, b in
            if a.priority != b.priority { return a.priority < b.priority }
            if a.impact.money != b.impact.money {
                guard let x = a.impact.money else { return false }
                guard let y = b.impact.money else { return true }
                return x > y
            }
            if a.impact.value != b.impact.value { return a.impact.value > b.impact.value }
            if a.rule != b.rule { return ruleOrder[a.rule]! < ruleOrder[b.rule]! }
            if a.channel != b.channel { return (a.channel ?? "").utf8.lexicographicallyPrecedes((b.channel ?? "").utf8) }
            if a.step != b.step { return (a.step ?? 0) < (b.step ?? 0) }
            return (a.cohort?.description ?? "") < (b.cohort?.description ?? "")
        }
        return sorted.enumerated().map { $1.ranked($0 + 1) }
    }
}
