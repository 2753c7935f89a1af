import Foundation

/// Analyze, channel ROI: the result table of SPEC §4.3 — one row per acquisition channel
/// (spend descending, then name in byte order), then `total` and `total_paid` (SPEC §7).
///
/// Amounts that come straight from the data (`spend`, `revenue`) stay exact integers in
/// 1/10 000 of the currency unit, summed in 128 bits so that no total overflows (SPEC §9
/// "Sums never overflow": each value fits 64 bits, a total of many need not); everything
/// derived is an exact `Decimal`, rounded only
/// when written (SPEC §9). A ratio whose denominator is zero or null is nil — never
/// infinity, NaN or 0 (SPEC §4.3).
public struct ROIResult: Sendable {
    /// One line of `channel_roi.csv`.
    public struct Row: Sendable, Equatable {
        /// A channel name, `total` or `total_paid`.
        public let channel: String
        /// In 1/10 000 of the currency unit.
        public let spend: Int128
        /// Nil when no spend row in range carries a value (SPEC §9).
        public let impressions: Int128?
        public let clicks: Int128?
        public let signups: Int
        public let payingUsers: Int
        /// Attributed revenue in 1/10 000 of the currency unit (refund lines included, so it may be negative).
        public let revenue: Int128
        /// `revenue × gross_margin`, in currency units.
        public let grossProfit: Decimal
        /// `(gross_profit − spend) / spend`.
        public let roi: Decimal?
        /// `revenue / spend`.
        public let roas: Decimal?
        /// `spend / signups`, in currency units.
        public let cpa: Decimal?
        /// `spend / paying_users`, in currency units.
        public let cac: Decimal?
        /// `revenue / signups`, in currency units.
        public let arpu: Decimal?
        /// `clicks / impressions`.
        public let ctr: Decimal?
        /// `signups / clicks`.
        public let signupRate: Decimal?
        /// `paying_users / signups`.
        public let payRate: Decimal?
    }

    /// The channel rows, then `total`, then `total_paid` (always present).
    public let rows: [Row]
    /// False when the pipeline has no channels input (SPEC §3.1): `spend` is then 0 in every row but
    /// stands for null — `channel_roi.csv` writes it empty — and so are `impressions`, `clicks` and
    /// every ratio computed from them (`roi`, `roas`, `cpa`, `cac`, `ctr`, `signup_rate`).
    public let hasSpendData: Bool

    /// One campaign's spend dated in range, so a channel told to cut can name where its money
    /// goes (SPEC §3.1 `campaign`). Not a column of `channel_roi.csv`, which stays as SPEC §7 defines it.
    public struct Campaign: Sendable, Equatable {
        public let channel: String
        /// Trimmed, case-sensitive; nil for rows without a campaign.
        public let campaign: String?
        /// In 1/10 000 of the currency unit.
        public let spend: Int128

        public init(channel: String, campaign: String?, spend: Int128) {
            self.channel = channel
            self.campaign = campaign
            self.spend = spend
        }
    }

    /// By channel (byte order), then spend descending, then campaign name (nil last).
    public let campaigns: [Campaign]

    public init(rows: [Row], hasSpendData: Bool = true, campaigns: [Campaign] = []) {
        self.rows = rows
        self.hasSpendData = hasSpendData
        self.campaigns = campaigns
    }

    /// The campaigns of one channel, largest spend first.
    public func campaigns(of channel: String) -> [Campaign] { campaigns.filter { $0.channel == channel } }

    /// The channel rows alone, without the two total rows.
    public var channelRows: ArraySlice<Row> { rows.dropLast(2) }

    /// The row named `channel`; for `total` and `total_paid` the total rows, which come last
    /// (a data channel literally named like a total row is shadowed here).
    public func row(_ channel: String) -> Row? {
        rows.last { $0.channel == channel }
    }

