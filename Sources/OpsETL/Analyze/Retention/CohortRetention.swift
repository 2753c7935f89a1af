import Foundation

/// Analyze: cohort retention (SPEC §4.1, §4.1.1, §9 "Analyses") — integrated data → one cell per
/// (cohort, period k) that exists, with the cohort's size, its active users and its revenue, and
/// one day-N row per (cohort, N of `retention.days`).
///
/// Definitions, all on local dates in the pipeline zone (SPEC §4):
/// - a user's cohort event is its signup or its first `purchase` over all kept rows; a user
///   whose cohort event is not in [`since`, `as_of`] is in no cohort (so a first purchase
///   before `since` puts the user in none, even with later purchases in range);
/// - cohort c is the period containing the cohort event, labelled by its first date;
/// - `active_users(c, k)`: cohort users with an activity event dated in period c + k — with
///   `cumulative`, in period c + k or any later one up to `as_of` ("on or after");
///   `revenue(c, k)`: the sum of their sales' amounts dated in period c + k (refund lines
///   included). Both ignore earlier periods than c but count the whole of period c, even
///   before the cohort event or before `since`;
/// - cell k exists while period c + k starts on or before `as_of` and is partial when it
///   ends after it;
/// - day N of a cohort user is the local date D₀ + N, D₀ the date of its cohort event: the user
///   is eligible when D₀ + N ≤ `as_of`, active on day N with an activity event dated D₀ + N, and
///   active on or after day N with one dated in [D₀ + N, `as_of`].
///
/// How: users are split into contiguous ranges walked on all cores, one user at a time (the
/// event stream is stored user by user), in the one walk that also sums revenue. Each range sums
/// into its own `Partial`, which holds rows only for the cohorts its users are in — so memory
/// grows with the users and the cohorts that exist, never with the length of [`since`, `as_of`]
/// (SPEC §9). Partials are plain integer sums with an exact `merge`, so the result does not depend
/// on the split, and ranges walked elsewhere (another machine) merge the same way.
public enum CohortRetention {
    /// Computes every existing cell of every non-empty cohort, and its day-N rows.
    public static func compute(_ data: IntegratedData, settings: Retention) -> RetentionResult {
        compute(data, settings: settings, partitions: nil)
    }

    /// `partitions`: how many user ranges to walk concurrently; nil picks one per core,
    /// bounded by the number of users and by the accumulators' memory (tests pin it).
    static func compute(_ data: IntegratedData, settings: Retention, partitions: Int?) -> RetentionResult {
        partial(data, settings: settings, partitions: partitions).result()
    }

    /// The sums of every user of `data`, walked on every core (what `compute` finishes): a partial
    /// to merge with other users' partials of the same run.
    public static func partial(_ data: IntegratedData, settings: Retention) -> Partial {
        partial(data, settings: settings, partitions: nil)
    }

    /// The same with a pinned number of user ranges (nil: `defaultPartitions`).
    static func partial(_ data: IntegratedData, settings: Retention, partitions: Int?) -> Partial {
        let shape = Shape(settings, since: data.since, asOf: data.asOf)
        guard data.since <= data.asOf else { return Partial(shape) }
        let userCount = data.stream.userCount
        let parts = partitions.map { max(1, min($0, max(1, userCount))) }
            ?? defaultPartitions(users: userCount, cells: shape.maxCells(users: userCount))
        let walker = Walker(data: data, settings: settings, shape: shape)
        // The body cannot throw; `parallelMap` is declared throwing for the bodies that do.
        let partials = (try? parallelMap(parts) { (p: Int) -> Partial in
            walker.walk(users: (userCount * p / parts)..<(userCount * (p + 1) / parts))
        }) ?? []

        var total = Partial(shape)
        for part in partials { total.merge(part) }
        return total
    }

    /// The sums of the users `users` (indices into `data.users`) alone: merge the partials of
    /// ranges that cover every user once, in any order, then take `result()` — the same result
    /// as `compute`.
    public static func partial(_ data: IntegratedData, settings: Retention, users: Range<Int>) -> Partial {
        let shape = Shape(settings, since: data.since, asOf: data.asOf)
        guard data.since <= data.asOf else { return Partial(shape) }
        return Walker(data: data, settings: settings, shape: shape).walk(users: users)
    }

