import Foundation

/// Analyze: cohort retention (SPEC §4.1, §9 "Analyses") — integrated data → one cell per
/// (cohort, period k) that exists, with the cohort's size, its active users and its revenue.
///
/// Definitions, all on local dates in the pipeline zone (SPEC §4):
/// - a user's cohort event is its signup or its first `purchase` over all kept rows; a user
///   whose cohort event is not in [`since`, `as_of`] is in no cohort (so a first purchase
///   before `since` puts the user in none, even with later purchases in range);
/// - cohort c is the period containing the cohort event, labelled by its first date;
/// - `active_users(c, k)`: cohort users with an activity event dated in period c + k;
///   `revenue(c, k)`: the sum of their sales' amounts dated in period c + k (refund lines
///   included). Both ignore earlier periods than c but count the whole of period c, even
///   before the cohort event or before `since`;
/// - cell k exists while period c + k starts on or before `as_of` and is partial when it
///   ends after it.
///
/// How: users are split into contiguous partitions walked on all cores, one user at a time
/// (the event stream is stored user by user). Each partition owns its accumulators, laid
/// out flat over the cells that can exist, and the partitions are summed in order at the
/// end, so no lock is taken and the result does not depend on the split. Sales are grouped
/// by user once, by a counting sort.
public enum CohortRetention {
    /// Computes every existing cell of every non-empty cohort.
    public static func compute(_ data: IntegratedData, settings: Retention) -> RetentionResult {
        compute(data, settings: settings, partitions: nil)
    }

    /// `partitions`: how many user ranges to walk concurrently; nil picks one per core,
    /// bounded by the number of users and by the accumulators' memory (tests pin it).
    static func compute(_ data: IntegratedData, settings: Retention, partitions: Int?) -> RetentionResult {
        let calendar = PeriodCalendar(settings)
        let periods = max(0, settings.periods)
        guard data.since <= data.asOf else { return RetentionResult(periods: periods, cells: []) }
        let layout = Layout(calendar: calendar, since: data.since, asOf: data.asOf, periods: periods)

        // Activity names that never occur simply match nothing (SPEC §4.1 reads names from §3.5).
        var isActivity = [Bool](repeating: false, count: data.stream.names.count)
        for name in settings.activity {
            if let id = data.stream.id(of: name) { isActivity[Int(id)] = true }
        }
        let sales = data.salesByUser

        let userCount = data.stream.userCount
        let parts = partitions.map { max(1, min($0, max(1, userCount))) }
            ?? defaultPartitions(users: userCount, cells: layout.cellCount)
        let walker = Walker(data: data, settings: settings, calendar: calendar, layout: layout,
                            isActivity: isActivity, sales: sales)
        // The body cannot throw; `parallelMap` is declared throwing for the bodies that do.
        let partials = (try? parallelMap(parts) { (p: Int) -> Accumulator in
            walker.walk(users: (userCount * p / parts)..<(userCount * (p + 1) / parts))
        }) ?? []

        var total = Accumulator(layout)
        for part in partials { total.add(part) }
        return layout.result(total, periods: periods)
    }

    /// One partition per core, at least ~16k users each, and at most ~256 MB of accumulators
    /// in all (day periods over years with hundreds of periods make the triangle large).
    static func defaultPartitions(users: Int, cells: Int) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let byUsers = max(1, users / 16_384)
        let byMemory = max(1, (256 << 20) / max(1, cells * Accumulator.bytesPerCell))
        return min(cores, byUsers, byMemory)
    }
}

extension CohortRetention {
    /// Where each possible cell lives in the flat accumulators.
    ///
    /// Cohorts can only be the periods from the one containing `since` (ordinal `first`) to
    /// the one containing `as_of` (ordinal `last`): the cohort event is in range. Cohort row r
    /// (ordinal first + r) has cells k = 0 … min(periods, last − first − r): period c + k
    /// must start on or before `as_of`, i.e. have an ordinal ≤ `last`.
    struct Layout: Sendable {
        let calendar: PeriodCalendar
        let asOf: LocalDate
        let first: Int
        let last: Int
        /// Cells of row r are `rowStart[r] ..< rowStart[r + 1]`, k = 0 first.
        let rowStart: [Int]

