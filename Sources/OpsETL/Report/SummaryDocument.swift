/// Report: `summary.json` — the run facts of SPEC §7 (tool version, pipeline, dates, each input
/// file with size and SHA-256, row counts, stage timings), every headline metric, goal and
/// suggestion (with its wording in the pipeline's language and the assumption behind its estimate).
struct SummaryDocument {
    let pipeline: Pipeline
    let since: LocalDate
    let asOf: LocalDate
    let quality: QualityReport
    let digests: [InputKind: [FileDigest]]
    let timings: StageTimings
    /// Every headline metric of SPEC §4, in analysis order; null when it has no value.
    let metrics: [HeadlineMetric]
    let goals: [GoalResult]
    let suggestions: [Suggestion]
    /// One per suggestion, same order.
    let wordings: [SuggestionWording]
    /// SPEC §9 warnings with their words in the pipeline's language.
    var warnings: [(code: String, message: String)] = []
    /// docs/partitioned.md: how a partitioned run ran (absent for an in-memory run).
    var execution: JSONValue? = nil

    func json() -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("tool", .object([("name", .string("opsetl")), ("version", .string(OpsETLVersion.string))])),
            ("pipeline", .object([("name", .string(pipeline.name)), ("file", .string(pipeline.filePath))])),
            ("since", .string(since.description)),
            ("as_of", .string(asOf.description)),
            ("timezone", .string(pipeline.timezone)),
            ("inputs", .array(quality.inputs.map(input))),
            ("metrics", .object(metrics.map { ($0.name, .optionalNumber($0.value.formatted)) })),
            ("goals", .array(goals.map(goal))),
            ("suggestions", .array(zip(suggestions, wordings).map(suggestion))),
            ("warnings", .array(warnings.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) })),
            ("timings_seconds", .object(timings.stages.map { ($0.name, .number(FixedPoint.format(Decimal($0.seconds), decimals: 3))) })),
        ]
        if let execution { fields.append(("execution", execution)) }
        return .object(fields)
    }

    private func goal(_ g: GoalResult) -> JSONValue {
        .object([
            ("metric", .string(g.target.metric)),
            ("label", g.target.label.map(JSONValue.string) ?? .null),
            ("kind", .string(g.target.kind.rawValue)),
            ("target", .optionalNumber(GoalsTable.target(g))),
            ("actual", .optionalNumber(g.actual.formatted)),
            ("status", .string(g.status.rawValue)),
            ("gap", .optionalNumber(g.gapValue.formatted)),
            ("baseline", .optionalNumber(g.baseline?.formatted)),
            ("start", g.start.map { .string($0.description) } ?? .null),
            ("deadline", g.deadline.map { .string($0.description) } ?? .null),
            ("projected", .optionalNumber(g.projected?.formatted)),
        ])
    }

    private func suggestion(_ s: Suggestion, _ w: SuggestionWording) -> JSONValue {
        .object([
            ("rank", .int(s.rank)),
            ("priority", .string(s.priority.name)),
            ("rule", .string(s.rule.rawValue)),
            ("channel", s.channel.map(JSONValue.string) ?? .null),
            ("step", s.step.map(JSONValue.int) ?? .null),
            ("cohort", s.cohort.map { .string($0.description) } ?? .null),
            ("finding", .string(w.finding)),
            ("recommendation", .string(w.recommendation)),
            ("assumption", .string(w.assumption)),
            ("estimated_impact", .number(s.impact.formatted)),
            ("impact_unit", .string(SuggestionsTable.unit(s.impact.unit, currency: pipeline.currency))),
            ("impact_value", .optionalNumber(s.impact.formattedMoney)),
        ])
    }

    private func input(_ q: InputQuality) -> JSONValue {
        let files = quality.files[q.kind] ?? []
        let sums = digests[q.kind] ?? []
        return .object([
            ("input", .string(q.kind.rawValue)),
            ("files", .array(files.enumerated().map { i, f in
                .object([
                    ("path", .string(f.displayPath)),
                    ("bytes", .int(i < sums.count ? sums[i].bytes : 0)),
                    ("sha256", .string(i < sums.count ? sums[i].sha256 : "")),
                ])
            })),
            ("rows_read", .int(q.rowsRead)),
            ("rows_kept", .int(q.rowsKept)),
            ("rejected", .int(q.rejected)),
            ("rejected_by_reason", .object(q.rejectedByReason.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("duplicates", .int(q.duplicates)),
            ("after_as_of", .int(q.afterAsOf)),
            ("excluded_status", .int(q.excludedStatus)),
            ("unknown_user_ignored", .int(q.unknownUserIgnored)),
            ("reject_rate", .number(q.formattedRejectRate())),
        ])
    }
}

import Foundation
