import Foundation

/// Advise: `quality.rejects` (SPEC §6) — an input whose reject rate is above the warning rate
/// (1 % by default), compared exactly like the quality gate. Its impact is the rows lost to the analyses;
/// in money only for the users input (each row a user, valued at ARPU): a rejected sale's or spend
/// row's amount is what could not be read, so no money is claimed for it.
enum QualityRules {
    static func suggestions(_ inputs: [InputQuality], settings: Suggestions, valuation: ImpactValuation) -> [Suggestion] {
        inputs.compactMap { q in
            guard q.rowsRead > 0, Decimal(q.rejected) > settings.rejectRateWarning * Decimal(q.rowsRead),
                  let top = q.reasonsByFrequency.first else { return nil }
            let figures = SuggestionEvidence.QualityFigures(
                input: q.kind, rejected: q.rejected, rowsRead: q.rowsRead,
                rate: Decimal(q.rejected) / Decimal(q.rowsRead), threshold: settings.rejectRateWarning,
                topReason: top.reason, topReasonCount: top.rows)
            let rows = Decimal(q.rejected)
            var impact = Suggestion.Impact(rows, .rows)
            if q.kind == .users {
                let asUsers = valuation.users(rows, channel: nil)
                impact = .init(rows, .rows, money: asUsers.money, valuation: asUsers.valuation)
            }
            return Suggestion(rule: .qualityRejects, priority: .medium, evidence: .qualityRejects(figures), impact: impact)
        }
    }
}