    /// One partition per core, at least ~16k users each, and at most ~256 MB of accumulators
    /// in all (day periods with hundreds of periods make each cohort's row long).
    static func defaultPartitions(users: Int, cells: Int) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let byUsers = max(1, users / 16_384)
        let byMemory = max(1, (256 << 20) / max(1, cells * Partial.bytesPerCell))
        return min(cores, byUsers, byMemory)
    }
}

extension CohortRetention {
    /// What every partial of one run shares: the calendar, `as_of`, the number of periods, the
    /// days of day-N retention and the kind of count. Partials merge only within one shape.
    public struct Shape: Sendable, Equatable {
        let calendar: PeriodCalendar
        let asOf: LocalDate
        /// Ordinal of the period containing `since` (the earliest cohort) and `as_of` (the latest).
        let first: Int
        let last: Int
        let periods: Int
        /// `retention.days`, ascending.
        let days: [Int]
        let cumulative: Bool

        init(_ settings: Retention, since: LocalDate, asOf: LocalDate) {
            calendar = PeriodCalendar(settings)
            self.asOf = asOf
            first = calendar.index(of: since)
            last = calendar.index(of: asOf)
            periods = max(0, settings.periods)
            days = settings.days.sorted()
            cumulative = settings.cumulative
        }

        /// Cells of cohort c: k = 0 … min(periods, last − c), as period c + k must start on or
        /// before `as_of` (have an ordinal ≤ `last`).
        func width(ofCohort c: Int) -> Int { min(periods, last - c) + 1 }

        /// An upper bound of the cells a partial of `users` users can hold: each user adds at most
        /// one cohort, and cohorts lie between `first` and `last`.
        func maxCells(users: Int) -> Int {
            min(max(0, users), max(0, last - first + 1)) * (periods + 1 + 3 * days.count)
        }

