import Foundation

/// Advise: one ranked optimization suggestion (SPEC §6) — a row of `suggestions.csv`.
///
/// A suggestion carries its numbers, not its sentences: `evidence` holds every figure the
/// finding and the recommendation quote, and Report words them in the pipeline's language
/// from one string table per language. So the rules never format text, and the same
/// suggestion reads the same in `suggestions.csv`, `summary.json` and the report.
public struct Suggestion: Sendable, Equatable {
    /// The stable rule ids of SPEC §6.
    public enum Rule: String, Sendable, CaseIterable {
        case roiCut = "roi.cut"
        case roiScale = "roi.scale"
        case funnelBottleneck = "funnel.bottleneck"
        case funnelChannelGap = "funnel.channel_gap"
        case retentionDecline = "retention.decline"
        case goalMissed = "goal.missed"
        case qualityRejects = "quality.rejects"
    }

    /// How urgent a suggestion is; ranking sorts by it first (SPEC §6).
    public enum Priority: Int, Sendable, Comparable, CaseIterable {
        case high = 1, medium, low
        public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
        /// As written in `suggestions.csv`.
        public var name: String {
            switch self {
            case .high: "high"
            case .medium: "medium"
            case .low: "low"
            }
        }
    }

    /// 1-based position after ranking.
    public let rank: Int
    public let rule: Rule
    public let priority: Priority
    /// The channel, funnel step (1-based) or cohort the suggestion concerns, where it has one.
    public let channel: String?
    public let step: Int?
    public let cohort: LocalDate?
    public let evidence: SuggestionEvidence
    public let impact: Impact

    /// The rule's own estimate of what acting on the suggestion is worth, with its unit.
    public struct Impact: Sendable, Equatable {
        public enum Unit: String, Sendable {
            /// Money in the pipeline's currency.
            case money
            /// Users (funnel or retention users, signups).
            case users
            /// A rate (a goal on a retention, conversion, ROI or ROAS metric).
            case rate
            /// Input rows.
            case rows
        }
        /// Exact; rounded only when written (money 2 decimals, rates 6, users and rows whole).
        public let value: Decimal
        public let unit: Unit

        public init(_ value: Decimal, _ unit: Unit) {
            self.value = value
            self.unit = unit
        }

        /// As written in `estimated_impact` (SPEC §9 formats).
        public var formatted: String {
            switch unit {
            case .money: FixedPoint.format(value, decimals: 2)
            case .rate: FixedPoint.format(value, decimals: 6)
            case .users, .rows: FixedPoint.format(value, decimals: 0)
            }
        }
    }

    public init(rank: Int = 0, rule: Rule, priority: Priority, channel: String? = nil, step: Int? = nil,
                cohort: LocalDate? = nil, evidence: SuggestionEvidence, impact: Impact) {
        self.rank = rank
        self.rule = rule
        self.priority = priority
        self.channel = channel
        self.step = step
        self.cohort = cohort
        self.evidence = evidence
        self.impact = impact
    }

    func ranked(_ rank: Int) -> Suggestion {
        Suggestion(rank: rank, rule: rule, priority: priority, channel: channel, step: step, cohort: cohort,
                   evidence: evidence, impact: impact)
    }
}
