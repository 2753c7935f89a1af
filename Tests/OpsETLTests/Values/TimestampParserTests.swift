import Testing
@testable import OpsETL

/// SPEC §3.3 "Timestamps" and §9 "Parsing" / "Daylight saving". Expected instants are
/// worked out by hand from 2025-01-01T00:00Z = 1 735 689 600 (2025-01-02 = 1 735 776 000).
@Suite("TimestampParser")
struct TimestampParserTests {
    static let utc = ZoneRules(identifier: "UTC")!

    static func parse(_ text: String, _ zone: ZoneRules = utc) -> Instant? {
        ValueTestBytes.with(text) { TimestampParser.parse($0, zone: zone) }
    }

    @Test("accepted forms (zone UTC)", arguments: [
        // date only: local midnight
        ("2025-01-02", 1_735_776_000, 0),
        ("2025/01/02", 1_735_776_000, 0),
        ("1970-01-01", 0, 0),
        ("2024-02-29", 1_709_164_800, 0),                 // leap day: 2024-01-01 + 59 days
        // date + time, `T` or one space, `-` or `/`
        ("2025-01-02T03:04", 1_735_787_040, 0),
        ("2025-01-02 03:04", 1_735_787_040, 0),
        ("2025/01/02 03:04", 1_735_787_040, 0),
        ("2025/01/02T03:04:05", 1_735_787_045, 0),
        ("2025-01-02T03:04:05", 1_735_787_045, 0),
        ("2025-01-02T00:00:00", 1_735_776_000, 0),
        ("2025-01-02T23:59:59", 1_735_862_399, 0),
        // fractions: 1–9 digits
        ("2025-01-02T03:04:05.1", 1_735_787_045, 100_000_000),
        ("2025-01-02T03:04:05.123", 1_735_787_045, 123_000_000),
        ("2025-01-02T03:04:05.000000001", 1_735_787_045, 1),
        ("2025-01-02T03:04:05.123456789", 1_735_787_045, 123_456_789),
        ("2025-01-02 23:59:59.999999999", 1_735_862_399, 999_999_999),
        // offsets: Z, ±HH:MM, ±HHMM
        ("2025-01-02T03:04:05Z", 1_735_787_045, 0),
        ("2025-01-02T03:04Z", 1_735_787_040, 0),
        ("2025-01-02T03:04:05.5Z", 1_735_787_045, 500_000_000),
        ("2025-01-02T03:04:05.123456789+08:00", 1_735_758_245, 123_456_789),
        ("2025-01-02T03:04:05+0800", 1_735_758_245, 0),
        ("2025-01-02T03:04+0530", 1_735_767_240, 0),      // 03:04 − 5:30 = 21:34 the day before
        ("2025-01-02 03:04:05-08:00", 1_735_815_845, 0),
        ("2025-01-02T03:04:05-0800", 1_735_815_845, 0),
        ("2025/01/02 03:04:05-08:00", 1_735_815_845, 0),
        ("2025-01-02T03:04:05+00:00", 1_735_787_045, 0),
        ("2025-01-02T03:04:05-00:00", 1_735_787_045, 0),
        ("2025-01-02T03:04:05+23:59", 1_735_700_705, 0),
        ("2025-01-02T03:04:05-23:59", 1_735_873_385, 0),
        // a date alone may carry an offset: midnight at that offset
        ("2025-01-02+08:00", 1_735_747_200, 0),
        ("2025-01-02-08:00", 1_735_804_800, 0),
        ("2025/01/02-0800", 1_735_804_800, 0),
        ("2025-01-02+0530", 1_735_756_200, 0),
        ("2025-01-02Z", 1_735_776_000, 0),
        // before the epoch: nanos stay positive
        ("1969-12-31T23:59:59Z", -1, 0),
        ("1969-12-31T23:59:59.5Z", -1, 500_000_000),
        // epochs: exactly 10 digits (s) or 13 digits (ms)
        ("1735689600", 1_735_689_600, 0),
        ("1735689600000", 1_735_689_600, 0),
        ("1735689600123", 1_735_689_600, 123_000_000),
        ("0000000000", 0, 0),
        ("0000000000001", 0, 1_000_000),
        // SPEC §9: the first and last instants of 1900-01-01 … 2199-12-31 (UTC)
        ("1900-01-01", -2_208_988_800, 0),
        ("2199-12-31T23:59:59Z", 7_258_118_399, 0),
        ("7258118399", 7_258_118_399, 0),
        ("7258118399999", 7_258_118_399, 999_000_000),
    ] as [(String, Int64, Int32)])
    func accepts(_ text: String, _ seconds: Int64, _ nanos: Int32) {
        #expect(Self.parse(text) == Instant(seconds: seconds, nanos: nanos))
    }