        /// How many of `days` are ≤ n (binary search).
        @inline(__always)
        func daysAtMost(_ n: Int) -> Int {
            var lo = 0, hi = days.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if days[mid] <= n { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// The sums of one range of users — a mergeable partial.
    ///
    /// One row per cohort met, in the order met: its size, then per cell (k = 0 first) the active
    /// users and the revenue, and per day of `days` the day-N counts. Counts that are sums over
    /// "k or later" are kept as counts of users by their *latest* cell (day), so a user adds 1 to one
    /// place however many cells it counts in, and `result()` turns them into suffix sums:
    /// - `active`, with `cumulative`: users whose latest active period is the cell's (or later than
    ///   the row's last cell); otherwise the users active in the cell's period;
    /// - `eligibleThrough[i]`: users eligible for exactly `days[0 … i]` (D₀ + days[i] ≤ `as_of` <
    ///   D₀ + days[i + 1]);
    /// - `activeThrough[i]`: users whose latest activity day n has days[i] ≤ n < days[i + 1] (and
    ///   is on or before `as_of`);
    /// - `activeOn[i]`: users active on day days[i] itself.
    /// All are integers, so `merge` is exact and the order of merging does not matter.
    public struct Partial: Sendable {
        static let bytesPerCell = MemoryLayout<Int>.stride + MemoryLayout<Int128>.stride

        public let shape: Shape
        /// Row of each cohort met, by the ordinal of its period.
        var rowOf: [Int: Int] = [:]
        /// Period ordinal of each row's cohort.
        private(set) var cohorts: [Int] = []
        /// Cells of row r are `rowStart[r] ..< rowStart[r + 1]`, k = 0 first.
        private(set) var rowStart: [Int] = [0]
        var size: [Int] = []
        var active: [Int] = []
        /// 1/10 000 currency units (`MoneyParser.scale`); 128 bits, as a cohort's total of
        /// 64-bit amounts need not fit 64 bits (SPEC §9 "Sums never overflow").
        var revenue: [Int128] = []
        /// Per row, `days.count` each: row r's day i is `r × days.count + i`.
        var activeOn: [Int] = []
        var eligibleThrough: [Int] = []
        var activeThrough: [Int] = []

        public init(_ shape: Shape) { self.shape = shape }

        /// The cells held: memory grows with this, the cohorts that exist times their widths.
        public var cellCount: Int { rowStart[rowStart.count - 1] }
        public var cohortCount: Int { cohorts.count }

        /// The row of the cohort with period ordinal `c`, added (all zeros) when first met.
        mutating func row(of c: Int) -> Int {
            if let r = rowOf[c] { return r }
            let r = cohorts.count
            let width = shape.width(ofCohort: c)
            rowOf[c] = r
            cohorts.append(c)
            rowStart.append(rowStart[r] + width)
            size.append(0)
            active.append(contentsOf: repeatElement(0, count: width))
            revenue.append(contentsOf: repeatElement(0, count: width))
            let d = shape.days.count
            activeOn.append(contentsOf: repeatElement(0, count: d))
            eligibleThrough.append(contentsOf: repeatElement(0, count: d))
            activeThrough.append(contentsOf: repeatElement(0, count: d))
            return r
        }

        /// Adds another partial of the same shape (other users): every sum is an integer sum.
        public mutating func merge(_ other: Partial) {
            precondition(shape == other.shape, "CohortRetention.Partial.merge: partials of different runs")
            let d = shape.days.count
            for o in other.cohorts.indices {
                let r = row(of: other.cohorts[o])
                size[r] += other.size[o]
                let (mine, theirs) = (rowStart[r], other.rowStart[o])
                for k in 0..<(other.rowStart[o + 1] - theirs) {
                    active[mine + k] += other.active[theirs + k]
                    revenue[mine + k] += other.revenue[theirs + k]
                }
                for i in 0..<d {
                    activeOn[r * d + i] += other.activeOn[o * d + i]
                    eligibleThrough[r * d + i] += other.eligibleThrough[o * d + i]
                    activeThrough[r * d + i] += other.activeThrough[o * d + i]
                }
            }
        }

        /// The cells and day-N rows of every cohort with at least one user, by cohort then period
        /// (then day).
        public func result() -> RetentionResult {
            let cal = shape.calendar
            // Only the period containing as_of can start on or before it and end after it.
            let lastIsPartial = cal.end(ofIndex: shape.last) > shape.asOf
            let d = shape.days.count
            var cells: [RetentionResult.Cell] = []
            var dayCells: [RetentionResult.DayCell] = []
            for r in cohorts.indices.sorted(by: { cohorts[$0] < cohorts[$1] }) where size[r] > 0 {
                let c = cohorts[r]
                let cohort = cal.start(ofIndex: c)
                let (base, end) = (rowStart[r], rowStart[r + 1])
                var later = 0      // cumulative: users whose latest active period is after cell k
                var counts = [Int](repeating: 0, count: end - base)
                for k in (0..<(end - base)).reversed() {
                    later += active[base + k]
                    counts[k] = shape.cumulative ? later : active[base + k]
                }
                for k in 0..<(end - base) {
                    cells.append(.init(cohort: cohort, cohortSize: size[r], period: k, activeUsers: counts[k],
                                       revenue: revenue[base + k], partial: lastIsPartial && c + k == shape.last))
                }
                var eligible = [Int](repeating: 0, count: d), onOrAfter = [Int](repeating: 0, count: d)
                var (e, a) = (0, 0)
                for i in (0..<d).reversed() {
                    e += eligibleThrough[r * d + i]
                    a += activeThrough[r * d + i]
                    (eligible[i], onOrAfter[i]) = (e, a)
                }
                for i in 0..<d {
                    dayCells.append(.init(cohort: cohort, cohortSize: size[r], day: shape.days[i], eligibleUsers: eligible[i],
                                          activeOnDay: activeOn[r * d + i], activeOnOrAfter: onOrAfter[i]))
                }
            }
            return RetentionResult(periods: shape.periods, cells: cells, days: shape.days, dayCells: dayCells,
                                   cumulative: shape.cumulative)
        }
    }

    /// Walks a range of users into a fresh partial; immutable, so partitions share it.
    struct Walker: Sendable {
        let data: IntegratedData
        let settings: Retention
        let shape: Shape
        let isActivity: [Bool]

        init(data: IntegratedData, settings: Retention, shape: Shape) {
            self.data = data
            self.settings = settings
            self.shape = shape
            // Activity names that never occur simply match nothing (SPEC §4.1 reads names from §3.5).
            var isActivity = [Bool](repeating: false, count: data.stream.names.count)
            for name in settings.activity {
                if let id = data.stream.id(of: name) { isActivity[Int(id)] = true }
            }
            self.isActivity = isActivity
        }

        func walk(users: Range<Int>) -> Partial {
            var acc = Partial(shape)
            let zone = data.zone
            let stream = data.stream
            let sales = data.salesByUser
            let calendar = shape.calendar
            let (since, asOf) = (data.since, data.asOf)
            let cumulative = shape.cumulative
            let days = shape.days
            let dayCount = days.count
            // stamp[k] == u: user u was already counted active in period k of its cohort (and
            // dayStamp[i] == u on day days[i]). Local dates need not be monotone in time (a
            // fall-back at midnight), so a stamp, not "the last period seen", keeps a user from
            // counting twice.
            var stamp = [Int](repeating: -1, count: shape.periods + 1)
            var dayStamp = [Int](repeating: -1, count: dayCount)
            // Users often come grouped by signup, so the last cohort's row is looked up first.
            var (lastCohort, lastRow) = (Int.min, 0)
            for u in users {
                let events = stream.events(of: u)
                let cohortDate: LocalDate?
                switch settings.cohortBy {
                case .signup:
                    cohortDate = data.users[u].signupDate
                case .firstPurchase:
                    // SPEC §9: the first purchase over all kept rows (events are in time order).
                    cohortDate = events.first { $0.name == EventStream.purchase }.map { zone.localDate(of: $0.at) }
                }
                guard let date = cohortDate, date >= since, date <= asOf else { continue }
                let c = calendar.index(of: date)
                if c != lastCohort { (lastCohort, lastRow) = (c, acc.row(of: c)) }
                let row = lastRow
                let base = acc.rowStart[row]
                let width = acc.rowStart[row + 1] - base       // existing cells: k < width
                acc.size[row] += 1
                let d0 = Int(date.days)
                var latestPeriod = -1       // latest k with activity (cumulative)
                var latestDay = -1          // latest day n ≥ 0 with activity (day-N)

                for e in events where isActivity[Int(e.name)] {
                    let day = zone.localDate(of: e.at)
                    // Rows after as_of never reach the stream (SPEC §3.4 step 2); "up to as_of" holds anyway.
                    guard day <= asOf else { continue }
                    let k = calendar.index(of: day) - c
                    guard k >= 0 else { continue }      // SPEC §4.1: earlier periods than the cohort's are ignored
                    if cumulative {
                        latestPeriod = max(latestPeriod, k)
                    } else if k < width, stamp[k] != u {
                        stamp[k] = u
                        acc.active[base + k] += 1
                    }
                    guard dayCount > 0 else { continue }
                    let n = Int(day.days) - d0
                    guard n >= 0 else { continue }      // before D₀: no day of day-N retention
                    latestDay = max(latestDay, n)
                    let i = shape.daysAtMost(n) - 1
                    if i >= 0, days[i] == n, dayStamp[i] != u {
                        dayStamp[i] = u
                        acc.activeOn[row * dayCount + i] += 1
                    }
                }
                // SPEC §4.1 cumulative: active in k or later counts in every cell up to k, so the user
                // is recorded once, at its latest period (the row's last cell when later than that).
                if latestPeriod >= 0 { acc.active[base + min(latestPeriod, width - 1)] += 1 }
                if dayCount > 0 {
                    // SPEC §4.1.1: eligible for day N when D₀ + N ≤ as_of.
                    let eligible = shape.daysAtMost(Int(asOf.days) - d0)
                    if eligible > 0 { acc.eligibleThrough[row * dayCount + eligible - 1] += 1 }
                    if latestDay >= 0 {
                        let through = min(eligible, shape.daysAtMost(latestDay))
                        if through > 0 { acc.activeThrough[row * dayCount + through - 1] += 1 }
                    }
                }
                for line in sales.of(u) {
                    let k = calendar.index(of: line.orderedDate) - c
                    guard k >= 0, k < width else { continue }
                    acc.revenue[base + k] += Int128(line.amount)
                }
            }
            return acc
        }
    }
}

/// Analyze: the result of cohort retention (SPEC §4.1, §4.1.1) — the cells of `cohort_retention.csv`,
/// the rows of `day_retention.csv` and the headline metrics `retention.p0` … `retention.p<periods>`,
/// `retention.dN` and `retention.dN_plus`.
public struct RetentionResult: Sendable, Equatable {
    /// One existing (cohort, period) cell.
    public struct Cell: Sendable, Equatable {
        /// First date of the cohort's period (its label), possibly before `since`.
        public let cohort: LocalDate
        public let cohortSize: Int
        /// k: periods after the cohort's own (0 = the cohort's period).
        public let period: Int
        public let activeUsers: Int
        /// 1/10 000 currency units (`MoneyParser.scale`); refund lines included; 128 bits (SPEC §9).
        public let revenue: Int128
        /// Period cohort + k ends after `as_of`.
        public let partial: Bool

        public init(cohort: LocalDate, cohortSize: Int, period: Int, activeUsers: Int, revenue: Int128, partial: Bool) {
            self.cohort = cohort
            self.cohortSize = cohortSize
            self.period = period
            self.activeUsers = activeUsers
            self.revenue = revenue
            self.partial = partial
        }
    }

    /// One day-N row: a cohort and one N of `retention.days` (SPEC §4.1.1).
    public struct DayCell: Sendable, Equatable {
        /// First date of the cohort's period (its label), as in `cohort_retention.csv`.
        public let cohort: LocalDate
        public let cohortSize: Int
        /// N.
        public let day: Int
        /// Cohort users whose day N (D₀ + N) is on or before `as_of`.
        public let eligibleUsers: Int
        /// Eligible users with an activity event dated on their day N.
        public let activeOnDay: Int
        /// Eligible users with an activity event dated on a day from their day N to `as_of`.
        public let activeOnOrAfter: Int

        public init(cohort: LocalDate, cohortSize: Int, day: Int, eligibleUsers: Int, activeOnDay: Int, activeOnOrAfter: Int) {
            self.cohort = cohort
            self.cohortSize = cohortSize
            self.day = day
            self.eligibleUsers = eligibleUsers
            self.activeOnDay = activeOnDay
            self.activeOnOrAfter = activeOnOrAfter
        }
    }

    /// `retention.periods`: the matrix has columns p0 … p<periods>.
    public let periods: Int
    /// Sorted by cohort, then period; only cohorts with users, only cells that exist.
    public let cells: [Cell]
    /// `retention.days`, ascending; empty: no day-N retention.
    public let days: [Int]
    /// Sorted by cohort, then day: one per cohort with users and day of `days`.
    public let dayCells: [DayCell]
    /// `retention.cumulative`: the cells count users active in their period or a later one.
    public let cumulative: Bool

    public init(periods: Int, cells: [Cell], days: [Int] = [], dayCells: [DayCell] = [], cumulative: Bool = false) {
        self.periods = periods
        self.cells = cells
        self.days = days
        self.dayCells = dayCells
        self.cumulative = cumulative
    }

    /// `retention.pK` for K = 0 … periods: Σ active_users / Σ cohort_size over the cohorts whose
    /// cell K exists and is not partial, as an exact ratio of the two integer sums; null when
    /// no cohort has such a cell (SPEC §4.1). Then, for each N of `days` ascending,
    /// `retention.dN` = Σ active_on_day / Σ eligible_users and `retention.dN_plus` =
    /// Σ active_on_or_after / Σ eligible_users over all cohorts; null when nobody is eligible
    /// (SPEC §4.1.1).
    public func headlineMetrics() -> [HeadlineMetric] {
        periodMetrics() + dayMetrics()
    }

    /// `retention.dN` and `retention.dN_plus` for each N of `days`, ascending.
    public func dayMetrics() -> [HeadlineMetric] {
        var eligible: [Int: Int] = [:], onDay: [Int: Int] = [:], onOrAfter: [Int: Int] = [:]
        for c in dayCells {
            eligible[c.day, default: 0] += c.eligibleUsers
            onDay[c.day, default: 0] += c.activeOnDay
            onOrAfter[c.day, default: 0] += c.activeOnOrAfter
        }
        return days.flatMap { n -> [HeadlineMetric] in
            let e = eligible[n] ?? 0
            func rate(_ a: Int?) -> MetricValue { .rate(e == 0 ? nil : Decimal(a ?? 0) / Decimal(e)) }
            return [HeadlineMetric(name: MetricName.retentionDay(n, orAfter: false).description, value: rate(onDay[n])),
                    HeadlineMetric(name: MetricName.retentionDay(n, orAfter: true).description, value: rate(onOrAfter[n]))]
        }
    }

    private func periodMetrics() -> [HeadlineMetric] {
        guard periods >= 0 else { return [] }
        var active = [Int](repeating: 0, count: periods + 1)
        var size = [Int](repeating: 0, count: periods + 1)
        for cell in cells where !cell.partial && cell.period <= periods {
            active[cell.period] += cell.activeUsers
            size[cell.period] += cell.cohortSize
        }
        return (0...periods).map { k in
            HeadlineMetric(name: MetricName.retention(period: k).description,
                           value: .rate(size[k] == 0 ? nil : Decimal(active[k]) / Decimal(size[k])))
        }
    }
}
