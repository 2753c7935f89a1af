import Foundation

/// Analyze: the funnel table (SPEC §4.2, §7 `funnel.csv`) — one row per segment and step.
///
/// Values are exact: rates are `Decimal` ratios of the user counts and medians exact
/// `Decimal` seconds; rounding happens only when a value is written (SPEC §9).
public struct FunnelResult: Sendable {
    /// One step of one segment.
    public struct Step: Sendable, Equatable {
        /// `all`, or an acquisition channel.
        public let segment: String
        /// 1-based.
        public let step: Int
        /// The step's event name.
        public let name: String
        /// Users whose progress reaches this step.
        public let users: Int
        /// users / users at the previous step; 1 at step 1; nil when the step before has
        /// 0 users (at step 1: when the segment has no entrants).
        public let conversionFromPrevious: Decimal?
        /// users / users at step 1; 1 at step 1; nil like `conversionFromPrevious`.
        public let conversionFromFirst: Decimal?
        /// Users at the previous step minus users here; 0 at step 1.
        public let dropOff: Int
        /// Median over this step's users of the seconds since the previous step (mean of the two
        /// middle values for an even count); nil at step 1 and when the step has no users.
        public let medianSecondsFromPrevious: Decimal?

        public init(segment: String, step: Int, name: String, users: Int, conversionFromPrevious: Decimal?,
                    conversionFromFirst: Decimal?, dropOff: Int, medianSecondsFromPrevious: Decimal?) {
            self.segment = segment
            self.step = step
            self.name = name
            self.users = users
            self.conversionFromPrevious = conversionFromPrevious
            self.conversionFromFirst = conversionFromFirst
            self.dropOff = dropOff
            self.medianSecondsFromPrevious = medianSecondsFromPrevious
        }
    }

    /// `all` first, then the channels with at least one entrant in byte order of their names;
    /// each segment's steps in order (SPEC §7 row order).
    public let steps: [Step]
    /// Segment names in row order.
    public let segments: [String]
    /// The step names (SPEC §4.2), as configured.
    public let stepNames: [String]

    init(stepNames: [String], segments: [String], steps: [Step]) {
        self.stepNames = stepNames
        self.segments = segments
        self.steps = steps
    }

    /// The rows of one segment in step order; empty for an unknown segment. `all` is the
    /// overall funnel even if a channel happens to be called `all`.
    public func segment(_ name: String) -> [Step] {
        guard let index = segments.firstIndex(of: name) else { return [] }
        return Array(steps(ofSegmentAt: index))
    }

    /// The rows of the segment at `index` in `segments`, by position (a channel may be called `all`).
    public func steps(ofSegmentAt index: Int) -> ArraySlice<Step> {
        let count = stepNames.count
        return steps[index * count ..< (index + 1) * count]
    }

    /// SPEC §4.2 headline metrics from segment `all`: `funnel.conversion` (last step users /
    /// step 1 users, null without entrants) and `funnel.step1` … `funnel.stepN`
    /// (`conversion_from_previous` of each step), all rates.
    public func headlineMetrics() -> [HeadlineMetric] {
        let all = segment("all")
        var conversion: Decimal?
        if let first = all.first, let last = all.last, first.users > 0 {
            conversion = Decimal(last.users) / Decimal(first.users)
        }
        var metrics = [HeadlineMetric(name: "funnel.conversion", value: .rate(conversion))]
        for s in all {
            metrics.append(HeadlineMetric(name: "funnel.step\(s.step)", value: .rate(s.conversionFromPrevious)))
        }
        return metrics
    }
}
