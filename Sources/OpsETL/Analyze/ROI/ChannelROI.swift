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
/// channel id, and the partial sums are merged afterwards. Every sum is an integer, so
/// the result does not depend on the split, and no lock is needed.
public enum ChannelROI {
    /// Computes the ROI table of SPEC §4.3.
    public static func compute(_ data: IntegratedData, settings: ROI) -> ROIResult {
        compute(data, settings: settings, partitions: nil)
    }

    /// Users per partition below which splitting costs more than it saves.
    static let minUsersPerPartition = 32_768

    /// `partitions` overrides the number of user ranges (tests check the merge with it).
    static func compute(_ data: IntegratedData, settings: ROI, partitions: Int?) -> ROIResult {
        let since = data.since, asOf = data.asOf
        func inRange(_ d: LocalDate) -> Bool { d >= since && d <= asOf }

        // Spend, impressions, clicks: sums over the channel's rows dated in range (SPEC §4.3).
        var sums: [String: Sums] = [:]
        for row in data.spend where inRange(row.date) {
            sums[row.channel, default: Sums()].addSpend(row)
        }

        // Signups, paying users and revenue per channel, user range by user range.
        let window = AttributionWindow(days: settings.revenueWindowDays)
        let sales = SalesByUser(data.sales, userCount: data.users.count, asOf: asOf)
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
        for partial in partials {
            for (id, name) in partial.names.enumerated() {
                sums[name, default: Sums()].addUsers(partial.sums[id])
            }
        }

        // SPEC §7: spend descending, then name in byte order.
        let ordered = sums.sorted { a, b in
            a.value.spend != b.value.spend ? a.value.spend > b.value.spend
                : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        let margin = settings.grossMargin
        var rows = ordered.map { $0.value.row(channel: $0.key, grossMargin: margin) }
        // The total rows sum the channels' sums and derive their ratios from those sums;
        // `total_paid` is written even when no channel has spend (SPEC §9).
        var total = Sums(), paid = Sums()
        for (_, s) in ordered {
            total.addAll(s)
            if s.spend > 0 { paid.addAll(s) }
        }
        rows.append(total.row(channel: ROIResult.total, grossMargin: margin))
        rows.append(paid.row(channel: ROIResult.totalPaid, grossMargin: margin))
        return ROIResult(rows: rows)
    }
}

extension ChannelROI {
    /// One channel's integer sums (money in 1/10 000 units).
    struct Sums {
        var spend: Int64 = 0
        /// Nil until a non-null value is added (SPEC §9: null when none in range).
        var impressions: Int64?
        var clicks: Int64?
        var signups = 0
        var payingUsers = 0
        var revenue: Int64 = 0

        mutating func addSpend(_ row: SpendRow) {
            spend += row.spend
            impressions = Self.add(impressions, row.impressions)
            clicks = Self.add(clicks, row.clicks)
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
        private static func add(_ a: Int64?, _ b: Int64?) -> Int64? {
            guard let b else { return a }
            return (a ?? 0) + b
        }

        func row(channel: String, grossMargin: Decimal) -> ROIResult.Row {
            ROIResult.Row(channel: channel, spend: spend, impressions: impressions, clicks: clicks,
                          signups: signups, payingUsers: payingUsers, revenue: revenue, grossMargin: grossMargin)
        }
    }

    /// The user-side sums of one channel within one partition.
    struct UserSums {
        var signups = 0
        var payingUsers = 0
        var revenue: Int64 = 0
    }

    /// One contiguous range of users with its own channel interning and accumulators.
    struct Partial {
        /// Local channel id → name, in order of first appearance within the range.
        var names: [String] = []
        var sums: [UserSums] = []

        init(users: [IntegratedData.User], range: Range<Int>, sales: SalesByUser,
             window: AttributionWindow, inRange: (LocalDate) -> Bool) {
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

                let limit = window.end(from: user.signupAt)
                var revenue: Int64 = 0
                var pays = false
                for sale in sales.of(u) where sale.orderedAt >= user.signupAt && sale.orderedAt <= limit {
                    revenue += sale.amount
                    if sale.amount > 0 { pays = true }
                }
                sums[id].signups += 1
                sums[id].revenue += revenue
                if pays { sums[id].payingUsers += 1 }
            }
        }
    }

