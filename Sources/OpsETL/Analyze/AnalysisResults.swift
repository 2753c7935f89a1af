/// Analyze: the four analyses of SPEC §4 (retention, funnel, ROI, trends), run at the same time
/// over the same immutable data.
///
/// `IntegratedData` is `Sendable` and never mutated, so the analyses share it without locks;
/// each owns its accumulators (and splits its own work across cores by user partitions).
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

    public static func compute(_ data: IntegratedData, pipeline: Pipeline) throws -> AnalysisResults {
        enum Part: Sendable {
            case retention(RetentionResult)
            case funnel(FunnelResult?)
            case roi(ROIResult)
            case trends(TrendsResult)
        }
        // SPEC §6: the time-bound targets' baseline and projection periods are computed too.
        let goalStarts: [LocalDate?] = pipeline.targets.compactMap { t in
            guard case .trend? = MetricName(t.metric), t.start != nil || t.by != nil else { return nil }
            return .some(t.start)
        }
        let parts = try parallelMap(4) { i -> Part in
            switch i {
            case 0:
                TestPause.point("analyze")   // test-only: stops here while the other analyses run
                return .retention(CohortRetention.compute(data, settings: pipeline.retention))
            case 1: return .funnel(pipeline.funnel.map { FunnelAnalysis.compute(data, settings: $0) })
            case 2: return .roi(ChannelROI.compute(data, settings: pipeline.roi))
            default:
                return .trends(TrendsAnalysis.compute(data, trends: pipeline.trends, weekStart: pipeline.retention.weekStart,
                                                      goalStarts: goalStarts))
            }
        }
        guard case .retention(let retention) = parts[0], case .funnel(let funnel) = parts[1],
              case .roi(let roi) = parts[2], case .trends(let trends) = parts[3] else { fatalError("parallelMap keeps index order") }
        return AnalysisResults(retention: retention, funnel: funnel, roi: roi, trends: trends)
    }
}
