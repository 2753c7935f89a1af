import Foundation

/// Analyze, channel ROI (SPEC §4.3, §9 "Analyses"): integrated users, sales and spend →
/// `ROIResult`, one row per acquisition channel plus `total` and `total_paid`.
///
/// Grain: a channel is every channel with a spend row dated in range (even with spend 0)
/// or with a user whose signup is in range ("in range" = local date in [since, as_of]).
/// A user's attributed sales are its kept, non-excluded sales (refund lines included) with
/// `signup_at ≤ ordered_at ≤ signup_at + revenue_window_days × 86 400 s` and a local date
/// ≤ `as_of`.
///
/// How, for millions of users and sales: the sales are grouped by user once (a counting
/// sort into compressed sparse rows), the users are split into contiguous ranges that run
/// on every core, each with its own per-channel accumulators keyed by a small interned
/// channel id, and the partial sums are merged afterwards into a `UserPartial` keyed by
/// channel name. Every sum is an integer, so the result does not depend on the split, and no
/// lock is needed; user partials of other users (another partition or machine) merge the same
/// way, and `result` adds the spend side.
public enum ChannelROI {
    /// Computes the ROI table of SPEC §4.3.
    public static func compute(_ data: IntegratedData, settings: ROI) -> ROIResult {
        compute(data, settings: settings, partitions: nil)
    }

    /// Users per partition below which splitting costs more than it saves.
    static let minUsersPerPartition = 32_768

    /// `partitions` overrides the number of user ranges (tests check the merge with it).
    static func compute(_ data: IntegratedData, settings: ROI, partitions: Int?) -> ROIResult {
        result(users: userPartial(data, settings: settings, partitions: partitions), spend: data.spend, settings: settings,
               since: data.since, asOf: data.asOf, hasSpendInput: data.hasSpendInput)
    }

    /// The user side of every user of `data` (signups, paying users, attributed revenue per
    /// channel), user ranges on every core; `data.spend` is not read.
    public static func userPartial(_ data: IntegratedData, settings: ROI) -> UserPartial {
        userPartial(data, settings: settings, partitions: nil)
    }

    /// The same with a pinned number of user ranges (nil: one per `minUsersPerPartition` users,
    /// at most four per core).
    static func userPartial(_ data: IntegratedData, settings: ROI, partitions: Int?) -> UserPartial {
        let since = data.since, asOf = data.asOf
        func inRange(_ d: LocalDate) -> Bool { d >= since && d <= asOf }
        // Signups, paying users and revenue per channel, user range by user range.
        let window = DayWindow.nanoseconds(settings.revenueWindowDays)
        let sales = data.salesByUser
        let users = data.users
        let parts = max(1, min(users.count, partitions
            ?? min(users.count / minUsersPerPartition, ProcessInfo.processInfo.activeProcessorCount * 4)))
        let partials: [Partial]
        do {
            partials = try parallelMap(parts) { p in
                Partial(users: users, range: users.count * p / parts ..< users.count * (p + 1) / parts,
                        sales: sales, window: window, inRange: inRange)
            }
        } catch {
            // The body never throws; `parallelMap` is only declared `throws`.
            preconditionFailure("ChannelROI: a partition threw \(error)")
        }
        var total = UserPartial()
        for partial in partials {
            for (id, name) in partial.names.enumerated() { total.add(name, partial.sums[id]) }
        }
        return total
    }

    /// The ROI table from the user side of every user of the run (merged `UserPartial`s) and the
    /// run's kept spend rows, all of them: only those dated in [`since`, `as_of`] count.
    /// `hasSpendInput` false: spend and the ratios computed from it are null (SPEC §3.1).
    public static func result(users: UserPartial, spend: [SpendRow], settings: ROI, since: LocalDate, asOf: LocalDate,
                              hasSpendInput: Bool) -> ROIResult {
        func inRange(_ d: LocalDate) -> Bool { d >= since && d <= asOf }

        // Spend, impressions, clicks: sums over the channel's rows dated in range (SPEC §4.3).
        var sums: [String: Sums] = [:]
        var campaignSpend: [CampaignKey: Int128] = [:]
        for row in spend where inRange(row.date) {
            sums[row.channel, default: Sums()].addSpend(row)
            campaignSpend[CampaignKey(channel: row.channel, campaign: row.campaign), default: 0] += Int128(row.spend)
        }
        let campaigns = campaignSpend.map { ROIResult.Campaign(channel: $0.key.channel, campaign: $0.key.campaign, spend: $0.value) }
            .sorted { a, b in
                if a.channel != b.channel { return a.channel.utf8.lexicographicallyPrecedes(b.channel.utf8) }
                if a.spend != b.spend { return a.spend > b.spend }
                switch (a.campaign, b.campaign) {
                case (let x?, let y?): return x.utf8.lexicographicallyPrecedes(y.utf8)
                case (.some, nil): return true
                default: return false
                }
            }

        for (id, name) in users.names.enumerated() {
            sums[name, default: Sums()].addUsers(users.sums[id])
        }

        // SPEC §7: spend descending, then name in byte order.
        let ordered = sums.sorted { a, b in
            a.value.spend != b.value.spend ? a.value.spend > b.value.spend
                : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        let margin = settings.grossMargin
        // SPEC §3.1: without a channels input spend is null, and so are the ratios computed from it.
        let known = hasSpendInput
        var rows = ordered.map { $0.value.row(channel: $0.key, grossMargin: margin, spendKnown: known) }
        // The total rows sum the channels' sums and derive their ratios from those sums;
        // `total_paid` is written even when no channel has spend (SPEC §9).
        var total = Sums(), paid = Sums()
        for (_, s) in ordered {
            total.addAll(s)
            if s.spend > 0 { paid.addAll(s) }
        }
        rows.append(total.row(channel: ROIResult.total, grossMargin: margin, spendKnown: known))
        rows.append(paid.row(channel: ROIResult.totalPaid, grossMargin: margin, spendKnown: known))
        return ROIResult(rows: rows, hasSpendData: known, campaigns: campaigns)
    }
}

extension ChannelROI {
    /// A (channel, campaign) pair of the spend rows.
    struct CampaignKey: Hashable {
        let channel: String
        let campaign: String?
    }

