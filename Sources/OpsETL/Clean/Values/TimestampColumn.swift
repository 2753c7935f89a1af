/// Clean/Values: one timestamp column of one chunk, read value after value (`ValueReader.timestamp`
/// with memory of the value before).
///
/// Issue 15: an export writes a column in one or a few shapes, and neighbouring rows share their
/// date (a user's events are minutes apart; orders follow each other). So the column remembers the
/// first 10 bytes of the last value that began with a date, and that date: a value starting with
/// the same 10 bytes skips the date's digits, its calendar check and the day count, and only its
/// time and offset are read. Naive local times and local dates go through a `ZoneMemo`. Any other
/// value — another date, an epoch, a miss — takes the general parser, so every answer is exactly
/// `ValueReader.timestamp`'s and `ZoneRules.localDate(of:)`'s (tests compare them on random values).
/// With `timestamp_formats` set the patterns come first, as always, and nothing is remembered.
struct TimestampColumn {
    private let formats: TimestampFormats
    private let general: Bool
    private(set) var zone: ZoneMemo
    /// The first 10 bytes of the last value that began with a valid date, and that date.
    private var prefix: (UInt64, UInt16) = (0, 0)
    private var prefixDate: LocalDate?

    init(values: ValueReader, zone: ZoneRules) {
        formats = values.timestamps
        general = !formats.patterns.isEmpty
        self.zone = ZoneMemo(zone)
    }

    /// `ValueReader.timestamp(b, zone:)`: the instant of a trimmed value, nil for a bad timestamp.
    @inline(__always)
    mutating func parse(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        if general || b.count < 10 { return formats.parse(b, zone: zone.zone) }
        let raw = UnsafeRawPointer(b.baseAddress!)
        let head = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        let date: LocalDate
        if let known = prefixDate, head == prefix {
            date = known
        } else {
            let n = b.count
            if n == 10 || n == 13 { return TimestampParser.parse(b, zone: zone.zone) }   // maybe an epoch
            guard let parsed = TimestampParser.date(b) else { return nil }
            prefix = head
            prefixDate = parsed
            date = parsed
        }
        guard let reading = TimestampParser.afterDate(b, date: date) else { return nil }
        let instant = reading.offset.map { Instant(seconds: reading.local - $0, nanos: reading.nanos) }
            ?? zone.instant(fromLocalSeconds: reading.local, nanos: reading.nanos)
        guard TimestampParser.inRange(instant, zone: zone.zone) else { return nil }
        return instant
    }

    /// `zone.localDate(of:)`, remembering the offset's stretch.
    @inline(__always)
    mutating func localDate(of instant: Instant) -> LocalDate { zone.localDate(of: instant) }
}
