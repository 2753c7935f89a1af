import Foundation

/// Report: a suggestion in words — its finding, recommendation and the assumption behind its
/// estimate, in the pipeline's language, quoting the evidence's numbers (SPEC §6).
///
/// The same wording goes to `suggestions.csv`, `summary.json` and both reports.
public struct SuggestionWording: Sendable {
    public let finding: String
    public let recommendation: String
    public let assumption: String
    /// The estimated impact as a reader reads it (`¥12,345.67`, `120 users`).
    public let impact: String

    public init(_ s: Suggestion, strings: ReportStrings, style: NumberStyle, context: Context) {
        let w = Words(strings: strings, style: style, context: context)
        (finding, recommendation, assumption) = w.sentences(s)
        impact = w.impact(s.impact)
    }

    /// Pipeline facts the sentences mention that the evidence itself does not carry.
    public struct Context: Sendable {
        /// `retention.period`, for "the second week".
        public let period: PeriodUnit
        public let minFunnelEntrants: Int

        public init(period: PeriodUnit, minFunnelEntrants: Int) {
            self.period = period
            self.minFunnelEntrants = minFunnelEntrants
        }
    }
}

/// The shared vocabulary of suggestion sentences: how each kind of figure is written.
private struct Words {
    let strings: ReportStrings
    let style: NumberStyle
    let context: SuggestionWording.Context

    func impact(_ i: Suggestion.Impact) -> String {
        switch i.unit {
        case .money: style.money(i.value)
        case .users: strings.format("unit_users", ["value": style.number(i.value, decimals: 0)])
        case .rows: strings.format("unit_rows", ["value": style.number(i.value, decimals: 0)])
        case .rate: strings.format("unit_rate", ["value": style.number(i.value * 100, decimals: 1)])
        }
    }

    func sentences(_ s: Suggestion) -> (String, String, String) {
        let impactNumber = style.number(s.impact.value, decimals: 0)
        switch s.evidence {
        case .roiCut(let f):
            let v = channel(f)
            return (strings.format("roi_cut_finding", v), strings.format("roi_cut_recommendation", v),
                    strings.format("roi_cut_assumption", v))
        case .roiScale(let f, let paidROAS, let ratio, let fraction, let move):
            var v = channel(f)
            v["paid_roas"] = style.number(paidROAS, decimals: 2)
            v["ratio"] = style.times(ratio)
            v["fraction"] = style.percent(fraction, decimals: 0)
            let finding = strings.format("roi_scale_finding", v)
            if let move {
                v["from"] = move.from
                v["amount"] = style.money(move.amount)
                v["to_roas"] = style.number(move.toROAS, decimals: 2)
                v["from_roas"] = style.number(move.fromROAS, decimals: 2)
                return (finding, strings.format("roi_scale_move_recommendation", v),
                        strings.format("roi_scale_move_assumption", v))
            }
            v["amount"] = style.money(fraction * f.spend)
            return (finding, strings.format("roi_scale_grow_recommendation", v),
                    strings.format("roi_scale_grow_assumption", v))
        case .funnelBottleneck(let b):
            var v = [
                "step": String(b.step), "previous_step": String(b.step - 1), "name": b.name, "previous_name": b.previousName,
                "previous_users": style.count(b.previousUsers), "users": style.count(b.users),
                "conversion": style.percent(b.conversion), "last_name": b.lastStepName, "impact": impactNumber,
                "min_entrants": style.count(context.minFunnelEntrants),
            ]
            if let best = b.bestChannel, let rate = b.bestConversion {
                v["best_channel"] = best
                v["best_conversion"] = style.percent(rate)
                return (strings.format("funnel_bottleneck_finding_best", v), strings.format("funnel_bottleneck_recommendation_best", v),
                        strings.format("funnel_bottleneck_assumption_best", v))
            }
            return (strings.format("funnel_bottleneck_finding", v), strings.format("funnel_bottleneck_recommendation", v),
                    strings.format("funnel_bottleneck_assumption", v))
        case .funnelChannelGap(let g):
            let v = [
                "channel": g.channel, "entrants": style.count(g.entrants), "completed": style.count(g.completed),
                "last_name": g.lastStepName, "conversion": style.percent(g.conversion),
                "all_conversion": style.percent(g.allConversion), "ratio": style.percent(g.ratio, decimals: 0),
                "step_name": g.weakestName, "step_conversion": optionalPercent(g.weakestConversion),
                "all_step_conversion": optionalPercent(g.allWeakestConversion), "impact": impactNumber,
            ]
            return (strings.format("funnel_gap_finding", v), strings.format("funnel_gap_recommendation", v),
                    strings.format("funnel_gap_assumption", v))
        case .retentionDecline(let cohorts):
            let list = cohorts.map {
                strings.format("retention_decline_cohort", ["cohort": $0.cohort.description, "rate": style.percent($0.rate)])
            }.joined(separator: ", ")
            let v = [
                "cohorts": list, "cohort": cohorts.last?.cohort.description ?? "",
                "first_cohort": cohorts.first?.cohort.description ?? "",
                "first_rate": cohorts.first.map { style.percent($0.rate) } ?? "",
                "size": style.count(cohorts.last?.cohortSize ?? 0), "impact": impactNumber,
                "period": strings["period_\(context.period.rawValue)"],
            ]
            return (strings.format("retention_decline_finding", v), strings.format("retention_decline_recommendation", v),
                    strings.format("retention_decline_assumption", v))
        case .goalMissed(let goal, let analysis):
            let v = [
                "goal": goal.target.label ?? goal.target.metric,
                "actual": style.metric(goal.actual, named: goal.target.metric),
                "target": style.metric(goal.targetValue, named: goal.target.metric),
                "gap": style.metric(goal.gapValue, named: goal.target.metric),
                "kind": strings["kind_\(goal.target.kind.rawValue)"],
            ]
            return (strings.format("goal_missed_finding", v), strings["goal_missed_recommendation_\(analysis.rawValue)"],
                    strings["goal_missed_assumption"])
        case .qualityRejects(let q):
            let v = [
                "input": strings["input_\(q.input.rawValue)"], "file": q.input.rawValue,
                "rejected": style.count(q.rejected), "rows_read": style.count(q.rowsRead),
                "rate": style.percent(q.rate, decimals: 2), "threshold": style.percent(q.threshold, decimals: 2),
                "reason": q.topReason, "count": style.count(q.topReasonCount),
            ]
            return (strings.format("quality_rejects_finding", v), strings.format("quality_rejects_recommendation", v),
                    strings.format("quality_rejects_assumption", v))
        }
    }

    private func optionalPercent(_ rate: Decimal?) -> String {
        rate.map { style.percent($0) } ?? strings["not_available"]
    }

    private func channel(_ f: SuggestionEvidence.ChannelFigures) -> [String: String] {
        [
            "channel": f.channel, "spend": style.money(f.spend), "share": style.percent(f.spendShare),
            "revenue": style.money(f.revenue), "profit": style.money(f.grossProfit),
            "roi": style.percent(f.roi), "roas": style.number(f.roas, decimals: 2),
        ]
    }
}
