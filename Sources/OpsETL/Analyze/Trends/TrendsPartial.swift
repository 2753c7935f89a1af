import Foundation

/// Analyze, trends (SPEC §4.4, §4.5): a mergeable partial result — one range of users (or one
/// batch of spend rows) → integer sums per (segment, planned period) and lifecycle counts.
///
/// Why partials merge exactly: every sum is an integer (money in 1/10 000 units, held in 128
/// bits so totals never overflow, SPEC §9), and every "distinct users" figure is decided per
/// user, inside the partial that walks that user — a user is in exactly one user range, so
/// distinct counts of disjoint ranges add. Segments are keyed by value (`TrendSegment`), not by
/// a local number, so partials built on different cores or machines from an equal `TrendsPlan`
/// merge in any order into the same totals; `TrendsAnalysis` checks that merging the partials of
/// several ranges equals walking one range.
public struct TrendsPartial: Sendable {
    /// The integer sums of one segment in one planned period.
    struct Cell: Sendable, Equatable {
        var signups = 0
        /// Users whose signup date is after the previous slot's last date and on or before this
        /// slot's: the running sum over slots is `total_users` (SPEC §4.4, users before `since` too).
        var newInBase = 0
        var activeUsers = 0
        /// Σ over the dates of D(p) of the users active on that date (stickiness numerator).
        var activeUserDays = 0
        var payingUsers = 0
        var newPayingUsers = 0
        var orders = 0
        var revenue: Int128 = 0
        var spend: Int128 = 0

        mutating func add(_ o: Cell) {
            signups += o.signups
            newInBase += o.newInBase
            activeUsers += o.activeUsers
            activeUserDays += o.activeUserDays
            payingUsers += o.payingUsers
            newPayingUsers += o.newPayingUsers
            orders += o.orders
            revenue += o.revenue
            spend += o.spend
        }
    }

    /// SPEC §4.5 counts of one lifecycle period.
    struct Lifecycle: Sendable, Equatable {
        var new = 0, returning = 0, resurrecting = 0, dormant = 0

        mutating func add(_ o: Lifecycle) {
            new += o.new
            returning += o.returning
            resurrecting += o.resurrecting
            dormant += o.dormant
        }
    }

    public let plan: TrendsPlan
    /// Segment of each local id; `all` is id 0.
    private(set) var segments: [TrendSegment] = [.all]
    private var ids: [TrendSegment: Int] = [.all: 0]
    /// Segment-major: the cell of segment s and slot k is `cells[s × slots + k]`.
    var cells: [Cell]
    /// Index o is lifecycle period `plan.lifecycle.lowerBound + o` (only rows, o ≥ 1, are reported).
    var lifecycle: [Lifecycle]

    /// An empty partial: merging it changes nothing.
    public init(plan: TrendsPlan) {
        self.plan = plan
        cells = [Cell](repeating: Cell(), count: plan.slots.count)
        lifecycle = [Lifecycle](repeating: Lifecycle(), count: plan.lifecycle.count)
    }

    /// Adds `other` (built from an equal plan) into this partial.
    public mutating func merge(_ other: TrendsPartial) {
        precondition(other.plan == plan, "TrendsPartial.merge: partials of different plans")
        let n = plan.slots.count
        for (theirs, segment) in other.segments.enumerated() {
            let mine = id(of: segment)
            for k in 0..<n { cells[mine * n + k].add(other.cells[theirs * n + k]) }
        }
        for o in lifecycle.indices { lifecycle[o].add(other.lifecycle[o]) }
    }

    /// The local id of a segment, added (with empty cells) when new.
    mutating func id(of segment: TrendSegment) -> Int {
        if let id = ids[segment] { return id }
        let id = segments.count
        segments.append(segment)
        ids[segment] = id
        cells.append(contentsOf: repeatElement(Cell(), count: plan.slots.count))
        return id
    }

    /// The sums of a segment in a slot (empty when the segment has none).
    func cell(_ segment: TrendSegment, slot: Int) -> Cell {
        ids[segment].map { cells[$0 * plan.slots.count + slot] } ?? Cell()
    }

    /// Lifecycle counts of period ordinal `index` (a row).
    func lifecycle(ofIndex index: Int) -> Lifecycle { lifecycle[index - plan.lifecycle.lowerBound] }
}

// MARK: - Building partials