    /// The sales that may be attributed (local date ≤ `as_of`), grouped by user once with a
    /// counting sort: `entries[start[u] ..< start[u + 1]]` are user u's, in input order.
    struct SalesByUser: Sendable {
        struct Entry: Sendable {
            var orderedAt: Instant
            var amount: Int64
        }

        let start: [Int]
        let entries: [Entry]

        init(_ sales: [IntegratedData.Sale], userCount: Int, asOf: LocalDate) {
            // Two linear passes over raw buffers (no per-element bounds or uniqueness checks):
            // count per user, prefix-sum into offsets, then place each sale at its user's cursor.
            let last = asOf.days
            var start = [Int](repeating: 0, count: userCount + 1)
            sales.withUnsafeBufferPointer { sales in
                start.withUnsafeMutableBufferPointer { start in
                    for sale in sales where sale.orderedDate.days <= last { start[Int(sale.user) + 1] += 1 }
                    for u in 0..<userCount { start[u + 1] += start[u] }
                }
            }
            var fill = start
            let placeholder = Entry(orderedAt: Instant(seconds: 0), amount: 0)
            var entries = [Entry](repeating: placeholder, count: start[userCount])
            sales.withUnsafeBufferPointer { sales in
                fill.withUnsafeMutableBufferPointer { fill in
                    entries.withUnsafeMutableBufferPointer { entries in
                        for sale in sales where sale.orderedDate.days <= last {
                            let u = Int(sale.user)
                            entries[fill[u]] = Entry(orderedAt: sale.orderedAt, amount: sale.amount)
                            fill[u] += 1
                        }
                    }
                }
            }
            self.start = start
            self.entries = entries
        }

        func of(_ user: Int) -> ArraySlice<Entry> { entries[start[user]..<start[user + 1]] }
    }

    /// `revenue_window_days × 86 400 s` converted exactly from the Decimal (SPEC §9: the window
    /// may be fractional). Instants are whole nanoseconds, so `ordered_at ≤ signup_at + w`
    /// holds exactly when it holds for w rounded down to a whole nanosecond.
    struct AttributionWindow: Sendable {
        var seconds: Int64
        var nanos: Int32

        /// Longer than any span between two representable timestamps (years 0–9999 are
        /// ~3.2 × 10¹¹ s apart): a window beyond it attributes every later sale.
        static let maxSeconds: Int64 = 1 << 50

        init(days: Decimal) {
            let total = days * 86_400
            guard total > 0 else {
                // SPEC §2 allows 0: only a sale at the signup instant itself is attributed.
                seconds = 0
                nanos = 0
                return
            }
            let whole = Self.floor(total)
            guard whole < Decimal(Self.maxSeconds) else {
                seconds = Self.maxSeconds
                nanos = 0
                return
            }
            seconds = Self.int64(whole)
            nanos = Int32(Self.int64(Self.floor((total - whole) * 1_000_000_000)))
        }

        /// `start + window`, carrying nanoseconds into seconds.
        func end(from start: Instant) -> Instant {
            var s = start.seconds + seconds
            var n = start.nanos + nanos
            if n >= 1_000_000_000 {
                n -= 1_000_000_000
                s += 1
            }
            return Instant(seconds: s, nanos: n)
        }

        /// Rounds a non-negative Decimal down to an integer.
        private static func floor(_ value: Decimal) -> Decimal {
            var source = value
            var result = Decimal()
            NSDecimalRound(&result, &source, 0, .down)
            return result
        }

        /// An integral Decimal in Int64 range as Int64, through its exact plain-text form.
        private static func int64(_ value: Decimal) -> Int64 {
            guard let v = Int64(value.description) else {
                preconditionFailure("AttributionWindow: \(value) is not an integer in range")
            }
            return v
        }
    }
}
