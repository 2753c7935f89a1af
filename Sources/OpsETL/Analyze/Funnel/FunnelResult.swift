import Foundation

/// Analyze: the funnel table (SPEC §4.2, §7 `funnel.csv`) — one row per segment and step.
///
/// Values are exact: rates are `Decimal` ratios of the user counts and medians exact
/// `Decimal` seconds; rounding happens only when a value is written (SPEC §9).
public struct FunnelResult: Sendable {
    /// One step of one segment.
    public struct Step: Sendable, Equatable {
        /// `all`, an acquisition channel, or `country:<country>`.
        public let segment: String
        /// 1-based.
        public let step: Int
        /// The step's event name; in `any` order `<k> of <n> steps` (SPEC §4.2).
        public let name: String
        /// Users whose progress reaches this step.
        public let users: Int
        /// users / users at the previous step; 1 at step 1; nil when the step before has
        /// 0 users (at step 1: when the segment has no entrants).
        public let conversionFromPrevious: Decimal?
        /// users / users at step 1; 1 at step 1; nil only when the segment has no entrants (SPEC §9).
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

    /// What a segment groups users by.
    public enum SegmentKind: Sendable, Equatable {
        case all, channel, country
    }

    /// `all` first, then the channels with at least one entrant in byte order of their names, then
    /// the `country:` segments likewise; each segment's steps in order (SPEC §7 row order).
    public let steps: [Step]
    /// Segment names in row order.
    public let segments: [String]
    /// The kind of each segment, same order (a channel may be called `country:x`, or `all`).
    public let kinds: [SegmentKind]
    /// The step names as written in `funnel.csv`: as configured, or `<k> of <n> steps` in `any` order.
    public let stepNames: [String]
    /// `funnel.order`.
    public let order: FunnelOrder

    /// `kinds` nil: `all`, then channels.
    init(stepNames: [String], segments: [String], steps: [Step], kinds: [SegmentKind]? = nil, order: FunnelOrder = .ordered) {
        self.stepNames = stepNames
        self.segments = segments
        self.steps = steps
        self.kinds = kinds ?? segments.indices.map { $0 == 0 ? .all : .channel }
        self.order = order
    }

    /// Positions in `segments` of the channel segments (the ones `funnel.channel_gap` judges).
    public var channelSegmentIndices: [Int] { kinds.indices.filter { kinds[$0] == .channel } }

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
