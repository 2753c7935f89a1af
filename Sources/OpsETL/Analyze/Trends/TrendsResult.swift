import Foundation

/// Analyze: the result of the trends (SPEC §4.4, §4.5) — the rows of `trends.csv`, the
/// comparisons of `kpi_changes.csv`, the lifecycle of `user_lifecycle.csv`, and the headline
/// metrics `trend.<kpi>`, `growth.<kpi>`, `yoy.<kpi>`.
///
/// This is the API the report's charts and scorecard read: `segments` in row order, `periods`
/// (the rows' periods, oldest first), `row(segment:period:)` for a cell, `value(_:segment:periodIndex:)`
/// for any computed period (the year-ago line: `yearAgoValue(_:segment:period:)`), `changes`,
/// `lifecycle`. Every value is exact (`Fraction`); money is in currency units; a KPI whose
/// divisor is 0 or null is nil (never infinity or 0).
public struct TrendsResult: Sendable, Equatable {
    /// A period of `trends.csv`, labelled by its first date (SPEC §4).
    public struct Period: Sendable, Equatable {
        /// The period's ordinal in `calendar` (consecutive periods have consecutive ordinals).
        public let index: Int
        /// The label: the period's first date, possibly before `since`.
        public let start: LocalDate
        /// The period's last date, possibly after `as_of`.
        public let end: LocalDate
        /// D(p): the dates of the period within [`since`, `as_of`].
        public let firstDate: LocalDate
        public let lastDate: LocalDate
        /// Not entirely within [`since`, `as_of`] (SPEC §4.4).
        public let partial: Bool
    }

    /// The integer sums of one segment in one period; the KPIs are derived from them.
    public struct Sums: Sendable, Equatable {
        public let signups: Int
        public let totalUsers: Int
        public let activeUsers: Int
        public let payingUsers: Int
        public let newPayingUsers: Int
        public let orders: Int
        /// In 1/10 000 currency units; refund lines included.
        public let revenue: Int128
        /// In 1/10 000 currency units; nil for a country segment (SPEC §4.4).
        public let spend: Int128?
        /// Σ over the dates of D(p) of the users active on that date.
        public let activeUserDays: Int
        /// Number of dates in D(p).
        public let dayCount: Int

        /// The KPI's exact value; nil when it divides by 0 or by null (SPEC §4.4).
        public func value(_ kpi: TrendKPI) -> Fraction? {
            switch kpi {
            case .signups: Fraction(signups)
            case .totalUsers: Fraction(totalUsers)
            case .activeUsers: Fraction(activeUsers)
            case .payingUsers: Fraction(payingUsers)
            case .newPayingUsers: Fraction(newPayingUsers)
            case .orders: Fraction(orders)
            case .revenue: Fraction(units: revenue)
            case .spend: spend.map { Fraction(units: $0) }
            case .aov: Fraction(revenue, over: Int128(orders) * 10_000)
            case .arppu: Fraction(revenue, over: Int128(payingUsers) * 10_000)
            case .roas: spend.flatMap { Fraction(revenue, over: $0) }
            // (Σ_d active on d) / |D(p)| / active_users: the average daily share of the period's active users.
            case .stickiness: Fraction(activeUserDays, over: dayCount * activeUsers)
            }
        }
    }

    /// One line of `trends.csv`.
    public struct Row: Sendable, Equatable {
        public let segment: TrendSegment
        public let period: Period
        public let sums: Sums
        public func value(_ kpi: TrendKPI) -> Fraction? { sums.value(kpi) }
    }

    /// One line of `kpi_changes.csv`: a KPI of the latest complete row against the period before
    /// and the period a year before (SPEC §4.4). Periods are labels, always present; values are nil
    /// where the SPEC writes null.
    public struct Change: Sendable, Equatable {
        public let segment: TrendSegment
        public let kpi: TrendKPI
        public let period: LocalDate
        public let value: Fraction?
        public let previousPeriod: LocalDate
        public let previousValue: Fraction?
        /// `value − previous_value`.
        public let change: Fraction?
        /// `change / previous_value`.
        public let changeRate: Fraction?
        public let yearAgoPeriod: LocalDate
        public let yearAgoValue: Fraction?
        /// `(value − year_ago_value) / year_ago_value`.
        public let yearAgoChangeRate: Fraction?
    }

