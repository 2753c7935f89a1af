import Foundation

/// Advise: `goal.missed` and `goal.behind` (SPEC §6) — one suggestion per missed target, naming the
/// analysis whose numbers drive it, and one per time-bound target that is behind its plan.
///
/// A missed goal's impact is a total for the period analysed, never a per-unit gap (SPEC §6): a
/// rate gap is multiplied by what it applies to (retention: the pooled cohorts' users; a funnel
/// step: the users at the step before; ROI/ROAS: the spend), a CAC above its maximum is the spend
/// to save at today's paying users, and a growth rate gap is the KPI amount missing. `goal.behind`'s
/// impact is the distance from the projection (else the actual) to the target, in the KPI's unit.
enum GoalRules {
    static func suggestions(_ goals: [GoalResult], analyses: AnalysisResults, valuation: ImpactValuation,
                            channelName: (String) -> String) -> [Suggestion] {
        goals.compactMap { goal in
            guard let name = MetricName(goal.target.metric) else { return nil }
            switch goal.status {
            case .missed: return missed(goal, name: name, analyses: analyses, valuation: valuation, channelName: channelName)
            case .behind: return behind(goal, name: name, valuation: valuation)
            case .met, .onTrack, .noData: return nil
            }
        }
    }

    private static func missed(_ goal: GoalResult, name: MetricName, analyses: AnalysisResults,
                               valuation: ImpactValuation, channelName: (String) -> String) -> Suggestion? {
        guard let signedGap = goal.gap else { return nil }
        let gap = abs(signedGap)
        var channel: String?
        var step: Int?
        let impact: Suggestion.Impact
        let basis: SuggestionEvidence.GoalImpactBasis
        func row(_ c: MetricChannel) -> ROIResult.Row? {
            switch c {
            case .total: return analyses.roi.row(ROIResult.total)
            case .totalPaid: return analyses.roi.row(ROIResult.totalPaid)
            case .channel(let raw):
                channel = channelName(raw)
                return analyses.roi.channelRows.first { $0.channel == channel }
            }
        }
        switch name {
        case .retention(let k):
            // The users of the cohorts `retention.pK` pools (complete cell K).
            let users = analyses.retention.cells.filter { $0.period == k && !$0.partial }.reduce(0) { $0 + $1.cohortSize }
            impact = valuation.users(gap * Decimal(users), channel: nil)
            basis = .rateTimesUsers(users: users)
        case .retentionDay(let n, _):
            // The users `retention.dN` (and `dN_plus`) divide by: those eligible for day N.
            let users = analyses.retention.dayCells.filter { $0.day == n }.reduce(0) { $0 + $1.eligibleUsers }
            impact = valuation.users(gap * Decimal(users), channel: nil)
            basis = .rateTimesUsers(users: users)
        case .funnelConversion, .funnelStep:
            let all = analyses.funnel?.segment("all") ?? []
            var users = all.first?.users ?? 0
            if case .funnelStep(let n) = name {
                step = n
                if n >= 2, n - 2 < all.count { users = all[n - 2].users }
            }
            impact = valuation.users(gap * Decimal(users), channel: nil)
            basis = .rateTimesUsers(users: users)
        case .roi(let c), .roas(let c):
            guard let r = row(c) else { return nil }
            let spend = ROIResult.money(r.spend)
            // ROI gap × spend = gross profit missing; ROAS gap × spend = revenue missing.
            impact = .init(gap * spend, .money)
            basis = .rateTimesSpend(spend: spend)
        case .cac(let c):
            guard let r = row(c), r.payingUsers > 0 else { return nil }
            let spend = ROIResult.money(r.spend)
            let target = goal.targetValue.decimal ?? 0
            let paying = Decimal(r.payingUsers)
            if goal.target.kind == .max, target > 0 {
                // CAC = spend / paying users: reaching the maximum at today's paying users means
                // spending target × paying; at today's spend, winning spend / target − paying more.
                impact = .init(spend - target * paying, .money)
                basis = .cac(spend: spend, payingUsers: r.payingUsers, payingUsersToWin: spend / target - paying)
            } else {
                impact = .init(gap * paying, .money)
                basis = .gap
            }
        case .revenueTotal:
            impact = .init(gap, .money)
            basis = .gap
        case .signupsTotal:
            impact = valuation.users(gap, channel: nil)
            basis = .gap
        case .trend(let kpi):
            switch kpi {
            case .aov, .arppu, .roas:
                // Per order, per paying user, per unit of spend: times the latest period's amount.
                let per: TrendKPI = kpi == .aov ? .orders : kpi == .arppu ? .payingUsers : .spend
                guard let base = valuation.latest(per) else { return nil }
                impact = .init(gap * base, .money)
                basis = .rateTimesBase(base: base, kpi: per)
            case .stickiness:
                impact = .init(gap, .rate)
                basis = .perUnit
            default:
                impact = valuation.kpiAmount(gap, kpi)
                basis = .gap
            }
        case .growth(let kpi), .yoy(let kpi):
            // A rate of change missing, times the compared period's value: the KPI amount missing.
            let change = analyses.trends.change(kpi)
            let compared = (name == .growth(kpi) ? change?.previousValue : change?.yearAgoValue)?.decimal
            guard let compared else { return nil }
            let amount = gap * abs(compared)
            switch kpi {
            case .aov, .arppu, .roas:
                let per: TrendKPI = kpi == .aov ? .orders : kpi == .arppu ? .payingUsers : .spend
                guard let base = valuation.latest(per) else { return nil }
                impact = .init(amount * base, .money)
            case .stickiness:
                impact = .init(amount, .rate)
            default:
                impact = valuation.kpiAmount(amount, kpi)
            }
            basis = .rateTimesBase(base: compared, kpi: kpi)
        }
        return Suggestion(rule: .goalMissed, priority: .high, channel: channel, step: step,
                          evidence: .goalMissed(goal, analysis: analysis(of: name), basis: basis), impact: impact)
    }

    private static func behind(_ goal: GoalResult, name: MetricName, valuation: ImpactValuation) -> Suggestion? {
        guard case .trend(let kpi) = name, let target = goal.targetValue.decimal,
              let from = goal.projected?.decimal ?? goal.actual.decimal else { return nil }
        return Suggestion(rule: .goalBehind, priority: .high, evidence: .goalBehind(goal),
                          impact: valuation.kpiAmount(abs(target - from), kpi))
    }

    static func analysis(of name: MetricName) -> SuggestionEvidence.AnalysisName {
        switch name {
        case .retention, .retentionDay: .retention
        case .funnelConversion, .funnelStep: .funnel
        case .roi, .roas, .cac, .revenueTotal, .signupsTotal: .roi
        case .trend, .growth, .yoy: .trends
        }
    }
}
