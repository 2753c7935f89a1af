/// Pipeline: the KPIs of the trends (SPEC §4.4) — the columns of `trends.csv` after `partial`,
/// in that order, and the `<kpi>` of the headline metrics `trend.<kpi>`, `growth.<kpi>`, `yoy.<kpi>`.
///
/// Defined here, with the pipeline, because a target names them and is validated when the
/// pipeline loads (SPEC §9: a `trend.` name that is not a KPI is exit 2); Analyze computes them.
public enum TrendKPI: String, Sendable, CaseIterable, Hashable {
    case signups
    case totalUsers = "total_users"
    case activeUsers = "active_users"
    case payingUsers = "paying_users"
    case newPayingUsers = "new_paying_users"
    case orders
    case revenue
    case spend
    case aov
    case arppu
    case roas
    case stickiness

    /// How the KPI is written (SPEC §9: trend money 2 decimals, `roas` and `stickiness` 6, counts integers).
    public enum Kind: Sendable, Equatable { case count, money, rate }

    public var kind: Kind {
        switch self {
        case .signups, .totalUsers, .activeUsers, .payingUsers, .newPayingUsers, .orders: .count
        case .revenue, .spend, .aov, .arppu: .money
        case .roas, .stickiness: .rate
        }
    }

    /// Decimals when written.
    public var decimals: Int {
        switch kind {
        case .count: 0
        case .money: 2
        case .rate: 6
        }
    }

    /// The KPIs whose fall `trend.drop` reports (SPEC §6).
    public static let watchedForDrops: [TrendKPI] = [.signups, .activeUsers, .payingUsers, .orders, .revenue]
}