    @Test("rejects (bad_timestamp)", arguments: [
        "", "abc", "2025", "2025-01", "25-01-02", "20250102", "2025_01_02", "2025.01.02",
        // single-digit month/day, impossible dates
        "2025-1-02", "2025-01-2", "2025-1-2", "2025/1/2",
        "2025-02-30", "2023-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-01-00",
        "2025-01-32", "2025-04-31",
        // mixed separators
        "2025/01-02", "2025-01/02", "2025/01-02 03:04",
        // lower-case t / z, other separators
        "2025-01-02t03:04", "2025-01-02T03:04z", "2025-01-02z", "2025-01-02  03:04",
        "2025-01-02 T03:04", "2025-01-02_03:04", "2025-01-02T", "2025-01-02 ",
        // hour 24, minute > 59, second 60, short fields
        "2025-01-02T24:00", "2025-01-02T24:00:00", "2025-01-02T23:60", "2025-01-02T23:59:60",
        "2025-01-02T3:04", "2025-01-02T03:4", "2025-01-02T03", "2025-01-02T03:", "2025-01-02T0304",
        "2025-01-02T03:04:5", "2025-01-02T03:04:",
        // fractions: none, more than 9, without seconds, comma
        "2025-01-02T03:04:05.", "2025-01-02T03:04:05.1234567890", "2025-01-02T03:04.5",
        "2025-01-02T03:04:05,123", "2025-01-02T03:04:05.12a",
        // offsets: a space before, hours > 23, minutes > 59, odd shapes, twice
        "2025-01-02T03:04 +08:00", "2025-01-02 +08:00", "2025-01-02T03:04:05 Z", "2025-01-02 Z",
        "2025-01-02T03:04+24:00", "2025-01-02T03:04+08:60", "2025-01-02T03:04+8:00",
        "2025-01-02T03:04+08", "2025-01-02T03:04+080", "2025-01-02T03:04+08:000",
        "2025-01-02T03:04+08000", "2025-01-02T03:04+08:0", "2025-01-02T03:04+08:00:00",
        "2025-01-02T03:04ZZ", "2025-01-02T03:04Z+08:00", "2025-01-02T03:04+08:00Z",
        "2025-01-02T03:04UTC", "2025-01-02T03:04 UTC", "2025-01-02T03:04−08:00", // U+2212 minus
        "2025-01-02+24:00",
        // epochs: 9, 11, 12, 14 digits, signed, fractional, separated
        "173568960", "17356896001", "173568960012", "17356896000001",
        "-1735689600", "+1735689600", "1735689600.5", "1735689600.000", "1,735,689,600",
        "１７３５６８９６００",                                    // full-width digits
        // SPEC §9: local dates before 1900-01-01 or after 2199-12-31 are sentinels, not events
        "0001-01-01T00:00:00Z", "0000-01-01", "1899-12-30", "1899-12-31T23:59:59Z", "2200-01-01",
        "2199-12-31T23:59:59-00:01", "9999-12-31T23:59:59Z", "9999999999", "7258118400", "9999999999999",
        // trailing garbage
        "2025-01-02x", "2025-01-02T03:04:05x", "2025-01-02T03:04:05+08:00x",
    ])
    func rejects(_ text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test("no offset: local time in the pipeline zone (DST per SPEC §9); an offset or epoch ignores the zone", arguments: [
        ("Asia/Shanghai", "2025-01-01", 1_735_660_800, 0),                  // 2024-12-31T16:00Z
        ("Asia/Shanghai", "2025-01-01T08:00", 1_735_689_600, 0),
        ("Asia/Shanghai", "2025/01/01 23:59:59.5", 1_735_747_199, 500_000_000),
        ("Asia/Shanghai", "1735689600", 1_735_689_600, 0),
        ("Asia/Shanghai", "1735689600000", 1_735_689_600, 0),
        ("Asia/Shanghai", "2025-01-01T00:00Z", 1_735_689_600, 0),
        ("Asia/Shanghai", "2025-01-01T00:00-05:00", 1_735_707_600, 0),
        ("America/New_York", "2025-01-02", 1_735_794_000, 0),               // 05:00Z
        ("America/New_York", "2025-07-01T12:00", 1_751_385_600, 0),         // EDT: 16:00Z
        // spring forward 2025-03-09 02:00 EST → 03:00 EDT (07:00Z = 1 741 503 600)
        ("America/New_York", "2025-03-09", 1_741_496_400, 0),
        ("America/New_York", "2025-03-09T01:59:59", 1_741_503_599, 0),
        ("America/New_York", "2025-03-09 02:00", 1_741_503_600, 0),         // gap: = 03:00 EDT
        ("America/New_York", "2025-03-09 02:30", 1_741_505_400, 0),         // gap: = 03:30 EDT = 07:30Z
        ("America/New_York", "2025-03-09 03:30", 1_741_505_400, 0),
        ("America/New_York", "2025-03-09T02:30:00.25", 1_741_505_400, 250_000_000),
        // fall back 2025-11-02 02:00 EDT → 01:00 EST (06:00Z = 1 762 063 200)
        ("America/New_York", "2025-11-02 00:59:59", 1_762_059_599, 0),
        ("America/New_York", "2025-11-02 01:00", 1_762_059_600, 0),         // first occurrence, EDT
        ("America/New_York", "2025-11-02 01:30", 1_762_061_400, 0),         // first occurrence: 05:30Z
        ("America/New_York", "2025-11-02 01:59:59", 1_762_063_199, 0),
        ("America/New_York", "2025-11-02T01:30-05:00", 1_762_065_000, 0),   // the second one needs an offset
        ("America/New_York", "2025-11-02 02:00", 1_762_066_800, 0),         // EST: 07:00Z
        // Europe/Berlin: 2025-03-30 02:00 CET → 03:00 CEST (01:00Z); 2025-10-26 03:00 CEST → 02:00 CET (01:00Z)
        ("Europe/Berlin", "2025-03-30 01:59", 1_743_296_340, 0),
        ("Europe/Berlin", "2025-03-30 02:30", 1_743_298_200, 0),            // gap: 03:30 CEST = 01:30Z
        ("Europe/Berlin", "2025-03-30 03:00", 1_743_296_400, 0),
        ("Europe/Berlin", "2025-10-26 01:30", 1_761_435_000, 0),            // 23:30Z the day before
        ("Europe/Berlin", "2025-10-26 02:30", 1_761_438_600, 0),            // first occurrence, CEST: 00:30Z
        ("Europe/Berlin", "2025-10-26T02:30+01:00", 1_761_442_200, 0),
        ("Europe/Berlin", "2025-10-26 03:00", 1_761_444_000, 0),            // CET: 02:00Z
    ] as [(String, String, Int64, Int32)])
    func localTimes(_ zone: String, _ text: String, _ seconds: Int64, _ nanos: Int32) throws {
        let rules = try #require(ZoneRules(identifier: zone))
        #expect(Self.parse(text, rules) == Instant(seconds: seconds, nanos: nanos))
    }

    /// SPEC §9: the range is of *local* dates. 1899-12-31T20:00Z is 1900-01-01 04:00 at UTC+8 (kept) but
    /// 1899-12-31 in UTC (rejected); 2199-12-31T20:00-05:00 is 2200-01-01 01:00Z: kept in New York's
    /// fixed twin UTC-5, rejected in UTC.
    @Test func theSafeBoundsAreADayInsideTheRange() {
        #expect(TimestampParser.safeFirst == Int64(LocalDate.firstReadable.days + 1) * 86_400)
        #expect(TimestampParser.safeEnd == Int64(LocalDate.lastReadable.days) * 86_400)
    }

    @Test func theDateRangeIsOfLocalDates() {
        #expect(Self.parse("1899-12-31T20:00:00Z", ZoneRules(identifier: "UTC+8")!) == Instant(seconds: -2_209_003_200))
        #expect(Self.parse("1899-12-31T20:00:00Z") == nil)
        #expect(Self.parse("1900-01-01", ZoneRules(identifier: "UTC-5")!) == Instant(seconds: -2_208_988_800 + 5 * 3_600))
        #expect(Self.parse("2199-12-31T20:00-05:00", ZoneRules(identifier: "UTC-5")!) == Instant(seconds: 7_258_032_000 + 25 * 3_600))
        #expect(Self.parse("2199-12-31T20:00-05:00") == nil)
    }
}
