import Foundation

/// Advise: `goal.missed` (SPEC §6) — one suggestion per missed target, naming the analysis
/// whose numbers drive the metric. The impact is the distance to the target, in the metric's unit.
enum GoalRules {
    static func suggestions(_ goals: [GoalResult]) -> [Suggestion] {
        goals.compactMap { goal in
            guard goal.status == .missed, let gap = goal.gap, let name = MetricName(goal.target.metric) else { return nil }
            let unit: Suggestion.Impact.Unit = switch goal.actual {
            case .rate: .rate
            case .money: .money
            case .count: .users
            }
            var channel: String?
            switch name {
            case .roi(.channel(let c)), .roas(.channel(let c)), .cac(.channel(let c)): channel = c
            default: break
            }
            var step: Int?
            if case .funnelStep(let n) = name { step = n }
            return Suggestion(rule: .goalMissed, priority: .high, channel: channel, step: step,
                              evidence: .goalMissed(goal, analysis: analysis(of: name)), impact: .init(abs(gap), unit))
        }
    }

    static func analysis(of name: MetricName) -> SuggestionEvidence.AnalysisName {
        switch name {
        case .retention: .retention
        case .funnelConversion, .funnelStep: .funnel
        case .roi, .roas, .cac, .revenueTotal, .signupsTotal: .roi
        }
    }
}
