import Foundation

/// Analyze: the trends (SPEC §4.4) and the lifecycle (SPEC §4.5) — integrated data → `TrendsResult`.
///
/// How: the users are split into contiguous ranges walked on every core, each into its own
/// `TrendsPartial` (one pass over each user's events and sales, the same streams the other
/// analyses walk); the spend rows make one more partial; the partials are merged in range
/// order and finished. Because a partial is a mergeable value, a partitioned run (several
/// machines, each with some users) can build partials from the same `TrendsPlan` and merge them.
public enum TrendsAnalysis {
    /// Users per range below which splitting costs more than it saves.
    static let minUsersPerPartition = 32_768

    /// - Parameter goalStarts: the `start` of each time-bound `trend.*` target (nil when it has only
    ///   `by`), so that their baseline and projection periods are computed (SPEC §6).
    public static func compute(_ data: IntegratedData, trends: Trends, weekStart: Weekday,
                               goalStarts: [LocalDate?] = []) -> TrendsResult {
        compute(data, plan: plan(data, trends: trends, weekStart: weekStart, goalStarts: goalStarts), partitions: nil)
    }

    /// The plan of a run: every partial of the run must be built from it.
    public static func plan(_ data: IntegratedData, trends: Trends, weekStart: Weekday,
                            goalStarts: [LocalDate?] = []) -> TrendsPlan {
        TrendsPlan(trends: trends, weekStart: weekStart, since: data.since, asOf: data.asOf, goalStarts: goalStarts,
                   hasSpendData: data.hasSpendInput)
    }

    /// `partitions` overrides the number of user ranges (tests check that the merge does not depend on it).
    static func compute(_ data: IntegratedData, plan: TrendsPlan, partitions: Int?) -> TrendsResult {
        result(users: userPartial(data, plan: plan, partitions: partitions), spend: data.spend)
    }

    /// The user side (every KPI but spend, and the lifecycle) of every user of `data`, user ranges
    /// on every core, merged; `data.spend` is not read.
    public static func userPartial(_ data: IntegratedData, plan: TrendsPlan) -> TrendsPartial {
        userPartial(data, plan: plan, partitions: nil)
    }

    /// The trends from the merged user side of every user of the run and the run's kept spend
    /// rows (all of them: `TrendsPartial.spend` keeps those dated in [`since`, `as_of`]).
    public static func result(users: TrendsPartial, spend: [SpendRow]) -> TrendsResult {
        var total = TrendsPartial.spend(spend, plan: users.plan)
        total.merge(users)
        return TrendsResult(total)
    }

    /// The user side with a pinned number of user ranges (nil: one per `minUsersPerPartition`
    /// users, at most two per core).
    static func userPartial(_ data: IntegratedData, plan: TrendsPlan, partitions: Int?) -> TrendsPartial {
        let users = data.users.count
        let parts = max(1, min(max(1, users), partitions
            ?? min(users / minUsersPerPartition, ProcessInfo.processInfo.activeProcessorCount * 2)))
        let partials: [TrendsPartial]
        do {
            partials = try parallelMap(parts) { p in
                TrendsPartial.users(data, range: users * p / parts ..< users * (p + 1) / parts, plan: plan)
            }
        } catch {
            // The body never throws; `parallelMap` is only declared `throws`.
            preconditionFailure("TrendsAnalysis: a partition threw \(error)")
        }
        var total = TrendsPartial(plan: plan)
        for partial in partials { total.merge(partial) }
        return total
    }
}