    /// One channel's integer sums (money in 1/10 000 units), 128 bits wide: each value fits
    /// 64 bits, their total need not (SPEC §9 "Sums never overflow").
    struct Sums {
        var spend: Int128 = 0
        /// Nil until a non-null value is added (SPEC §9: null when none in range).
        var impressions: Int128?
        var clicks: Int128?
        var signups = 0
        var payingUsers = 0
        var revenue: Int128 = 0

        mutating func addSpend(_ row: SpendRow) {
            spend += Int128(row.spend)
            impressions = Self.add(impressions, row.impressions.map { Int128($0) })
            clicks = Self.add(clicks, row.clicks.map { Int128($0) })
        }

        mutating func addUsers(_ u: UserSums) {
            signups += u.signups
            payingUsers += u.payingUsers
            revenue += u.revenue
        }

        /// For the total rows: impressions/clicks stay null only when every channel's is null.
        mutating func addAll(_ s: Sums) {
            spend += s.spend
            impressions = Self.add(impressions, s.impressions)
            clicks = Self.add(clicks, s.clicks)
            signups += s.signups
            payingUsers += s.payingUsers
            revenue += s.revenue
        }

        /// A nullable sum: null + null is null, otherwise the sum of the non-null values.
        private static func add(_ a: Int128?, _ b: Int128?) -> Int128? {
            guard let b else { return a }
            return (a ?? 0) + b
        }

        func row(channel: String, grossMargin: Decimal, spendKnown: Bool) -> ROIResult.Row {
            ROIResult.Row(channel: channel, spend: spend, impressions: impressions, clicks: clicks,
                          signups: signups, payingUsers: payingUsers, revenue: revenue, grossMargin: grossMargin,
                          spendKnown: spendKnown)
        }
    }

    /// The user-side sums of one channel within one partition.
    struct UserSums: Sendable, Equatable {
        var signups = 0
        var payingUsers = 0
        var revenue: Int128 = 0
    }

    /// The user side of ROI for some set of users — signups, paying users and attributed revenue
    /// per channel, keyed by channel NAME so that partials of different users (ranges, partitions,
    /// machines) merge exactly in any order: every sum is an integer. Only users whose signup is
    /// in [`since`, `as_of`] are counted, so a channel appears once it has such a user.
    public struct UserPartial: Sendable {
        /// Channel names in first-seen order; `sums[i]` is channel `names[i]`'s.
        private(set) var names: [String] = []
        private var index: [String: Int] = [:]
        private(set) var sums: [UserSums] = []

        /// No users: merging it changes nothing.
        public init() {}

        /// The channels with at least one user counted.
        public var channelCount: Int { names.count }

        /// Adds one channel's sums (creating the channel when new).
        mutating func add(_ name: String, _ s: UserSums) {
            let i: Int
            if let known = index[name] {
                i = known
            } else {
                i = names.count
                index[name] = i
                names.append(name)
                sums.append(UserSums())
            }
            sums[i].signups += s.signups
            sums[i].payingUsers += s.payingUsers
            sums[i].revenue += s.revenue
        }

        /// Adds other users' sums, channel by channel.
        public mutating func merge(_ other: UserPartial) {
            for (i, name) in other.names.enumerated() { add(name, other.sums[i]) }
        }
    }

    /// One contiguous range of users with its own channel interning and accumulators.
    struct Partial {
        /// Local channel id → name, in order of first appearance within the range.
        var names: [String] = []
        var sums: [UserSums] = []

        init(users: [IntegratedData.User], range: Range<Int>, sales: SalesByUser,
             window: Int64, inRange: (LocalDate) -> Bool) {
            var ids: [String: Int] = [:]
            var lastName: String?
            var lastId = 0
            for u in range {
                let user = users[u]
                guard inRange(user.signupDate) else { continue }
                // Users of one channel often come in runs; skip the hash lookup for a repeat.
                let id: Int
                if user.channel == lastName {
                    id = lastId
                } else if let known = ids[user.channel] {
                    id = known
                } else {
                    id = names.count
                    ids[user.channel] = id
                    names.append(user.channel)
                    sums.append(UserSums())
                }
                lastName = user.channel
                lastId = id

                let limit = user.signupAt.adding(nanoseconds: window)
                var revenue: Int128 = 0       // one user's many sales can exceed 64 bits too
                var pays = false
                // Kept sales are all dated ≤ as_of (Dedupe drops later ones), so only the window is checked.
                for sale in sales.of(u) where sale.orderedAt >= user.signupAt && sale.orderedAt <= limit {
                    revenue += Int128(sale.amount)
                    if sale.amount > 0 { pays = true }
                }
                sums[id].signups += 1
                sums[id].revenue += revenue
                if pays { sums[id].payingUsers += 1 }
            }
        }
    }

}