extension TrendsPartial {
    /// The spend side (SPEC §4.4 `spend`): rows dated in [`since`, `as_of`] add to `all` and, with
    /// `by_channel`, to their channel — which makes a channel with spend and no users a segment.
    public static func spend(_ rows: some Sequence<SpendRow>, plan: TrendsPlan) -> TrendsPartial {
        var partial = TrendsPartial(plan: plan)
        let n = plan.slots.count
        for row in rows where row.date >= plan.since && row.date <= plan.asOf {
            let channel = plan.byChannel ? partial.id(of: .channel(row.channel)) : nil
            // A date in range lies in D(p) of its own period, so the period's slot is enough.
            guard let k = plan.slot(ofIndex: plan.calendar.index(of: row.date)) else { continue }
            partial.cells[k].spend += Int128(row.spend)
            if let channel { partial.cells[channel * n + k].spend += Int128(row.spend) }
        }
        return partial
    }

    /// The user side: every KPI but `spend`, and the lifecycle, for the users in `range`.
    public static func users(_ data: IntegratedData, range: Range<Int>, plan: TrendsPlan) -> TrendsPartial {
        var walker = UserWalker(data: data, plan: plan)
        for u in range { walker.walk(u) }
        return walker.partial
    }

    /// Walks users one at a time (the event stream and the sales are stored user by user).
    private struct UserWalker {
        let data: IntegratedData
        let plan: TrendsPlan
        let calendar: PeriodCalendar
        let slotCount: Int
        var partial: TrendsPartial
        /// `isActivity[name id]`: the name is in `trends.activity`.
        let isActivity: [Bool]
        /// Slot of period ordinal `tableBase + i`, or -1: a direct lookup per event. Its length is
        /// the span of the planned periods (the rows and, at most, a year before them), not of the data.
        let slotOf: [Int32]
        let tableBase: Int
        let lifeBase: Int
        let lifeCount: Int
        // Scratch, reused for every user (no allocation per user).
        var dates: [LocalDate] = []
        var lifeActive: [Int] = []
        /// Recently seen segments and their ids: a few channels and countries repeat across millions
        /// of users, and comparing short names beats hashing them for every user.
        var recentChannels: [(String, Int)] = []
        var recentCountries: [(String?, Int)] = []

        init(data: IntegratedData, plan: TrendsPlan) {
            self.data = data
            self.plan = plan
            calendar = plan.calendar
            slotCount = plan.slots.count
            partial = TrendsPartial(plan: plan)
            var activity = [Bool](repeating: false, count: data.stream.names.count)
            for name in plan.activity {
                if let id = data.stream.id(of: name) { activity[Int(id)] = true }
            }
            isActivity = activity
            tableBase = plan.slots.first?.index ?? 0
            var table = [Int32](repeating: -1, count: (plan.slots.last?.index ?? tableBase) - tableBase + 1)
            for (k, slot) in plan.slots.enumerated() { table[slot.index - tableBase] = Int32(k) }
            slotOf = table
            lifeBase = plan.lifecycle.lowerBound
            lifeCount = plan.lifecycle.count
        }

        /// The slot whose D(p) holds `date`, or nil (its period is not planned, or the date is
        /// outside [since, as_of] — e.g. in the first row's days before `since`).
        @inline(__always) func slot(_ date: LocalDate, index: Int) -> Int? {
            let i = index - tableBase
            guard i >= 0, i < slotOf.count else { return nil }
            let k = Int(slotOf[i])
            guard k >= 0 else { return nil }
            let s = plan.slots[k]
            return date >= s.first && date <= s.last ? k : nil
        }

