/// Analyze, trends (SPEC §4.4, §4.5, §6): which periods are computed — settings, `since`,
/// `as_of` and the time-bound targets → the sorted list of periods ("slots") whose KPIs are
/// summed, and the contiguous periods the lifecycle looks at.
///
/// Work and memory grow with these periods only, never with the date span: the rows of
/// `trends.csv`; the periods `kpi_changes.csv` compares with (the one before the latest
/// complete row and each row's year-ago period, when complete — SPEC §4.4: an incomplete
/// compared period is null, so it is not computed at all); and for the SMART targets the
/// baseline period and the complete periods of the projection (SPEC §6). A plan is a plain
/// value: every partial of one run, on any machine, is built from an equal plan, which is what
/// makes partials mergeable.
public struct TrendsPlan: Sendable, Equatable {
    /// One period whose KPIs are summed.
    public struct Slot: Sendable, Equatable {
        /// The period's ordinal (`PeriodCalendar.index`).
        public let index: Int
        /// D(p) of SPEC §4.4: the period's dates within [`since`, `as_of`].
        public let first: LocalDate
        public let last: LocalDate
        /// The period lies entirely within [`since`, `as_of`].
        public let complete: Bool

        /// Number of dates in D(p) (the stickiness divisor).
        public var dayCount: Int { first.distance(to: last) + 1 }
    }

    public let calendar: PeriodCalendar
    public let since: LocalDate
    public let asOf: LocalDate
    public let byChannel: Bool
    public let byCountry: Bool
    /// Event names that count as activity (`trends.activity`).
    public let activity: [String]
    /// Sorted by period, each period once.
    public let slots: [Slot]
    /// Ordinals of the rows of `trends.csv` (consecutive, ending with the period containing `as_of`).
    public let rows: ClosedRange<Int>
    /// The latest complete row, nil when no row is complete (SPEC §4.4: then `kpi_changes.csv` is empty).
    public let latestComplete: Int?
    /// Whether the run has a `channels` input: without one, `spend` and `roas` are null, not 0
    /// (SPEC §3.1: without spend data spend is null, like every column computed from it).
    public let hasSpendData: Bool
    /// The lifecycle's periods: the one before the first row, then every row (SPEC §4.5 needs *A(p − 1)*).
    public var lifecycle: ClosedRange<Int> { (rows.lowerBound - 1)...rows.upperBound }

    /// - Parameter goalStarts: for each time-bound target on a `trend.*` metric, its `start`
    ///   (nil: the projection starts at the first complete row, which is a row already).
    public init(trends: Trends, weekStart: Weekday, since: LocalDate, asOf: LocalDate, goalStarts: [LocalDate?] = [],
                hasSpendData: Bool = true) {
        self.hasSpendData = hasSpendData
        let calendar = PeriodCalendar(unit: trends.period, weekStart: weekStart)
        self.calendar = calendar
        self.since = since
        self.asOf = asOf
        byChannel = trends.byChannel
        byCountry = trends.byCountry
        activity = trends.activity
        let last = calendar.index(of: asOf)
        // SPEC §4.4: `periods` periods ending with the one containing as_of, leaving out any that
        // ends before since (the period containing since is the first that does not).
        let first = max(last - max(1, trends.periods) + 1, calendar.index(of: min(since, asOf)))
        rows = first...last
        func isComplete(_ i: Int) -> Bool { calendar.start(ofIndex: i) >= since && calendar.end(ofIndex: i) <= asOf }
        let latest = rows.reversed().first(where: isComplete)
        latestComplete = latest

        var wanted = Set(rows)
        var compared: [Int] = rows.map { TrendsPlan.yearAgo(of: $0, unit: trends.period) }
        if let latest { compared.append(latest - 1) }
        // SMART targets (SPEC §6): the baseline period and the projection's complete periods.
        for start in goalStarts {
            guard let start, let latest else { continue }
            let s = calendar.index(of: start)
            compared.append(s - 1)
            if s <= latest { compared.append(contentsOf: max(s, calendar.index(of: since))...latest) }
        }
        for i in compared where isComplete(i) { wanted.insert(i) }
        slots = wanted.sorted().map { i in
            Slot(index: i, first: max(calendar.start(ofIndex: i), since), last: min(calendar.end(ofIndex: i), asOf),
                 complete: isComplete(i))
        }
    }

    /// SPEC §4.4: a `day` 364 days earlier (the same weekday), a `week` 52 weeks earlier, a `month` 12 months earlier.
    public static func yearAgo(of index: Int, unit: PeriodUnit) -> Int {
        switch unit {
        case .day: index - 364
        case .week: index - 52
        case .month: index - 12
        }
    }

    /// The slot of a period ordinal, nil when the period is not computed.
    public func slot(ofIndex index: Int) -> Int? {
        var lo = 0, hi = slots.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if slots[mid].index < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < slots.count && slots[lo].index == index ? lo : nil
    }
}
