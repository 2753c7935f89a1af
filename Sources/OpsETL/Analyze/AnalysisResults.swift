/// Analyze: the three analyses of SPEC §4, run at the same time over the same immutable data.
///
/// `IntegratedData` is `Sendable` and never mutated, so the analyses share it without locks;
/// each owns its accumulators (and splits its own work across cores by user partitions).
public struct AnalysisResults: Sendable {
    public let retention: RetentionResult
    /// Nil when the pipeline has no `funnel` section.
    public let funnel: FunnelResult?
    public let roi: ROIResult

    /// Every headline metric, in a fixed order: retention, funnel, ROI.
    public var headlineMetrics: [HeadlineMetric] {
        retention.headlineMetrics() + (funnel?.headlineMetrics() ?? []) + roi.headlineMetrics()
    }

    public static func compute(_ data: IntegratedData, pipeline: Pipeline) throws -> AnalysisResults {
        enum Part: Sendable {
            case retention(RetentionResult)
            case funnel(FunnelResult?)
            case roi(ROIResult)
        }
        let parts = try parallelMap(3) { i -> Part in
            switch i {
            case 0:
                TestPause.point("analyze")   // test-only: stops here while the other analyses run
                return .retention(CohortRetention.compute(data, settings: pipeline.retention))
            case 1: return .funnel(pipeline.funnel.map { FunnelAnalysis.compute(data, settings: $0) })
            default: return .roi(ChannelROI.compute(data, settings: pipeline.roi))
            }
        }
        guard case .retention(let retention) = parts[0], case .funnel(let funnel) = parts[1],
              case .roi(let roi) = parts[2] else { fatalError("parallelMap keeps index order") }
        return AnalysisResults(retention: retention, funnel: funnel, roi: roi)
    }
}
