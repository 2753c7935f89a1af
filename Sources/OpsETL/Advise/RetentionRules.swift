import Foundation

/// Advise: `retention.decline` (SPEC §6) — period-1 retention of the three latest complete
/// cohorts falls each time.
///
/// "Complete" is read per cell: a cohort counts when its period-1 cell exists and is not
/// partial, which is exactly the set `retention.p1` pools. Strictly falling: an equal step is no decline.
enum RetentionRules {
    static let cohortsCompared = 3

    static func suggestions(_ retention: RetentionResult, valuation: ImpactValuation) -> [Suggestion] {
        let latest = retention.cells
            .filter { $0.period == 1 && !$0.partial && $0.cohortSize > 0 }
            .sorted { $0.cohort < $1.cohort }
            .suffix(cohortsCompared)
            .map { SuggestionEvidence.CohortRetentionFigure(cohort: $0.cohort, cohortSize: $0.cohortSize,
                                                            activeUsers: $0.activeUsers,
                                                            rate: Decimal($0.activeUsers) / Decimal($0.cohortSize)) }
        guard latest.count == cohortsCompared,
              zip(latest, latest.dropFirst()).allSatisfy({ $1.rate < $0.rate }),
              let oldest = latest.first, let newest = latest.last else { return [] }
        // Users the newest cohort would have kept at the oldest of the three cohorts' rate.
        let impact = (oldest.rate - newest.rate) * Decimal(newest.cohortSize)
        return [Suggestion(rule: .retentionDecline, priority: .medium, cohort: newest.cohort,
                           evidence: .retentionDecline(Array(latest)), impact: valuation.users(impact, channel: nil))]
    }
}
