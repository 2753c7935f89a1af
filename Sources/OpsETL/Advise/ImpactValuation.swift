import Foundation

/// Advise: values an impact in money (SPEC §6 `impact_value`) from the analyses — users at the
/// ARPU of the channel concerned (`total`'s when the suggestion concerns none, or when that
/// channel has no ARPU), orders at the latest complete period's average order value.
///
/// ARPU is the ROI table's (attributed revenue per signup, SPEC §4.3): what a user brought in
/// the revenue window, the natural price of "one more user".
struct ImpactValuation {
    let roi: ROIResult
    let trends: TrendsResult?

    init(_ analyses: AnalysisResults) {
        roi = analyses.roi
        trends = analyses.trends
    }

    init(roi: ROIResult, trends: TrendsResult?) {
        self.roi = roi
        self.trends = trends
    }

    /// `count` users of `channel` (nil: all users).
    func users(_ count: Decimal, channel: String?) -> Suggestion.Impact {
        if let channel, roi.channelRows.contains(where: { $0.channel == channel }),
           let arpu = roi.channelRows.first(where: { $0.channel == channel })?.arpu {
            return .init(count, .users, money: count * arpu, valuation: .perUser(arpu: arpu, channel: channel))
        }
        guard let arpu = roi.row(ROIResult.total)?.arpu else { return .init(count, .users) }
        return .init(count, .users, money: count * arpu, valuation: .perUser(arpu: arpu, channel: nil))
    }

    /// `count` orders at the latest complete period's `aov` of segment `all`.
    func orders(_ count: Decimal) -> Suggestion.Impact {
        guard let aov = latest(.aov) else { return .init(count, .orders) }
        return .init(count, .orders, money: count * aov, valuation: .perOrder(aov: aov))
    }

    /// A KPI of segment `all` in the latest complete period (nil without one, or when null).
    func latest(_ kpi: TrendKPI) -> Decimal? {
        trends?.change(kpi)?.value?.decimal
    }

    /// An amount in a trend KPI's own unit: users, orders or money; a rate KPI stands for no money.
    func kpiAmount(_ amount: Decimal, _ kpi: TrendKPI) -> Suggestion.Impact {
        switch kpi {
        case .orders: return orders(amount)
        case .signups, .totalUsers, .activeUsers, .payingUsers, .newPayingUsers: return users(amount, channel: nil)
        case .revenue, .spend: return .init(amount, .money)
        case .aov, .arppu, .roas:
            // A per-unit gap: its money is the gap times the latest period's orders, paying users or spend.
            let per: TrendKPI = kpi == .aov ? .orders : kpi == .arppu ? .payingUsers : .spend
            let unit: Suggestion.Impact.Unit = kpi == .roas ? .rate : .money
            guard let base = latest(per) else { return .init(amount, unit) }
            return .init(amount, unit, money: amount * base, valuation: .latestPeriod(kpi: per, amount: base))
        case .stickiness: return .init(amount, .rate)
        }
    }
}
