/// Analyze: the retention periods of SPEC §4 — `day` is a local date, `week` starts on
/// `week_start`, `month` is a calendar month — as plain integer arithmetic on `LocalDate`.
///
/// Every period has an ordinal *index* so that "period c + k" is `c + k`: for `day` the
/// day number itself, for `week` the number of whole weeks since an anchor date that falls
/// on `week_start`, for `month` `year × 12 + month − 1`. No Foundation calendar is involved,
/// so mapping a date costs a few integer divisions (a retention walk does it per event).
/// A period is labelled by its first date (`YYYY-MM-DD`), even when that date is before `since`.
public struct PeriodCalendar: Sendable, Equatable {
    public let unit: PeriodUnit
    public let weekStart: Weekday

    /// Day number (days since 1970-01-01) of a date falling on `weekStart`: 1970-01-01 was a
    /// Thursday (ISO 4), so ISO weekday w first falls on day w − 4 (Monday: 1969-12-29).
    private let weekAnchor: Int

    public init(unit: PeriodUnit, weekStart: Weekday = .monday) {
        self.unit = unit
        self.weekStart = weekStart
        self.weekAnchor = weekStart.isoNumber - 4
    }

    /// The calendar of a pipeline's `retention` section.
    public init(_ settings: Retention) {
        self.init(unit: settings.period, weekStart: settings.weekStart)
    }

    /// Ordinal of the period containing `date`; consecutive periods have consecutive indices.
    @inline(__always)
    public func index(of date: LocalDate) -> Int {
        switch unit {
        case .day:
            return Int(date.days)
        case .week:
            return PeriodCalendar.floorDiv(Int(date.days) - weekAnchor, 7)
        case .month:
            let (y, m, _) = date.components
            return y * 12 + (m - 1)
        }
    }

    /// First date of the period with ordinal `index`.
    ///
    /// Month starts go through `daysFromCivil` rather than the failable `LocalDate(year:month:day:)`
    /// so that the period after December 9999 (asked for only to compute an end date) still exists.
    public func start(ofIndex index: Int) -> LocalDate {
        switch unit {
        case .day:
            return LocalDate(days: Int32(index))
        case .week:
            return LocalDate(days: Int32(weekAnchor + 7 * index))
        case .month:
            let year = PeriodCalendar.floorDiv(index, 12)
            let month = index - year * 12 + 1
            return LocalDate(days: Int32(LocalDate.daysFromCivil(year: year, month: month, day: 1)))
        }
    }

    /// Last date of the period with ordinal `index` (inclusive).
    public func end(ofIndex index: Int) -> LocalDate {
        start(ofIndex: index + 1).advanced(by: -1)
    }

    /// First date of the period containing `date`.
    public func start(of date: LocalDate) -> LocalDate {
        start(ofIndex: index(of: date))
    }

    /// Last date of the period containing `date`.
    public func end(of date: LocalDate) -> LocalDate {
        end(ofIndex: index(of: date))
    }

    /// SPEC §4: a period is labelled by its first date, `YYYY-MM-DD`.
    public func label(ofIndex index: Int) -> String {
        start(ofIndex: index).description
    }

    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
