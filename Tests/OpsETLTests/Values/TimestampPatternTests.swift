import Testing
@testable import OpsETL

/// SPEC §2 `inputs.X.timestamp_formats` and §3.3 "Timestamps": patterns tried in order before the
/// built-in forms, matching the whole trimmed value. Expected instants worked out by hand from
/// 2025-01-02T00:00Z = 1 735 776 000 (03:04:05 adds 11 045 s); 2025-12-25 = 2025-01-01
/// (1 735 689 600) + 358 days; 2025-12-02 23:59 = 2025-01-01 + 335 days + 86 340 s.
@Suite("TimestampPattern")
struct TimestampPatternTests {
    static let utc = ZoneRules(identifier: "UTC")!

    static func parse(_ pattern: String, _ text: String, _ zone: ZoneRules = utc) throws -> Instant? {
        let compiled = try TimestampPattern(pattern)
        return ValueTestBytes.with(text) { compiled.parse($0, zone: zone) }
    }

    @Test("every token, and the issue's real exports", arguments: [
        // YYYY MM DD and literals `/`, `.`, `年月日`, nothing at all
        ("MM/DD/YYYY", "01/02/2025", 1_735_776_000, 0),
        ("DD/MM/YYYY", "02/01/2025", 1_735_776_000, 0),
        ("YYYY年M月D日", "2025年1月2日", 1_735_776_000, 0),
        ("YYYYMMDD", "20250102", 1_735_776_000, 0),
        ("YYYY.MM.DD", "2025.01.02", 1_735_776_000, 0),
        ("DD.MM.YYYY", "02.01.2025", 1_735_776_000, 0),
        // M and D: one or two digits
        ("M/D/YYYY", "1/2/2025", 1_735_776_000, 0),
        ("M/D/YYYY", "12/25/2025", 1_766_620_800, 0),
        ("M/D/YYYY", "01/02/2025", 1_735_776_000, 0),
        // HH H mm ss
        ("YYYY-MM-DD HH:mm", "2025-01-02 03:04", 1_735_787_040, 0),
        ("YYYY-MM-DD H:mm", "2025-01-02 3:04", 1_735_787_040, 0),
        ("YYYY-MM-DD H:mm", "2025-01-02 03:04", 1_735_787_040, 0),
        ("YYYYMMDDHHmmss", "20250102030405", 1_735_787_045, 0),
        ("YYYY年M月D日 HH:mm", "2025年12月2日 23:59", 1_764_719_940, 0),
        // S…: exactly that many fraction digits
        ("YYYY-MM-DDTHH:mm:ss.SSS", "2025-01-02T03:04:05.123", 1_735_787_045, 123_000_000),
        ("YYYY-MM-DD HH:mm:ss.S", "2025-01-02 03:04:05.5", 1_735_787_045, 500_000_000),
        ("YYYY-MM-DD HH:mm:ss.SSSSSSSSS", "2025-01-02 03:04:05.000000001", 1_735_787_045, 1),
        // Z: every offset form of §3.3
        ("DD/MM/YYYY HH:mm:ssZ", "02/01/2025 03:04:05Z", 1_735_787_045, 0),
        ("DD/MM/YYYY HH:mm:ssZ", "02/01/2025 03:04:05+08:00", 1_735_758_245, 0),   // 03:04:05 − 8 h
        ("DD/MM/YYYY HH:mm:ssZ", "02/01/2025 03:04:05+0800", 1_735_758_245, 0),
        ("DD/MM/YYYY HH:mm:ss Z", "02/01/2025 03:04:05 -08:00", 1_735_815_845, 0),  // 03:04:05 + 8 h
        ("YYYY/MM/DD Z", "2025/01/02 -08:00", 1_735_804_800, 0),                    // midnight at −8
    ] as [(String, String, Int64, Int32)])
    func reads(_ pattern: String, _ text: String, _ seconds: Int64, _ nanos: Int32) throws {
        #expect(try Self.parse(pattern, text) == Instant(seconds: seconds, nanos: nanos))
    }

    @Test("no Z: local time in the zone; no HH: local midnight", arguments: [
        ("MM/DD/YYYY", "01/02/2025", 1_735_747_200),        // Shanghai midnight = 2025-01-01T16:00Z
        ("YYYYMMDDHHmm", "202501020800", 1_735_776_000),    // 08:00 Shanghai = 00:00Z
        ("YYYYMMDDHHmmZ", "202501020800Z", 1_735_804_800),  // 08:00Z, the zone ignored
    ] as [(String, String, Int64)])
    func local(_ pattern: String, _ text: String, _ seconds: Int64) throws {
        #expect(try Self.parse(pattern, text, ZoneRules(identifier: "Asia/Shanghai")!) == Instant(seconds: seconds))
    }

