/// Analyze: the user-side sums of all four analyses for some set of users — mergeable exactly.
///
/// Why: a partitioned run integrates each user partition on its own, so no process need hold
/// every kept row. Each partition's users are analysed into partials, and the driver merges the
/// partials only (serialised in between, `AnalysisPartials+Coding`). Every sum is an integer
/// (money in 128 bits), funnel durations are sorted runs the median selects across, and groups
/// are keyed by name, so partials of disjoint users merge in any order into the same result —
/// and the in-memory run takes the very same path with one partial of every user
/// (`AnalysisResults.compute`), which keeps the two modes byte-identical.
///
/// The spend side (ROI's spend, impressions, clicks and campaigns; the trends' `spend`) is not
/// in a partial: the run's spend rows are few and go to `results(spend:pipeline:)` whole.
public struct AnalysisPartials: Sendable {
    public var retention: CohortRetention.Partial
    /// Nil without a funnel section.
    public var funnel: FunnelAnalysis.Partial?
    /// Signups, paying users and attributed revenue per channel, by NAME.
    public var roi: ChannelROI.UserPartial
    /// User side only (no spend). Its plan carries `since`, `as_of` and whether the run has a
    /// spend input, which `results` uses for ROI too.
    public var trends: TrendsPartial

    public init(retention: CohortRetention.Partial, funnel: FunnelAnalysis.Partial?, roi: ChannelROI.UserPartial,
                trends: TrendsPartial) {
        self.retention = retention
        self.funnel = funnel
        self.roi = roi
        self.trends = trends
    }

    /// Empty partials of a run (merging them changes nothing).
    public static func empty(pipeline: Pipeline, since: LocalDate, asOf: LocalDate, hasSpendInput: Bool) -> AnalysisPartials {
        AnalysisPartials(retention: CohortRetention.Partial(CohortRetention.Shape(pipeline.retention, since: since, asOf: asOf)),
                         funnel: pipeline.funnel.map { FunnelAnalysis.Partial(stepCount: $0.steps.count) },
                         roi: ChannelROI.UserPartial(),
                         trends: TrendsPartial(plan: trendsPlan(pipeline, since: since, asOf: asOf, hasSpendInput: hasSpendInput)))
    }

    /// The trends plan of a run: every trends partial of the run is built from it.
    static func trendsPlan(_ pipeline: Pipeline, since: LocalDate, asOf: LocalDate, hasSpendInput: Bool) -> TrendsPlan {
        TrendsPlan(trends: pipeline.trends, weekStart: pipeline.retention.weekStart, since: since, asOf: asOf,
                   goalStarts: goalStarts(pipeline), hasSpendData: hasSpendInput)
    }

    /// SPEC §6: the `start` of each time-bound `trend.*` target (nil when it has only `by`), so that
    /// their baseline and projection periods are computed too.
    static func goalStarts(_ pipeline: Pipeline) -> [LocalDate?] {
        pipeline.targets.compactMap { t in
            guard case .trend? = MetricName(t.metric), t.start != nil || t.by != nil else { return nil }
            return .some(t.start)
        }
    }

    /// The partials of every user of `data` (data.spend is ignored).
    ///
    /// One analysis after the other, each split across every core by user ranges. (Issue 15: run
    /// side by side in one `parallelMap`, each analysis's own `parallelMap` got one thread, since
    /// libdispatch divides a nested apply's width by the outer one's, and the longest (trends)
    /// finished alone on one core.)
    public static func compute(_ data: IntegratedData, pipeline: Pipeline) -> AnalysisPartials {
        let plan = trendsPlan(pipeline, since: data.since, asOf: data.asOf, hasSpendInput: data.hasSpendInput)
        TestPause.point("analyze")   // test-only: stops here, as the analyses start
        let retention = CohortRetention.partial(data, settings: pipeline.retention)
        let funnel = pipeline.funnel.map { FunnelAnalysis.partial(data, settings: $0) }
        let roi = ChannelROI.userPartial(data, settings: pipeline.roi)
        let trends = TrendsAnalysis.userPartial(data, plan: plan)
        return AnalysisPartials(retention: retention, funnel: funnel, roi: roi, trends: trends)
    }

    /// Adds another set of users' partials (same run). Order of merging must not change results().
    public mutating func merge(_ other: AnalysisPartials) {
        retention.merge(other.retention)
        switch (funnel, other.funnel) {
        case (.some, .some(let theirs)): funnel!.merge(theirs)
        case (nil, nil): break
        default: preconditionFailure("AnalysisPartials.merge: partials of different runs (funnel in one only)")
        }
        roi.merge(other.roi)
        trends.merge(other.trends)
    }

    /// The four results from merged partials and the run's kept spend rows (all of them; the
    /// in-range filter happens inside, as today). The four are finished concurrently, like `compute`.
    public func results(spend: [SpendRow], pipeline: Pipeline) -> AnalysisResults {
        enum Part: Sendable {
            case retention(RetentionResult)
            case funnel(FunnelResult?)
            case roi(ROIResult)
            case trends(TrendsResult)
        }
        let plan = trends.plan
        let parts: [Part]
        do {
            parts = try parallelMap(4) { i -> Part in
                switch i {
                case 0: return .retention(retention.result())
                case 1:
                    guard let funnel, let settings = pipeline.funnel else { return .funnel(nil) }
                    return .funnel(FunnelAnalysis.result(of: [funnel], settings: settings))
                case 2:
                    return .roi(ChannelROI.result(users: roi, spend: spend, settings: pipeline.roi, since: plan.since,
                                                  asOf: plan.asOf, hasSpendInput: plan.hasSpendData))
                default: return .trends(TrendsAnalysis.result(users: trends, spend: spend))
                }
            }
        } catch {
            preconditionFailure("AnalysisPartials: finishing throws nothing, yet parallelMap reported \(error)")
        }
        guard case .retention(let retention) = parts[0], case .funnel(let funnel) = parts[1],
              case .roi(let roi) = parts[2], case .trends(let trends) = parts[3] else { fatalError("parallelMap keeps index order") }
        return AnalysisResults(retention: retention, funnel: funnel, roi: roi, trends: trends)
    }
}