    /// The ROI headline metrics of SPEC §4.3 and §9: `roi.total`, `roas.total`, `cac.total`,
    /// `revenue.total`, `signups.total`, `roi/roas/cac.total_paid`, then `roi.<channel>`,
    /// `roas.<channel>`, `cac.<channel>` for every channel row in table order.
    ///
    /// A channel named `total` or `total_paid` gets no per-channel metrics: those names
    /// mean the total rows (`MetricChannel`), and one name must have one value.
    public func headlineMetrics() -> [HeadlineMetric] {
        var out: [HeadlineMetric] = []
        if let total = row(Self.total) {
            out.append(HeadlineMetric(name: "roi.total", value: .rate(total.roi)))
            out.append(HeadlineMetric(name: "roas.total", value: .rate(total.roas)))
            out.append(HeadlineMetric(name: "cac.total", value: .money(total.cac)))
            out.append(HeadlineMetric(name: "revenue.total", value: .money(Self.money(total.revenue))))
            out.append(HeadlineMetric(name: "signups.total", value: .count(Decimal(total.signups))))
        }
        if let paid = row(Self.totalPaid) {
            out.append(HeadlineMetric(name: "roi.total_paid", value: .rate(paid.roi)))
            out.append(HeadlineMetric(name: "roas.total_paid", value: .rate(paid.roas)))
            out.append(HeadlineMetric(name: "cac.total_paid", value: .money(paid.cac)))
        }
        for r in channelRows where r.channel != Self.total && r.channel != Self.totalPaid {
            out.append(HeadlineMetric(name: "roi.\(r.channel)", value: .rate(r.roi)))
            out.append(HeadlineMetric(name: "roas.\(r.channel)", value: .rate(r.roas)))
            out.append(HeadlineMetric(name: "cac.\(r.channel)", value: .money(r.cac)))
        }
        return out
    }

    /// Names of the two summary rows (SPEC §4.3).
    public static let total = "total"
    public static let totalPaid = "total_paid"

    /// Money in 1/10 000 units as an exact Decimal (`units × 10⁻⁴`, no division).
    static func money(_ units: Int128) -> Decimal {
        FixedPoint.decimal(units, scale: 4)
    }
}

extension ROIResult.Row {
    /// A row from its sums; every ratio of SPEC §4.3 is derived here, for channel and total
    /// rows alike (the total rows' ratios come from the total sums, not from the channels' ratios).
    /// `spendKnown` false (no spend data, SPEC §3.1): the ratios that divide spend are null, not 0.
    init(channel: String, spend: Int128, impressions: Int128?, clicks: Int128?,
         signups: Int, payingUsers: Int, revenue: Int128, grossMargin: Decimal, spendKnown: Bool = true) {
        let spendValue = ROIResult.money(spend)
        let revenueValue = ROIResult.money(revenue)
        let profit = revenueValue * grossMargin
        let signupCount = Decimal(signups)
        let payingCount = Decimal(payingUsers)
        self.channel = channel
        self.spend = spend
        self.impressions = impressions
        self.clicks = clicks
        self.signups = signups
        self.payingUsers = payingUsers
        self.revenue = revenue
        grossProfit = profit
        roi = Self.ratio(profit - spendValue, spendValue)
        roas = Self.ratio(revenueValue, spendValue)
        cpa = spendKnown ? Self.ratio(spendValue, signupCount) : nil
        cac = spendKnown ? Self.ratio(spendValue, payingCount) : nil
        arpu = Self.ratio(revenueValue, signupCount)
        ctr = Self.ratio(clicks.map { FixedPoint.decimal($0, scale: 0) }, impressions.map { FixedPoint.decimal($0, scale: 0) })
        signupRate = Self.ratio(signupCount, clicks.map { FixedPoint.decimal($0, scale: 0) })
        payRate = Self.ratio(payingCount, signupCount)
    }

    /// `num / den`; nil when either is null or the denominator is zero (SPEC §4.3: never
    /// infinity, NaN or 0). A zero numerator over a non-zero denominator is 0 (SPEC §9: cpa 0.00).
    private static func ratio(_ num: Decimal?, _ den: Decimal?) -> Decimal? {
        guard let num, let den, !den.isZero else { return nil }
        return num / den
    }
}
