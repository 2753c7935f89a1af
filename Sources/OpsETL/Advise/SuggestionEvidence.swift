import Foundation

/// Advise: the figures a suggestion rests on, one case per rule (SPEC §6: "quote the numbers").
///
/// Money is in currency units and every rate exact; Report rounds and words them.
public enum SuggestionEvidence: Sendable, Equatable {
    /// `roi.cut`: a channel losing money, with its campaigns' spend (largest first).
    case roiCut(ChannelFigures, campaigns: [CampaignSpend])
    /// `roi.scale`: a channel far above the paid channels' ROAS; with a `roi.cut` channel
    /// present, the best such channel also carries the reallocation estimate.
    case roiScale(ChannelFigures, paidROAS: Decimal, ratio: Decimal, fraction: Decimal, reallocation: Reallocation?)
    /// `funnel.bottleneck`: the step of `all` with the lowest conversion from the previous step.
    case funnelBottleneck(FunnelBottleneck)
    /// `funnel.channel_gap`: a channel converting at under half (by default) of `all`.
    case funnelChannelGap(FunnelChannelGap)
    /// `retention.decline`: the latest complete cohorts' period-1 retention, oldest first.
    case retentionDecline([CohortRetentionFigure])
    /// `goal.missed`: the goal, the analysis whose numbers drive it, and how its total impact was found.
    case goalMissed(GoalResult, analysis: AnalysisName, basis: GoalImpactBasis)
    /// `goal.behind`: a time-bound goal whose projection at the deadline falls short.
    case goalBehind(GoalResult)
    /// `trend.drop`: a KPI of `all` that fell at least `drop_threshold` from the previous period.
    case trendDrop(TrendDrop)
    /// `quality.rejects`: an input rejecting more than the warning rate.
    case qualityRejects(QualityFigures)

    /// One channel's line of the ROI table, as the ROI rules quote it.
    public struct ChannelFigures: Sendable, Equatable {
        public let channel: String
        public let spend: Decimal
        /// Share of all channels' spend (0…1).
        public let spendShare: Decimal
        public let revenue: Decimal
        public let grossProfit: Decimal
        public let roi: Decimal
        public let roas: Decimal
    }

    /// Moving `amount` of spend from the worst `roi.cut` channel to the best `roi.scale` one.
    public struct Reallocation: Sendable, Equatable {
        public let from: String
        public let fromROAS: Decimal
        public let to: String
        public let toROAS: Decimal
        /// `reallocate_fraction × spend(from)`.
        public let amount: Decimal
    }

    public struct FunnelBottleneck: Sendable, Equatable {
        public let step: Int
        public let name: String
        public let previousName: String
        /// Users at the previous step and at this step (segment `all`).
        public let previousUsers: Int
        public let users: Int
        public let conversion: Decimal
        /// The best channel at this step among those with enough entrants, and its conversion;
        /// nil without channel segments or when no channel does better than `all`.
        public let bestChannel: String?
        public let bestConversion: Decimal?
        public let lastStepName: String
        public let lastStepUsers: Int
    }

    public struct FunnelChannelGap: Sendable, Equatable {
        public let channel: String
        public let entrants: Int
        public let completed: Int
        public let conversion: Decimal
        public let allConversion: Decimal
        public let ratio: Decimal
        /// The channel's step furthest below `all`'s conversion from the previous step.
        public let weakestStep: Int
        public let weakestName: String
        public let weakestConversion: Decimal?
        public let allWeakestConversion: Decimal?
        public let lastStepName: String
    }

    public struct CohortRetentionFigure: Sendable, Equatable {
        public let cohort: LocalDate
        public let cohortSize: Int
        public let activeUsers: Int
        public let rate: Decimal
    }

    public struct QualityFigures: Sendable, Equatable {
        public let input: InputKind
        public let rejected: Int
        public let rowsRead: Int
        public let rate: Decimal
        public let threshold: Decimal
        /// The most frequent reason (ties: the reason first in byte order) and its count.
        public let topReason: String
        public let topReasonCount: Int
    }

    /// The analysis a metric comes from, for `goal.missed`.
    public enum AnalysisName: String, Sendable {
        case retention, funnel, roi, trends
    }

    /// One campaign of a channel: its spend dated in range (SPEC §3.1 `campaign`; null is `(none)`).
    public struct CampaignSpend: Sendable, Equatable {
        /// Nil for spend rows without a campaign.
        public let campaign: String?
        public let spend: Decimal
        /// Share of the channel's spend (0…1).
        public let share: Decimal

        public init(campaign: String?, spend: Decimal, share: Decimal) {
            self.campaign = campaign
            self.spend = spend
            self.share = share
        }
    }

    /// How a missed goal's impact was made a total for the period analysed (SPEC §6).
    public enum GoalImpactBasis: Sendable, Equatable {
        /// The gap is already a total (revenue, signups, a count or money KPI).
        case gap
        /// A rate gap times the users it applies to (retention: the pooled cohorts' users; funnel:
        /// the users at the step before).
        case rateTimesUsers(users: Int)
        /// A ROI or ROAS gap times the spend: the gross profit (ROI) or revenue (ROAS) missing.
        case rateTimesSpend(spend: Decimal)
        /// A CAC above its maximum: the spend to save at today's paying users, or the paying users
        /// to win at today's spend.
        case cac(spend: Decimal, payingUsers: Int, payingUsersToWin: Decimal)
        /// A growth or year-over-year rate gap times the compared period's value: the KPI amount missing.
        case rateTimesBase(base: Decimal, kpi: TrendKPI)
        /// A per-unit trend KPI (`aov`, `arppu`, `roas`, `stickiness`): the gap itself.
        case perUnit
    }

    /// `trend.drop` figures: segment `all` and the channel whose change is most negative.
    public struct TrendDrop: Sendable, Equatable {
        public let kpi: TrendKPI
        public let period: LocalDate
        public let previousPeriod: LocalDate
        public let value: Decimal
        public let previousValue: Decimal
        /// `value − previous_value` (negative).
        public let change: Decimal
        /// `change / previous_value`, at most −threshold.
        public let growth: Decimal
        public let threshold: Decimal
        /// Nil without channel segments (`trends.by_channel: false`) or when no channel has a change.
        public let channel: String?
        public let channelValue: Decimal?
        public let channelPreviousValue: Decimal?
        public let channelChange: Decimal?
    }
}
