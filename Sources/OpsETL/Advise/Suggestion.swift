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
        case trendDrop = "trend.drop"
        case goalMissed = "goal.missed"
        case goalBehind = "goal.behind"
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

    /// The rule's own estimate of what acting on the suggestion is worth, with its unit, and the
    /// same estimate in money (SPEC §6 `impact_value`) so that rules in different units compare.
    public struct Impact: Sendable, Equatable {
        public enum Unit: String, Sendable {
            /// Money in the pipeline's currency.
            case money
            /// Users (funnel or retention users, signups, paying or active users).
            case users
            /// Orders (a trend of `orders`).
            case orders
            /// A rate (a goal on a rate KPI whose gap stands for no amount of money).
            case rate
            /// Input rows.
            case rows
        }

        /// How `money` was derived from `value` (the assumption states it).
        public enum Valuation: Sendable, Equatable {
            /// The impact is money already.
            case itself
            /// Users valued at the ARPU (revenue per signup, SPEC §4.3) of a channel, or of `total` when nil.
            case perUser(arpu: Decimal, channel: String?)
            /// Orders valued at the latest complete period's average order value (SPEC §4.4 `aov`).
            case perOrder(aov: Decimal)
            /// A per-unit money gap times an amount of the latest complete period (a goal on `aov`:
            /// × its orders; `arppu`: × its paying users; `roas`: × its spend).
            case latestPeriod(kpi: TrendKPI, amount: Decimal)
            /// No money stands for it: `impact_value` is empty.
            case none
        }

        /// Exact; rounded only when written (money 2 decimals, rates 6, users, orders and rows whole).
        public let value: Decimal
        public let unit: Unit
        /// SPEC §6 `impact_value`: the impact in money; nil when nothing values it.
        public let money: Decimal?
        public let valuation: Valuation

        /// An impact whose money value follows from its unit alone: money is itself, the rest has none.
        public init(_ value: Decimal, _ unit: Unit) {
            self.init(value, unit, money: unit == .money ? value : nil, valuation: unit == .money ? .itself : .none)
        }

        public init(_ value: Decimal, _ unit: Unit, money: Decimal?, valuation: Valuation) {
            self.value = value
            self.unit = unit
            self.money = money
            self.valuation = money == nil ? .none : valuation
        }

        /// As written in `estimated_impact` (SPEC §9 formats).
        public var formatted: String {
            switch unit {
            case .money: FixedPoint.format(value, decimals: 2)
            case .rate: FixedPoint.format(value, decimals: 6)
            case .users, .orders, .rows: FixedPoint.format(value, decimals: 0)
            }
        }

        /// `impact_value` as written: money with 2 decimals, empty when nil.
        public var formattedMoney: String? { money.map { FixedPoint.format($0, decimals: 2) } }

        /// SPEC §6 (the reading of it): a suggestion whose impact rounds to 0 where it is
        /// written says nothing worth acting on ("about 0 more users") and is not made.
        public var roundsToZero: Bool {
            !formatted.contains { $0 != "0" && $0 != "." && $0 != "-" }
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