    /// One line of `user_lifecycle.csv` (SPEC §4.5, segment `all`).
    public struct LifecycleRow: Sendable, Equatable {
        public let period: Period
        public let new: Int
        public let returning: Int
        public let resurrecting: Int
        /// A positive count; charts draw it below zero.
        public let dormant: Int
    }

    /// `trends.period` with `retention.week_start`.
    public let calendar: PeriodCalendar
    /// The range analysed (SPEC §4: [`since`, `as_of`]).
    public let since: LocalDate
    public let asOf: LocalDate
    /// `all`, then channels, then countries (SPEC §7).
    public let segments: [TrendSegment]
    /// The rows' periods, oldest first.
    public let periods: [Period]
    /// Segment by segment (in `segments` order), each over `periods`.
    public let rows: [Row]
    /// The latest complete row's period; nil when no row is complete.
    public let latestComplete: Period?
    /// Segments in order, then the KPIs in column order; empty without a complete row.
    public let changes: [Change]
    /// One per row period.
    public let lifecycle: [LifecycleRow]
    /// The sums of every computed period (rows, compared and goal periods), by segment then ordinal.
    private let computed: [TrendSegment: [Int: Sums]]
    /// Ordinals of the computed periods that are complete.
    private let completeIndices: Set<Int>

    /// The rows of one segment, oldest first (empty for a segment that does not exist).
    public func rows(of segment: TrendSegment) -> ArraySlice<Row> {
        guard let i = segments.firstIndex(of: segment) else { return [] }
        return rows[(i * periods.count)..<((i + 1) * periods.count)]
    }

    /// The KPI of a segment in the period with ordinal `periodIndex`, when that period was computed
    /// (a row, or a complete compared or goal period); nil otherwise or when the KPI is null.
    public func value(_ kpi: TrendKPI, segment: TrendSegment = .all, periodIndex: Int) -> Fraction? {
        computed[segment]?[periodIndex]?.value(kpi)
    }

    /// Whether the period with ordinal `periodIndex` was computed and is complete (SPEC §4.4).
    public func isComplete(periodIndex: Int) -> Bool { completeIndices.contains(periodIndex) }

    /// The KPI of a complete computed period; nil for a partial or uncomputed period or a null KPI.
    public func completeValue(_ kpi: TrendKPI, segment: TrendSegment = .all, periodIndex: Int) -> Fraction? {
        isComplete(periodIndex: periodIndex) ? value(kpi, segment: segment, periodIndex: periodIndex) : nil
    }

    /// The KPI a year before a row's period (SPEC §4.4: 364 days / 52 weeks / 12 months), nil when that
    /// period is not complete — the previous year's line of a chart.
    public func yearAgoValue(_ kpi: TrendKPI, segment: TrendSegment = .all, period: Period) -> Fraction? {
        value(kpi, segment: segment, periodIndex: TrendsPlan.yearAgo(of: period.index, unit: calendar.unit))
    }

    /// The change of one KPI of one segment (nil without a complete row).
    public func change(_ kpi: TrendKPI, segment: TrendSegment = .all) -> Change? {
        changes.first { $0.segment == segment && $0.kpi == kpi }
    }

    /// SPEC §4.4 headline metrics, segment `all`, every KPI in column order: `trend.<kpi>` (formatted
    /// like the KPI), then `growth.<kpi>` and `yoy.<kpi>` (rates); all null without a complete row.
    public func headlineMetrics() -> [HeadlineMetric] {
        func kind(_ kpi: TrendKPI, _ v: Fraction?) -> MetricValue {
            let d = v?.decimal
            switch kpi.kind {
            case .count: return .count(d)
            case .money: return .money(d)
            case .rate: return .rate(d)
            }
        }
        var out: [HeadlineMetric] = []
        for kpi in TrendKPI.allCases {
            out.append(HeadlineMetric(name: MetricName.trend(kpi).description, value: kind(kpi, change(kpi)?.value)))
        }
        for kpi in TrendKPI.allCases {
            out.append(HeadlineMetric(name: MetricName.growth(kpi).description, value: .rate(change(kpi)?.changeRate?.decimal)))
        }
        for kpi in TrendKPI.allCases {
            out.append(HeadlineMetric(name: MetricName.yoy(kpi).description, value: .rate(change(kpi)?.yearAgoChangeRate?.decimal)))
        }
        return out
    }
}

