import Foundation

/// Report: everything the written outputs are made from — the run's facts, the analyses, the
/// advice, and the language they are worded in. Built once; every writer reads only this.
public struct Review: Sendable {
    public let pipeline: Pipeline
    public let since: LocalDate
    public let asOf: LocalDate
    public let quality: QualityReport
    public let analyses: AnalysisResults
    public let advice: Advice
    /// SPEC §9: settings that matched nothing, for summary.json and the data-quality section.
    public let warnings: [DataWarning]
    public let strings: ReportStrings
    public let style: NumberStyle
    /// One per suggestion, in rank order.
    public let wordings: [SuggestionWording]

    public init(pipeline: Pipeline, since: LocalDate, asOf: LocalDate, quality: QualityReport,
                analyses: AnalysisResults, advice: Advice, warnings: [DataWarning] = []) {
        self.pipeline = pipeline
        self.since = since
        self.asOf = asOf
        self.quality = quality
        self.analyses = analyses
        self.advice = advice
        self.warnings = warnings
        let strings = ReportStrings(pipeline.language)
        let style = NumberStyle(strings: strings, currency: pipeline.currency)
        self.strings = strings
        self.style = style
        let context = SuggestionWording.Context(period: pipeline.retention.period,
                                                minFunnelEntrants: pipeline.suggestions.minFunnelEntrants,
                                                since: since, asOf: asOf, trendsPeriod: pipeline.trends.period,
                                                stepNames: pipeline.funnel?.steps ?? [],
                                                anyOrderSteps: pipeline.funnel.flatMap { $0.order == .any ? $0.steps.count : nil })
        self.wordings = advice.suggestions.map { SuggestionWording($0, strings: strings, style: style, context: context) }
    }
}
