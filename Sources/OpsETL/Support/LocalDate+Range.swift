/// Support: the dates opsetl reads at all — 1900-01-01 to 2199-12-31 (SPEC §9 "Parsing").
///
/// Timestamps outside are rejects (`TimestampParser`), and `since`, `as_of` and `--as-of` outside
/// are exit 2: work and memory then grow with the rows, never with a sentinel's date span.
extension LocalDate {
    public static let firstReadable = LocalDate(year: 1900, month: 1, day: 1)!
    public static let lastReadable = LocalDate(year: 2199, month: 12, day: 31)!

    /// `1899-12-31 is before 1900-01-01, the first date opsetl reads; …`; nil inside the range.
    public static func rangeProblem(_ date: LocalDate) -> String? {
        if date < firstReadable {
            return "\(date) is before 1900-01-01, the first date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"
        }
        if date > lastReadable {
            return "\(date) is after 2199-12-31, the last date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"
        }
        return nil
    }
}