extension TrendsResult {
    /// Finishes a merged partial: running user bases, segments in order, rows, changes, lifecycle.
    init(_ partial: TrendsPartial) {
        let plan = partial.plan
        calendar = plan.calendar
        since = plan.since
        asOf = plan.asOf
        segments = partial.segments.sorted()
        var computed: [TrendSegment: [Int: Sums]] = [:]
        for segment in segments {
            var base = 0
            var bySlot: [Int: Sums] = [:]
            for (k, slot) in plan.slots.enumerated() {
                let c = partial.cell(segment, slot: k)
                base += c.newInBase
                let spend: Int128?
                // SPEC §4.4: null for a country segment; SPEC §3.1: null without spend data.
                if case .country = segment { spend = nil } else { spend = plan.hasSpendData ? c.spend : nil }
                bySlot[slot.index] = Sums(signups: c.signups, totalUsers: base, activeUsers: c.activeUsers,
                                          payingUsers: c.payingUsers, newPayingUsers: c.newPayingUsers, orders: c.orders,
                                          revenue: c.revenue, spend: spend, activeUserDays: c.activeUserDays,
                                          dayCount: slot.dayCount)
            }
            computed[segment] = bySlot
        }
        self.computed = computed
        completeIndices = Set(plan.slots.filter(\.complete).map(\.index))

        let periods = plan.rows.map { i -> Period in
            let k = plan.slot(ofIndex: i)!   // every row is planned
            let s = plan.slots[k]
            return Period(index: i, start: plan.calendar.start(ofIndex: i), end: plan.calendar.end(ofIndex: i),
                          firstDate: s.first, lastDate: s.last, partial: !s.complete)
        }
        self.periods = periods
        rows = segments.flatMap { segment in
            periods.map { Row(segment: segment, period: $0, sums: computed[segment]![$0.index]!) }
        }
        let latest = plan.latestComplete.flatMap { i in periods.first { $0.index == i } }
        latestComplete = latest

        var changes: [Change] = []
        if let latest {
            let previous = latest.index - 1
            let yearAgo = TrendsPlan.yearAgo(of: latest.index, unit: plan.calendar.unit)
            // A compared period is null unless complete; only complete ones are planned besides the rows.
            func completeSums(_ segment: TrendSegment, _ i: Int) -> Sums? {
                guard let k = plan.slot(ofIndex: i), plan.slots[k].complete else { return nil }
                return computed[segment]?[i]
            }
            for segment in segments {
                let now = computed[segment]![latest.index]!
                let before = completeSums(segment, previous)
                let ago = completeSums(segment, yearAgo)
                for kpi in TrendKPI.allCases {
                    let v = now.value(kpi)
                    let p = before?.value(kpi)
                    let y = ago?.value(kpi)
                    let change: Fraction? = if let v, let p { v - p } else { nil }
                    let yearChange: Fraction? = if let v, let y { v - y } else { nil }
                    changes.append(Change(
                        segment: segment, kpi: kpi, period: latest.start, value: v,
                        previousPeriod: plan.calendar.start(ofIndex: previous), previousValue: p, change: change,
                        changeRate: p.flatMap { change?.divided(by: $0) },
                        yearAgoPeriod: plan.calendar.start(ofIndex: yearAgo), yearAgoValue: y,
                        yearAgoChangeRate: y.flatMap { yearChange?.divided(by: $0) }))
                }
            }
        }
        self.changes = changes
        lifecycle = periods.map { p in
            let l = partial.lifecycle(ofIndex: p.index)
            return LifecycleRow(period: p, new: l.new, returning: l.returning, resurrecting: l.resurrecting, dormant: l.dormant)
        }
    }
}