        mutating func walk(_ u: Int) {
            let user = data.users[u]
            // The user's segments: all (base 0), its channel, its country.
            var bases: (Int, Int, Int) = (0, -1, -1)
            if plan.byChannel {
                var id = -1
                for (name, known) in recentChannels where name == user.channel { id = known; break }
                if id < 0 {
                    id = partial.id(of: .channel(user.channel))
                    if recentChannels.count < 16 { recentChannels.append((user.channel, id)) }
                }
                bases.1 = id * slotCount
            }
            if plan.byCountry {
                var id = -1
                for (name, known) in recentCountries where name == user.country { id = known; break }
                if id < 0 {
                    id = partial.id(of: .country(of: user.country))
                    if recentCountries.count < 16 { recentCountries.append((user.country, id)) }
                }
                bases.2 = id * slotCount
            }
            @inline(__always) func add(_ k: Int, _ change: (inout Cell) -> Void) {
                change(&partial.cells[bases.0 + k])
                if bases.1 >= 0 { change(&partial.cells[bases.1 + k]) }
                if bases.2 >= 0 { change(&partial.cells[bases.2 + k]) }
            }

            // signups, and the user base: counted in the first slot whose last date is on or after the signup.
            let signup = user.signupDate
            let signupIndex = calendar.index(of: signup)
            if let k = slot(signup, index: signupIndex) { add(k) { $0.signups += 1 } }
            var lo = 0, hi = slotCount
            while lo < hi {
                let mid = (lo + hi) / 2
                if plan.slots[mid].last < signup { lo = mid + 1 } else { hi = mid }
            }
            if lo < slotCount { add(lo) { $0.newInBase += 1 } }

            // Purchases (orders, paying users, the first purchase) and the activity dates.
            let zone = data.zone
            dates.removeAll(keepingCapacity: true)
            var seenPurchase = false
            var payingSlot = -1
            var lastPurchaseDate = LocalDate(days: .min)
            var purchasesInDateOrder = true
            for e in data.stream.events(of: u) {
                let isPurchase = e.name == EventStream.purchase
                let isActive = isActivity[Int(e.name)]
                guard isPurchase || isActive else { continue }
                let date = zone.localDate(of: e.at)
                if isPurchase {
                    if date < lastPurchaseDate { purchasesInDateOrder = false }
                    lastPurchaseDate = date
                    let k = slot(date, index: calendar.index(of: date))
                    // SPEC §4.4: the first purchase over all kept rows (events are in time order).
                    if !seenPurchase {
                        seenPurchase = true
                        if let k { add(k) { $0.newPayingUsers += 1 } }
                    }
                    if let k {
                        add(k) { $0.orders += 1 }
                        // Purchases come in time order, so their slots do not decrease (but see below).
                        if k != payingSlot { payingSlot = k; add(k) { $0.payingUsers += 1 } }
                    }
                }
                if isActive { dates.append(date) }
            }
            // Local dates follow time except around a daylight-saving fall-back at midnight; the
            // paying count above relies on that too, so such a user is recounted exactly below.
            if !isSorted(dates) { dates.sort() }
            if !purchasesInDateOrder {
                let (counted, distinct) = payingSlots(u)
                for k in counted { add(k) { $0.payingUsers -= 1 } }
                for k in distinct { add(k) { $0.payingUsers += 1 } }
            }

            // Active users, active user-days and the lifecycle's active periods.
            lifeActive.removeAll(keepingCapacity: true)
            var previous: LocalDate?
            var activeSlot = -1
            for date in dates where date != previous {
                previous = date
                let index = calendar.index(of: date)
                if let k = slot(date, index: index) {
                    add(k) { $0.activeUserDays += 1 }
                    if k != activeSlot { activeSlot = k; add(k) { $0.activeUsers += 1 } }
                }
                let o = index - lifeBase
                if o >= 0, o < lifeCount, lifeActive.last != o { lifeActive.append(o) }
            }
            lifecycle(signupIndex: signupIndex)

            // Revenue: every kept, non-excluded sale, refund lines included (SPEC §3.5).
            for sale in data.salesByUser.of(u) {
                if let k = slot(sale.orderedDate, index: calendar.index(of: sale.orderedDate)) {
                    add(k) { $0.revenue += Int128(sale.amount) }
                }
            }
        }

        /// SPEC §4.5 for one user, segment `all`: `lifeActive` holds the offsets of the periods
        /// in which it is active, ascending.
        mutating func lifecycle(signupIndex: Int) {
            for (n, o) in lifeActive.enumerated() {
                if o >= 1 {     // a row (offset 0 is the period before the first row)
                    let p = lifeBase + o
                    if signupIndex == p {
                        partial.lifecycle[o].new += 1
                    } else if signupIndex < p {
                        if n > 0 && lifeActive[n - 1] == o - 1 {
                            partial.lifecycle[o].returning += 1
                        } else {
                            partial.lifecycle[o].resurrecting += 1
                        }
                    }
                    // Active before signing up: none of the three (SPEC §4.5 names the signup).
                }
                let next = o + 1
                if next < lifeCount && !(n + 1 < lifeActive.count && lifeActive[n + 1] == next) {
                    partial.lifecycle[next].dormant += 1
                }
            }
        }

        private func isSorted(_ d: [LocalDate]) -> Bool {
            var i = 1
            while i < d.count { if d[i] < d[i - 1] { return false }; i += 1 }
            return true
        }

        /// The rare user whose purchase dates go backwards: the slots counted by the walk (to undo)
        /// and the distinct slots (to count instead).
        private func payingSlots(_ u: Int) -> (counted: [Int], distinct: Set<Int>) {
            var counted: [Int] = []
            var slots = Set<Int>()
            var last = -1
            for e in data.stream.events(of: u) where e.name == EventStream.purchase {
                let d = data.zone.localDate(of: e.at)
                guard let k = slot(d, index: calendar.index(of: d)) else { continue }
                if k != last { counted.append(k); last = k }
                slots.insert(k)
            }
            return (counted, slots)
        }
    }
}
