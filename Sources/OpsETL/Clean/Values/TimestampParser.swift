/// Clean/Values: timestamp fields (`signup_at`, `ordered_at`, `updated_at`, `occurred_at`,
/// `date`; trimmed UTF-8 bytes) → an `Instant`.
///
/// SPEC §3.3 "Timestamps" and §9 "Parsing". The accepted grammar, nothing else:
///
///     epoch   = 10 digits (seconds) | 13 digits (milliseconds)
///     date    = YYYY sep MM sep DD            sep = `-` or `/`, the same both times
///     time    = HH:MM [ :SS [ .f{1,9} ] ]     HH 00–23, MM 00–59, SS 00–59
///     offset  = `Z` | (`+`|`-`) HH [`:`] MM   HH 00–23, MM 00–59
///     value   = epoch | date [ (`T` | one space) time ] [ offset ]
///
/// Case matters (`t`, `z` are rejects) and the offset follows directly (a space before it
/// is a reject). A date alone may carry an offset: midnight at that offset. Without an
/// offset the wall time is local in the pipeline's zone, DST resolved by `ZoneRules`
/// (SPEC §9). Digits are read straight from the bytes: this runs once per field.
///
/// SPEC §9 "Parsing": a value whose local date falls before 1900-01-01 or after 2199-12-31 is a
/// reject too (Go's zero time, Excel's day 0 are sentinels, not events); `inRange` checks that
/// with two integer comparisons for every value that is not within a day of either end.
public enum TimestampParser {
    /// The first and last local dates a timestamp may fall on (SPEC §9).
    public static let firstDate = LocalDate.firstReadable
    public static let lastDate = LocalDate.lastReadable
    /// Instants from 1900-01-02T00:00Z up to 2199-12-31T00:00Z fall inside the range in every
    /// zone (offsets are less than a day); only values outside need the zone's local date.
    /// Literals (1900-01-02 is day −25 566, 2199-12-31 day 84 005), so the hot path reads constants
    /// rather than lazily initialised globals; a test checks them against `LocalDate`.
    static let safeFirst: Int64 = -2_208_902_400
    static let safeEnd: Int64 = 7_258_032_000

