import Foundation

/// Advise: `quality.rejects` (SPEC §6) — an input whose reject rate is above the warning rate
/// (1 % by default), compared exactly like the quality gate. Its impact is the rows lost to the analyses.
enum QualityRules {
    static func suggestions(_ inputs: [InputQuality], settings: Suggestions) -> [Suggestion] {
        inputs.compactMap { q in
            guard q.rowsRead > 0, Decimal(q.rejected) > settings.rejectRateWarning * Decimal(q.rowsRead),
                  let top = q.reasonsByFrequency.first else { return nil }
            let figures = SuggestionEvidence.QualityFigures(
                input: q.kind, rejected: q.rejected, rowsRead: q.rowsRead,
                rate: Decimal(q.rejected) / Decimal(q.rowsRead), threshold: settings.rejectRateWarning,
                topReason: top.reason, topReasonCount: top.rows)
            return Suggestion(rule: .qualityRejects, priority: .medium, evidence: .qualityRejects(figures),
                              impact: .init(Decimal(q.rejected), .rows))
        }
    }
}