    @Test("a value the pattern does not match, or an impossible or out-of-range one", arguments: [
        ("MM/DD/YYYY", "1/2/2025"), ("MM/DD/YYYY", "13/02/2025"), ("MM/DD/YYYY", "02/30/2025"),
        ("MM/DD/YYYY", "01/02/25"), ("MM/DD/YYYY", "01-02-2025"), ("MM/DD/YYYY", "01/02/2025 03:04"),
        ("YYYYMMDD", "2025010"), ("YYYYMMDD", "202501021"), ("YYYYMMDD", "2025O102"),
        ("YYYY年M月D日", "2025年1月2"), ("YYYY年M月D日", "2025年100月2日"),
        ("YYYY-MM-DD HH:mm", "2025-01-02 24:00"), ("YYYY-MM-DD HH:mm", "2025-01-02 23:60"),
        ("YYYY-MM-DD HH:mm:ss", "2025-01-02 23:59:60"), ("YYYY-MM-DD HH:mm", "2025-01-02"),
        ("YYYY-MM-DD HH:mm:ss.SSS", "2025-01-02 03:04:05.12"), ("YYYY-MM-DD HH:mm:ss.SSS", "2025-01-02 03:04:05.1234"),
        ("YYYY-MM-DD HH:mmZ", "2025-01-02 03:04+24:00"), ("YYYY-MM-DD HH:mmZ", "2025-01-02 03:04"),
        ("YYYY-MM-DD HH:mmZ", "2025-01-02 03:04z"),
        // SPEC §9: local dates before 1900-01-01 or after 2199-12-31
        ("YYYYMMDD", "18991230"), ("YYYYMMDD", "22000101"), ("YYYYMMDD", "00010101"),
    ])
    func rejects(_ pattern: String, _ text: String) throws {
        #expect(try Self.parse(pattern, text) == nil)
    }

    @Test("a pattern that is not well formed says why", arguments: [
        ("", "an empty pattern; expected tokens such as \"MM/DD/YYYY\" or \"YYYYMMDD\""),
        ("YYY-MM-DD", "\"YYY\" is not a token; the tokens are YYYY, MM, M, DD, D, HH, H, mm, ss, S to SSSSSSSSS (a fraction) and Z (an offset); other characters are literal"),
        ("YYYY-MMM-DD", "\"MMM\" is not a token; the tokens are YYYY, MM, M, DD, D, HH, H, mm, ss, S to SSSSSSSSS (a fraction) and Z (an offset); other characters are literal"),
        ("YYYY-MM-DD HH:mm:ss.SSSSSSSSSS", "\"SSSSSSSSSS\" is not a token; the tokens are YYYY, MM, M, DD, D, HH, H, mm, ss, S to SSSSSSSSS (a fraction) and Z (an offset); other characters are literal"),
        ("MM/MM/YYYY", "\"MM\" repeats a field already in the pattern; expected each of year, month, day, hour, minute, second, fraction and offset at most once"),
        ("M/DD/YYYY/MM", "\"MM\" repeats a field already in the pattern; expected each of year, month, day, hour, minute, second, fraction and offset at most once"),
        ("YYYYMD", "\"D\" follows a 1-or-2-digit token directly, so the digits could be split two ways; put a separator between them or use the 2-digit token (MM, DD, HH)"),
        ("MM/YYYY", "no day (DD or D); a pattern needs YYYY, MM or M, and DD or D"),
        ("DD.MM.", "no year (YYYY); a pattern needs YYYY, MM or M, and DD or D"),
        ("YYYY-MM-DD mm", "minutes (mm) without an hour (HH or H)"),
        ("YYYY-MM-DD HH:ss", "seconds (ss) without minutes (mm)"),
        ("YYYY-MM-DD HH:mm.SSS", "a fraction (S…) without seconds (ss)"),
    ])
    func malformed(_ pattern: String, _ message: String) {
        #expect(throws: TimestampPattern.Problem(message: message)) { try TimestampPattern(pattern) }
    }

    @Test func patternsComeFirstThenTheBuiltInForms() throws {
        // `DD/MM/YYYY` first: 02/01/2025 is 2 January. `2025-01-03` still reads through the built-in forms;
        // `2025/01/02` matches no pattern and is a built-in form too.
        let formats = TimestampFormats([try TimestampPattern("DD/MM/YYYY"), try TimestampPattern("MM/DD/YYYY")])
        func parse(_ text: String) -> Instant? { ValueTestBytes.with(text) { formats.parse($0, zone: Self.utc) } }
        #expect(parse("02/01/2025") == Instant(seconds: 1_735_776_000))
        #expect(parse("01/13/2025") == Instant(seconds: 1_735_776_000 + 11 * 86_400))   // only MM/DD reads it
        #expect(parse("2025-01-03") == Instant(seconds: 1_735_776_000 + 86_400))
        #expect(parse("2025/01/02") == Instant(seconds: 1_735_776_000))
        #expect(parse("13/13/2025") == nil)
    }
}