    /// Input is already trimmed. Returns nil for anything SPEC §3.3/§9 calls a bad timestamp.
    @inline(__always)
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneRules) -> Instant? {
        guard let instant = parseAnyDate(b, zone: zone), inRange(instant, zone: zone) else { return nil }
        return instant
    }

    /// True when the instant's local date in `zone` is within 1900-01-01 … 2199-12-31 (SPEC §9).
    @inline(__always)
    public static func inRange(_ instant: Instant, zone: ZoneRules) -> Bool {
        if instant.seconds >= safeFirst && instant.seconds < safeEnd { return true }
        let date = zone.localDate(of: instant)
        return date >= firstDate && date <= lastDate
    }

    /// The built-in forms of SPEC §3.3 for any 4-digit year: `parse` without the date range, which
    /// the reject diagnosis uses to say "before 1900" rather than "not a timestamp".
    static func parseAnyDate(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneRules) -> Instant? {
        let n = b.count
        guard n >= 10 else { return nil }

        // Epochs: exactly 10 or 13 digits; 11/12 digits, signs and fractions fall through and fail below.
        if n == 10 || n == 13, let v = digits(b, 0, n) {
            return n == 10
                ? Instant(seconds: v)
                : Instant(seconds: v / 1000, nanos: Int32(v % 1000) * 1_000_000)
        }
        guard let date = date(b) else { return nil }
        return afterDate(b, date: date)?.instant(zone: zone)
    }

    /// The date of `date` at the start of a value (its first 10 bytes, `n ≥ 10`), or nil.
    /// A value whose first 10 bytes give a date is never an epoch (byte 4 is `-` or `/`).
    @inline(__always)
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> LocalDate? {
        guard let year = digits(b, 0, 4) else { return nil }
        let sep = b[4]
        guard sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/"), b[7] == sep,
              let month = digits(b, 5, 2), let day = digits(b, 8, 2),
              let date = LocalDate(year: Int(year), month: Int(month), day: Int(day))   // 2025-02-30 → nil
        else { return nil }
        return date
    }

    /// A value read up to its zone: local wall seconds, and the offset when the value gave one.
    struct Reading {
        var local: Int64
        var nanos: Int32
        /// Seconds east of UTC written in the value; nil for a naive local time.
        var offset: Int64?

        @inline(__always) func instant(zone: ZoneRules) -> Instant {
            if let offset { return Instant(seconds: local - offset, nanos: nanos) }
            return zone.instant(fromLocalSeconds: local, nanos: nanos)
        }
    }

    /// Everything after the date (bytes 10…): `[ (T | space) time ] [ offset ]`, or nil.
    @inline(__always)
    static func afterDate(_ b: UnsafeBufferPointer<UInt8>, date: LocalDate) -> Reading? {
        let n = b.count
        var local = Int64(date.days) * 86_400
        var nanos: Int32 = 0
        var i = 10
        if i < n, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") {
            i += 1
            if n >= 19, let hms = hhmmss(b, at: 11) {
                // The usual shape, `HH:MM:SS`, read in one word (the same checks as below).
                guard let seconds = hms else { return nil }
                local += seconds
                i = 19
                if i < n, b[i] == UInt8(ascii: ".") {
                    guard let f = fraction(b, &i) else { return nil }
                    nanos = f
                }
            } else {
                guard i + 5 <= n, let hour = digits(b, i, 2), b[i + 2] == UInt8(ascii: ":"),
                      let minute = digits(b, i + 3, 2), hour <= 23, minute <= 59 else { return nil }
                i += 5
                var second: Int64 = 0
                if i < n, b[i] == UInt8(ascii: ":") {
                    guard i + 3 <= n, let s = digits(b, i + 1, 2), s <= 59 else { return nil }   // no leap second 60
                    second = s
                    i += 3
                    if i < n, b[i] == UInt8(ascii: ".") {
                        guard let f = fraction(b, &i) else { return nil }
                        nanos = f
                    }
                }
                local += hour * 3_600 + minute * 60 + second
            }
        }

        if i == n { return Reading(local: local, nanos: nanos, offset: nil) }

        guard let (offset, end) = offset(b, at: i), end == n else { return nil }
        return Reading(local: local, nanos: nanos, offset: offset)
    }

    /// A fraction of 1–9 digits after the `.` at `i` as nanoseconds; `i` ends after its digits.
    @inline(__always)
    static func fraction(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Int32? {
        let n = b.count
        i += 1
        let start = i
        var fraction: Int32 = 0
        while i < n, i - start < 10 {
            let d = b[i] &- 48
            guard d < 10 else { break }
            fraction = fraction &* 10 &+ Int32(d)
            i += 1
        }
        let count = i - start
        guard (1...9).contains(count) else { return nil }
        for _ in count..<9 { fraction *= 10 }
        return fraction
    }

    /// The 8 bytes at `at` (the caller checked they exist) read as `HH:MM:SS` in one word: nil when
    /// they do not have that shape (six digits, two colons), `.some(nil)` when they do but the hour,
    /// minute or second is out of range (a bad timestamp either way), else the seconds of the day.
    @inline(__always)
    static func hhmmss(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> Int64?? {
        let x = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + at).loadUnaligned(as: UInt64.self))
        // Bytes 0 1 3 4 6 7 digits, bytes 2 and 5 colons (byte k in bits 8k…8k+7).
        let high: UInt64 = 0xF0F0_00F0_F000_F0F0
        let zeros: UInt64 = 0x3030_0030_3000_3030
        guard x & 0x0000_FF00_00FF_0000 == 0x0000_3A00_003A_0000, x & high == zeros,
              (x &+ 0x0606_0006_0600_0606) & high == zeros else { return nil }
        let d = x &- zeros
        @inline(__always) func two(_ k: UInt64) -> Int64 { Int64((d >> (8 * k)) & 0xFF) * 10 + Int64((d >> (8 * k + 8)) & 0xFF) }
        let hour = two(0), minute = two(3), second = two(6)
        guard hour <= 23, minute <= 59, second <= 59 else { return .some(nil) }
        return .some(hour * 3_600 + minute * 60 + second)
    }

    /// An offset of SPEC §3.3 starting at `i` — `Z`, `±HH:MM` or `±HHMM` (HH ≤ 23, MM ≤ 59) — as
    /// seconds east of UTC, with the index after it. Shared with `TimestampPattern`'s `Z` token.
    @inline(__always)
    static func offset(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (seconds: Int64, end: Int)? {
        let n = b.count
        guard i < n else { return nil }
        switch b[i] {
        case UInt8(ascii: "Z"):
            return (0, i + 1)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let oh = digits(b, i + 1, 2), oh <= 23 else { return nil }
            let minutesAt: Int
            if i + 3 < n, b[i + 3] == UInt8(ascii: ":") {
                minutesAt = i + 4
            } else {
                minutesAt = i + 3
            }
            guard let om = digits(b, minutesAt, 2), om <= 59 else { return nil }
            let magnitude = oh * 3_600 + om * 60
            return (b[i] == UInt8(ascii: "-") ? -magnitude : magnitude, minutesAt + 2)
        default:
            return nil
        }
    }

    /// The value of `count` ASCII digits at `start`, or nil if any is not a digit (or out of range).
    @inline(__always)
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int64? {
        guard start + count <= b.count else { return nil }
        var v: Int64 = 0
        for k in start..<(start + count) {
            let d = b[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        return v
    }
}