        init(calendar: PeriodCalendar, since: LocalDate, asOf: LocalDate, periods: Int) {
            self.calendar = calendar
            self.asOf = asOf
            first = calendar.index(of: since)
            last = calendar.index(of: asOf)
            let rows = last - first + 1
            var start = [Int](repeating: 0, count: rows + 1)
            for r in 0..<rows { start[r + 1] = start[r] + min(periods, last - first - r) + 1 }
            rowStart = start
        }

        var rowCount: Int { rowStart.count - 1 }
        var cellCount: Int { rowStart[rowCount] }

        /// The cells of every cohort with at least one user, by cohort then period.
        func result(_ acc: Accumulator, periods: Int) -> RetentionResult {
            // Only the period containing as_of can start on or before it and end after it.
            let lastIsPartial = calendar.end(ofIndex: last) > asOf
            var cells: [RetentionResult.Cell] = []
            for r in 0..<rowCount where acc.size[r] > 0 {
                let cohort = calendar.start(ofIndex: first + r)
                for slot in rowStart[r]..<rowStart[r + 1] {
                    let k = slot - rowStart[r]
                    cells.append(.init(cohort: cohort, cohortSize: acc.size[r], period: k,
                                       activeUsers: acc.active[slot], revenue: acc.revenue[slot],
                                       partial: lastIsPartial && first + r + k == last))
                }
            }
            return RetentionResult(periods: periods, cells: cells)
        }
    }

    /// One partition's sums: users per cohort row, and per cell active users and revenue.
    struct Accumulator: Sendable {
        static let bytesPerCell = MemoryLayout<Int>.stride + MemoryLayout<Int128>.stride

        var size: [Int]
        var active: [Int]
        /// 1/10 000 currency units (`MoneyParser.scale`); 128 bits, as a cohort's total of
        /// 64-bit amounts need not fit 64 bits (SPEC §9 "Sums never overflow").
        var revenue: [Int128]

        init(_ layout: Layout) {
            size = [Int](repeating: 0, count: layout.rowCount)
            active = [Int](repeating: 0, count: layout.cellCount)
            revenue = [Int128](repeating: 0, count: layout.cellCount)
        }

        mutating func add(_ other: Accumulator) {
            for i in size.indices { size[i] += other.size[i] }
            for i in active.indices {
                active[i] += other.active[i]
                revenue[i] += other.revenue[i]
            }
        }
    }


    /// Walks a range of users into a fresh accumulator; immutable, so partitions share it.
    struct Walker: Sendable {
        let data: IntegratedData
        let settings: Retention
        let calendar: PeriodCalendar
        let layout: Layout
        let isActivity: [Bool]
        let sales: SalesByUser

        func walk(users: Range<Int>) -> Accumulator {
            var acc = Accumulator(layout)
            let zone = data.zone
            let stream = data.stream
            let (since, asOf) = (data.since, data.asOf)
            // stamp[k] == u: user u was already counted active in period k of its cohort.
            // Local dates need not be monotone in time (a fall-back at midnight), so a stamp,
            // not "the last period seen", keeps a user from counting twice.
            var stamp = [Int](repeating: -1, count: max(0, settings.periods) + 1)
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
                let row = c - layout.first
                let base = layout.rowStart[row]
                let width = layout.rowStart[row + 1] - base       // existing cells: k < width
                acc.size[row] += 1

                for e in events where isActivity[Int(e.name)] {
                    let k = calendar.index(of: zone.localDate(of: e.at)) - c
                    guard k >= 0, k < width, stamp[k] != u else { continue }
                    stamp[k] = u
                    acc.active[base + k] += 1
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

/// Analyze: the result of cohort retention (SPEC §4.1) — the cells of `cohort_retention.csv`
/// and the headline metrics `retention.p0` … `retention.p<periods>`.
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

    /// `retention.periods`: the matrix has columns p0 … p<periods>.
    public let periods: Int
    /// Sorted by cohort, then period; only cohorts with users, only cells that exist.
    public let cells: [Cell]

    public init(periods: Int, cells: [Cell]) {
        self.periods = periods
        self.cells = cells
    }

    /// `retention.pK` for K = 0 … periods: Σ active_users / Σ cohort_size over the cohorts whose
    /// cell K exists and is not partial, as an exact ratio of the two integer sums; null when
    /// no cohort has such a cell (SPEC §4.1).
    public func headlineMetrics() -> [HeadlineMetric] {
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
