/// Analyze: the four analyses of SPEC §4 (retention, funnel, ROI, trends), one after another over
/// the same immutable data, each on every core.
///
/// `IntegratedData` is `Sendable` and never mutated, so the analyses share it without locks;
/// each owns its accumulators (and splits its own work across cores by user partitions). The
/// results are always finished from mergeable partials (`AnalysisPartials`).
public struct AnalysisResults: Sendable {
    public let retention: RetentionResult
    /// Nil when the pipeline has no `funnel` section.
    public let funnel: FunnelResult?
    public let roi: ROIResult
    /// SPEC §4.4/§4.5: present in every run (the `trends` section has defaults).
    public let trends: TrendsResult

    public init(retention: RetentionResult, funnel: FunnelResult?, roi: ROIResult, trends: TrendsResult) {
        self.retention = retention
        self.funnel = funnel
        self.roi = roi
        self.trends = trends
    }

    /// Every headline metric, in a fixed order: retention, funnel, ROI, trends.
    public var headlineMetrics: [HeadlineMetric] {
        retention.headlineMetrics() + (funnel?.headlineMetrics() ?? []) + roi.headlineMetrics() + trends.headlineMetrics()
    }

    /// The four analyses of every user of `data`: its partials (`AnalysisPartials.compute`, the
    /// analyses concurrently) finished with its spend rows — the one code path of the in-memory
    /// and the partitioned runs, whose driver merges partition partials before `results`.
    public static func compute(_ data: IntegratedData, pipeline: Pipeline) throws -> AnalysisResults {
        AnalysisPartials.compute(data, pipeline: pipeline).results(spend: data.spend, pipeline: pipeline)
    }
}
