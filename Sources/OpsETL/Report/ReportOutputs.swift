/// Report: the list of files a run publishes (SPEC §7), built from the review and the run facts.
///
/// The job hands over what it has; which files exist, their names and their formats are decided
/// here only, so a new output touches only `Report/`.
public enum ReportOutputs {
    /// Data quality and rejects: written on every run, and alone into `<dir>.failed` when the
    /// quality gate fails (nothing is dropped unexplained).
    public static func quality(_ quality: QualityReport) -> [OutputFolder.Entry] {
        var entries: [OutputFolder.Entry] = [("data_quality.csv", QualityTables.dataQuality(quality).data)]
        for q in quality.inputs {
            entries.append(("rejects/\(q.kind.rawValue).csv", QualityTables.rejects(quality, kind: q.kind).data))
        }
        return entries
    }

    /// Every file of a successful run: quality always; `output.formats` chooses the analysis
    /// tables (csv), `summary.json` (json) and the reports (md, html).
    public static func all(_ review: Review, digests: [InputKind: [FileDigest]], timings: StageTimings,
                           execution: JSONValue? = nil) -> [OutputFolder.Entry] {
        let pipeline = review.pipeline
        let analyses = review.analyses
        let advice = review.advice
        var entries = quality(review.quality)
        let formats = Set(pipeline.output.formats)
        if formats.contains(.csv) {
            entries.append(("cohort_retention.csv", RetentionTables.cells(analyses.retention).data))
            entries.append(("cohort_retention_matrix.csv", RetentionTables.matrix(analyses.retention).data))
            if let days = RetentionTables.days(analyses.retention) { entries.append(("day_retention.csv", days.data)) }
            if let funnel = analyses.funnel {
                entries.append(("funnel.csv", FunnelTable.csv(funnel).data))
            }
            entries.append(("channel_roi.csv", ChannelROITable.csv(analyses.roi).data))
            entries.append(("trends.csv", TrendsTables.trends(analyses.trends).data))
            entries.append(("kpi_changes.csv", TrendsTables.changes(analyses.trends).data))
            entries.append(("user_lifecycle.csv", TrendsTables.lifecycle(analyses.trends).data))
            entries.append(("goals.csv", GoalsTable.csv(advice.goals).data))
            entries.append(("suggestions.csv", SuggestionsTable.csv(advice.suggestions, wordings: review.wordings,
                                                                    strings: review.strings, currency: pipeline.currency).data))
        }
        if formats.contains(.md) {
            entries.append(("report.md", Array(ReportDocument.markdown(review).utf8)))
        }
        if formats.contains(.html) {
            entries.append(("report.html", Array(ReportDocument.html(review).utf8)))
        }
        // The summary records every stage up to here; writing itself is the one stage it cannot time.
        if formats.contains(.json) {
            let summary = SummaryDocument(pipeline: pipeline, since: review.since, asOf: review.asOf, quality: review.quality,
                                          digests: digests, timings: timings, metrics: analyses.headlineMetrics,
                                          goals: advice.goals, suggestions: advice.suggestions, wordings: review.wordings,
                                          warnings: review.warnings.map { ($0.code.rawValue, WarningWording.message($0, strings: review.strings)) },
                                          execution: execution)
            entries.append(("summary.json", Array(summary.json().rendered().utf8)))
        }
        return entries
    }
}
