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
        /// The range analysed, so budget rules say over what period their money is (SPEC §6: totals).
        public let since: LocalDate?
        public let asOf: LocalDate?
        /// `trends.period`, for "the week of 2025-06-23".
        public let trendsPeriod: PeriodUnit
        /// The funnel's step names, so a repeated name is told apart by its number.
        public let stepNames: [String]
        /// With `funnel.order: any`, the number of steps: step k is then worded "k of n steps" in
        /// the report's language rather than quoted from `funnel.csv` (SPEC §4.2).
        public let anyOrderSteps: Int?

        public init(period: PeriodUnit, minFunnelEntrants: Int, since: LocalDate? = nil, asOf: LocalDate? = nil,
                    trendsPeriod: PeriodUnit = .week, stepNames: [String] = [], anyOrderSteps: Int? = nil) {
            self.period = period
            self.minFunnelEntrants = minFunnelEntrants
            self.since = since
            self.asOf = asOf
            self.trendsPeriod = trendsPeriod
            self.stepNames = stepNames
            self.anyOrderSteps = anyOrderSteps
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
        case .orders: strings.format("unit_orders", ["value": style.number(i.value, decimals: 0)])
        case .rows: strings.format("unit_rows", ["value": style.number(i.value, decimals: 0)])
        case .rate: strings.format("unit_rate", ["value": style.number(i.value * 100, decimals: 2)])
        }
    }

    /// "step 4 (purchase)": a step always carries its number, since a name may repeat (SPEC §4.2);
    /// in `any` order the step has no name of its own and reads "4 of 5 steps".
    func step(_ number: Int, _ name: String) -> String {
        if context.anyOrderSteps != nil { return stepName(number, name) }
        return strings.format("step_label", ["step": String(number), "name": name])
    }

    /// A funnel step's name as the sentences quote it: as configured, or "k of n steps" in `any` order.
    func stepName(_ step: Int, _ name: String) -> String {
        guard let n = context.anyOrderSteps else { return name }
        return strings.format("funnel_any_step", ["k": String(step), "n": String(n)])
    }

    /// The dates of the range analysed, for "from … to …".
    private var range: [String: String] {
        ["since": context.since.map { style.date($0) } ?? "", "as_of": context.asOf.map { style.date($0) } ?? ""]
    }

    func sentences(_ s: Suggestion) -> (String, String, String) {
        let (finding, recommendation, assumption) = base(s)
        return (finding, recommendation, assumption + valuation(s.impact))
    }

    /// How the impact was valued in money, appended to the assumption (SPEC §6: "the assumption
    /// says how it was valued"); nothing when the impact is money itself or has no money value.
    private func valuation(_ i: Suggestion.Impact) -> String {
        guard let money = i.money else { return "" }
        let m = style.money(money)
        switch i.valuation {
        case .itself, .none: return ""
        case .perUser(let arpu, let channel?):
            return " " + strings.format("valued_per_user", ["channel": channel, "arpu": style.money(arpu), "money": m])
        case .perUser(let arpu, nil):
            return " " + strings.format("valued_per_user_all", ["arpu": style.money(arpu), "money": m])
        case .perOrder(let aov):
            return " " + strings.format("valued_per_order", ["aov": style.money(aov), "money": m])
        case .latestPeriod(let kpi, let amount):
            return " " + strings.format("valued_latest", ["amount": kpiValue(kpi, amount), "kpi": strings["trend_kpi_\(kpi.rawValue)"],
                                                          "money": m])
        }
    }

    /// A trend KPI's value as a reader reads it.
    func kpiValue(_ kpi: TrendKPI, _ v: Decimal?) -> String {
        guard let v else { return strings["not_available"] }
        switch kpi {
        case .roas: return style.number(v, decimals: 2)
        case .stickiness: return style.percent(v, decimals: 1)
        default: return kpi.kind == .money ? style.money(v) : style.number(v, decimals: 0)
        }
    }

    private func base(_ s: Suggestion) -> (String, String, String) {
        let impactNumber = style.number(s.impact.value, decimals: 0)
        switch s.evidence {
        case .roiCut(let f, let campaigns):
            var v = channel(f).merging(range) { a, _ in a }
            v["impact"] = impact(s.impact)
            let named = campaigns.prefix(3).map {
                strings.format("roi_cut_campaign", ["campaign": $0.campaign ?? strings["campaign_none"],
                                                    "spend": style.money($0.spend), "share": style.percent($0.share)])
            }
            v["campaigns"] = named.joined(separator: strings["list_separator"])
            let key = campaigns.contains { $0.campaign != nil } ? "roi_cut_recommendation" : "roi_cut_recommendation_plain"
            return (strings.format("roi_cut_finding", v), strings.format(key, v), strings.format("roi_cut_assumption", v))
        case .roiScale(let f, let paidROAS, let ratio, let fraction, let move):
            var v = channel(f).merging(range) { a, _ in a }
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
            let lastNumber = max(context.stepNames.count, b.step)
            var v = [
                "step": String(b.step), "previous_step": String(b.step - 1), "name": stepName(b.step, b.name),
                "previous_name": stepName(b.step - 1, b.previousName),
                "this_step": step(b.step, b.name), "previous": step(b.step - 1, b.previousName),
                "last": step(lastNumber, b.lastStepName),
                "previous_users": style.count(b.previousUsers), "users": style.count(b.users),
                "conversion": style.percent(b.conversion), "last_name": stepName(lastNumber, b.lastStepName),
                "impact": impactNumber,
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
            let lastNumber = max(context.stepNames.count, g.weakestStep)
            let v = [
                "channel": g.channel, "entrants": style.count(g.entrants), "completed": style.count(g.completed),
                "last": step(lastNumber, g.lastStepName), "last_name": stepName(lastNumber, g.lastStepName),
                "conversion": style.percent(g.conversion),
                "all_conversion": style.percent(g.allConversion), "ratio": style.percent(g.ratio, decimals: 0),
                "weak_step": step(g.weakestStep, g.weakestName), "step_name": stepName(g.weakestStep, g.weakestName),
                "step_conversion": optionalPercent(g.weakestConversion),
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
        case .goalMissed(let goal, let analysis, let basis):
            var v = goalValues(goal)
            v["impact"] = impact(s.impact)
            v["hint"] = strings["goal_missed_recommendation_\(analysis.rawValue)"]
            let key: String
            switch basis {
            case .gap: key = "gap"
            case .rateTimesUsers(let users):
                key = "users"
                v["users"] = style.count(users)
            case .rateTimesSpend(let spend):
                key = goal.target.metric.hasPrefix("roi.") ? "roi" : "roas"
                v["spend"] = style.money(spend)
            case .cac(let spend, let paying, let toWin):
                key = "cac"
                v["spend"] = style.money(spend)
                v["paying"] = style.count(paying)
                v["to_win"] = style.number(toWin, decimals: 0)
            case .rateTimesBase(let base, let kpi):
                key = "base"
                v["base"] = kpiValue(kpi, base)
                v["kpi"] = strings["trend_kpi_\(kpi.rawValue)"]
            case .perUnit: key = "unit"
            }
            return (strings.format("goal_missed_finding", v), strings.format("goal_missed_do_\(key)", v),
                    strings.format("goal_missed_assumption_\(key)", v))
        case .goalBehind(let goal):
            var v = goalValues(goal)
            v["impact"] = impact(s.impact)
            v["deadline"] = goal.deadline.map { style.date($0) } ?? ""
            v["start"] = goal.start.map { style.date($0) } ?? strings["goal_first_complete"]
            v["period"] = strings["period_\(context.trendsPeriod.rawValue)"]
            v["hint"] = strings["goal_missed_recommendation_trends"]
            v["direction"] = strings["direction_\(goal.target.kind.rawValue)"]
            let hasProjection = goal.projected?.decimal != nil
            v["projected"] = goal.projected.map { style.metric($0, named: goal.target.metric) } ?? ""
            let suffix = hasProjection ? "" : "_no_projection"
            return (strings.format("goal_behind_finding" + suffix, v), strings.format("goal_behind_recommendation" + suffix, v),
                    strings.format("goal_behind_assumption" + suffix, v))
        case .trendDrop(let d):
            let v = [
                "kpi": strings["trend_kpi_\(d.kpi.rawValue)"], "period": strings["period_\(context.trendsPeriod.rawValue)"],
                "period_start": style.date(d.period), "previous_start": style.date(d.previousPeriod),
                "value": kpiValue(d.kpi, d.value), "previous": kpiValue(d.kpi, d.previousValue),
                "change": kpiValue(d.kpi, d.change), "fall": style.percent(-d.growth, decimals: 1),
                "threshold": style.percent(d.threshold, decimals: 0), "impact": impact(s.impact),
                "channel": d.channel ?? "", "channel_value": kpiValue(d.kpi, d.channelValue),
                "channel_previous": kpiValue(d.kpi, d.channelPreviousValue),
            ]
            let suffix = d.channel == nil ? "_no_channel" : ""
            return (strings.format("trend_drop_finding" + suffix, v), strings.format("trend_drop_recommendation" + suffix, v),
                    strings.format("trend_drop_assumption", v))
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

    /// A goal's figures as the sentences quote them; a rate gap in percentage points.
    private func goalValues(_ goal: GoalResult) -> [String: String] {
        let metric = goal.target.metric
        return [
            "goal": goal.target.label ?? metric,
            "actual": style.metric(goal.actual, named: metric),
            "target": style.metric(goal.targetValue, named: metric),
            "gap": style.difference(goal.gapValue, named: metric),
            "kind": strings["kind_\(goal.target.kind.rawValue)"],
        ]
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
