import Foundation
import Testing
@testable import OpsETL

/// SPEC §2 `timezone`, §9 "Daylight saving". Hand-worked instants: 2025-01-01T00:00Z =
/// 1 735 689 600; New York changes 2025-03-09 07:00Z and 2025-11-02 06:00Z; Berlin
/// 2025-03-30 01:00Z and 2025-10-26 01:00Z.
@Suite("ZoneRules")
struct ZoneRulesTests {
    static func local(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
        Int64(LocalDate(year: y, month: m, day: d)!.days) * 86_400 + Int64(h * 3_600 + mi * 60 + s)
    }

    @Test("known identifiers", arguments: [
        "UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Etc/UTC",
        "Etc/GMT-8", "US/Eastern", "GMT", "GMT+0",
    ])
    func known(_ id: String) throws {
        let zone = try #require(ZoneRules(identifier: id))
        #expect(zone.identifier == id)
    }

    @Test("unknown identifiers, abbreviations and GMT offsets are nil", arguments: [
        "", "Foo/Bar", "asia/shanghai", "utc", "Asia/Shanghai ", "GMT+8", "GMT+08:00", "+08:00", "CST", "EST", "IST",
        "UTC+15", "UTC-13", "UTC+8:00", "UTC+08:60", "UTC+", "UTC+0800",
    ])
    func unknown(_ id: String) {
        #expect(ZoneRules(identifier: id) == nil)
    }

    @Test("offsetSeconds", arguments: [
        ("UTC", 1_735_689_600, 0),
        ("UTC", -62_167_219_200, 0),
        ("Asia/Shanghai", 1_735_689_600, 28_800),
        ("Asia/Shanghai", 583_718_400, 32_400),          // 1988-07-01: China had DST 1986–1991
        ("Asia/Kolkata", 1_735_689_600, 19_800),
        ("Etc/GMT-8", 1_735_689_600, 28_800),            // POSIX sign: Etc/GMT-8 is +08:00
        ("America/New_York", 1_735_689_600, -18_000),
        ("America/New_York", 1_751_385_600, -14_400),    // 2025-07-01T16:00Z
        ("America/New_York", 1_741_503_599, -18_000),    // 06:59:59Z, last EST second
        ("America/New_York", 1_741_503_600, -14_400),    // 07:00Z
        ("America/New_York", 1_762_063_199, -14_400),    // 05:59:59Z, last EDT second
        ("America/New_York", 1_762_063_200, -18_000),
        ("Europe/Berlin", 1_743_296_399, 3_600),
        ("Europe/Berlin", 1_743_296_400, 7_200),
        ("Europe/Berlin", 1_761_440_399, 7_200),
        ("Europe/Berlin", 1_761_440_400, 3_600),
        ("Europe/Moscow", 1_414_274_399, 14_400),        // 2014-10-26: +04 → +03, not a DST change
        ("Europe/Moscow", 1_414_274_400, 10_800),
        ("America/New_York", 16_731_576_000, -14_400),   // 2500-03-15T12:00Z: beyond the table, folded
        ("America/New_York", 253_387_483_200, -14_400),  // 9999-07-13T12:00Z
        ("America/New_York", 253_370_764_800, -18_000),  // 9999-01-01T00:00Z
    ] as [(String, Int64, Int32)])
    func offsets(_ id: String, _ seconds: Int64, _ expected: Int32) throws {
        let zone = try #require(ZoneRules(identifier: id))
        #expect(zone.offsetSeconds(at: Instant(seconds: seconds)) == expected)
        #expect(zone.offsetSeconds(at: Instant(seconds: seconds, nanos: 999_999_999)) == expected)
    }

    @Test("instant(fromLocalSeconds:): gap → offset before the gap, overlap → first occurrence", arguments: [
        ("UTC", local(2025, 1, 2, 3, 4, 5), 1_735_787_045),
        ("Asia/Shanghai", local(2025, 1, 1), 1_735_660_800),             // 2024-12-31T16:00Z
        ("America/New_York", local(2025, 3, 9, 1, 59, 59), 1_741_503_599),
        ("America/New_York", local(2025, 3, 9, 2, 0), 1_741_503_600),
        ("America/New_York", local(2025, 3, 9, 2, 30), 1_741_505_400),  // 07:30Z = 03:30 EDT
        ("America/New_York", local(2025, 3, 9, 2, 59, 59), 1_741_507_199),
        ("America/New_York", local(2025, 3, 9, 3, 0), 1_741_503_600),
        ("America/New_York", local(2025, 11, 2, 0, 59, 59), 1_762_059_599),
        ("America/New_York", local(2025, 11, 2, 1, 0), 1_762_059_600),
        ("America/New_York", local(2025, 11, 2, 1, 30), 1_762_061_400), // 05:30Z, EDT
        ("America/New_York", local(2025, 11, 2, 1, 59, 59), 1_762_063_199),
        ("America/New_York", local(2025, 11, 2, 2, 0), 1_762_066_800),  // 07:00Z, EST
        ("Europe/Berlin", local(2025, 3, 30, 1, 59, 59), 1_743_296_399),
        ("Europe/Berlin", local(2025, 3, 30, 2, 30), 1_743_298_200),     // 01:30Z = 03:30 CEST
        ("Europe/Berlin", local(2025, 3, 30, 3, 0), 1_743_296_400),
        ("Europe/Berlin", local(2025, 10, 26, 2, 0), 1_761_436_800),     // 00:00Z, CEST
        ("Europe/Berlin", local(2025, 10, 26, 2, 30), 1_761_438_600),    // 00:30Z, CEST
        ("Europe/Berlin", local(2025, 10, 26, 2, 59, 59), 1_761_440_399),
        ("Europe/Berlin", local(2025, 10, 26, 3, 0), 1_761_444_000),     // 02:00Z, CET
        // Samoa skipped 2011-12-30 (−10 → +14 at 2011-12-30T10:00Z): the whole day is a gap
        ("Pacific/Apia", local(2011, 12, 30, 12, 0), 1_325_282_400),     // = 2011-12-31 12:00 +14
        // Beyond the table (2500): the 400-year fold keeps DST
        ("America/New_York", local(2525, 3, 11, 2, 30), 17_520_132_600),
        ("America/New_York", local(2525, 11, 4, 1, 30), 17_540_688_600),
    ] as [(String, Int64, Int64)])
    func localToInstant(_ id: String, _ local: Int64, _ expected: Int64) throws {
        let zone = try #require(ZoneRules(identifier: id))
        #expect(zone.instant(fromLocalSeconds: local, nanos: 7) == Instant(seconds: expected, nanos: 7))
    }

    @Test("localDate(of:) across day boundaries", arguments: [
        ("Asia/Shanghai", 1_735_774_200, "2025-01-02"),   // 2025-01-01T23:30Z = 07:30 next day
        ("Asia/Shanghai", 1_735_747_199, "2025-01-01"),   // 15:59:59Z = 23:59:59 local
        ("Asia/Shanghai", 1_735_747_200, "2025-01-02"),   // 16:00Z = midnight
        ("America/New_York", 1_735_793_999, "2025-01-01"), // 2025-01-02T04:59:59Z
        ("America/New_York", 1_735_794_000, "2025-01-02"),
        ("Asia/Kolkata", 1_735_756_199, "2025-01-01"),    // 18:29:59Z = 23:59:59 IST
        ("Asia/Kolkata", 1_735_756_200, "2025-01-02"),
        ("UTC", 0, "1970-01-01"),
        ("UTC", -1, "1969-12-31"),                        // floor, not truncation
        ("UTC", -86_400, "1969-12-31"),
        ("UTC", -86_401, "1969-12-30"),
        ("America/New_York", 0, "1969-12-31"),
    ] as [(String, Int64, String)])
    func localDates(_ id: String, _ seconds: Int64, _ expected: String) throws {
        let zone = try #require(ZoneRules(identifier: id))
        #expect(zone.localDate(of: Instant(seconds: seconds, nanos: 500)).description == expected)
    }

    @Test("startOfDay", arguments: [
        ("UTC", "2025-01-02", 1_735_776_000),
        ("Asia/Shanghai", "2025-01-01", 1_735_660_800),
        ("America/New_York", "2025-03-09", 1_741_496_400),   // 05:00Z (EST)
        ("America/New_York", "2025-03-10", 1_741_579_200),   // 04:00Z (EDT)
        ("America/New_York", "2025-11-02", 1_762_056_000),   // 04:00Z (EDT)
        ("America/New_York", "2025-11-03", 1_762_146_000),   // 05:00Z (EST)
        ("Europe/Berlin", "2025-03-30", 1_743_289_200),
        // Brazil 2018-11-04: clocks went 00:00 → 01:00, so the day starts at 01:00 −02 = 03:00Z
        ("America/Sao_Paulo", "2018-11-04", 1_541_300_400),
    ] as [(String, String, Int64)])
    func startOfDay(_ id: String, _ date: String, _ expected: Int64) throws {
        let zone = try #require(ZoneRules(identifier: id))
        let day = try #require(LocalDate(iso: date))
        #expect(zone.startOfDay(day) == Instant(seconds: expected))
        #expect(zone.localDate(of: zone.startOfDay(day)) == day)
    }

    /// The table agrees with Foundation at and around every transition, 1900–2100, and the
    /// local → instant rule matches a brute-force reading of SPEC §9 built on Foundation's offsets.
    @Test("agrees with Foundation around every transition", arguments: [
        "America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "America/Sao_Paulo",
        "Asia/Shanghai", "Europe/Moscow", "America/St_Johns", "Pacific/Apia", "Asia/Kolkata", "Europe/London",
        "Africa/Casablanca", "America/Santiago", "Asia/Tehran", "Europe/Dublin",
    ])
    func agreesWithFoundation(_ id: String) throws {
        let zone = try #require(ZoneRules(identifier: id))
        let tz = try #require(TimeZone(identifier: id))
        func foundationOffset(_ s: Int64) -> Int64 { Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(s)))) }
        var transitions: [Int64] = []
        var cursor = Date(timeIntervalSince1970: -2_208_988_800)     // 1900
        while let next = tz.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < 4_102_444_800 {
            transitions.append(Int64(next.timeIntervalSince1970))
            cursor = next
        }
        #expect(transitions.count > 0)
        for (k, t) in transitions.enumerated() {
            for s in [t - 86_400, t - 1, t, t + 1, t + 86_400] {
                #expect(Int64(zone.offsetSeconds(at: Instant(seconds: s))) == foundationOffset(s), "\(id) at \(s)")
            }
            // Brute force near an isolated transition: the instants showing local time L are
            // L − before (if that is before t) and L − after (if that is at or after t).
            let before = foundationOffset(t - 1), after = foundationOffset(t)
            guard before != after,
                  k == 0 || transitions[k - 1] < t - 3 * 86_400,
                  k + 1 == transitions.count || transitions[k + 1] > t + 3 * 86_400 else { continue }
            let span = abs(after - before) + 7_200
            var l = t + min(before, after) - span
            while l <= t + max(before, after) + span {
                var candidates: [Int64] = []
                if l - before < t { candidates.append(l - before) }
                if l - after >= t { candidates.append(l - after) }
                let expected = candidates.min() ?? (l - before)          // none: in the gap
                #expect(zone.instant(fromLocalSeconds: l, nanos: 0).seconds == expected, "\(id) local \(l)")
                l += 900
            }
        }
    }

    /// 400-year folding beyond 2500 gives what Foundation's (rule-based) zone says.
    @Test("far future agrees with Foundation", arguments: ["America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Santiago"])
    func farFuture(_ id: String) throws {
        let zone = try #require(ZoneRules(identifier: id))
        let tz = try #require(TimeZone(identifier: id))
        var s: Int64 = 16_000_000_000                                // 2477
        while s < 40_000_000_000 {                                   // 3237
            let expected = Int32(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(s))))
            #expect(zone.offsetSeconds(at: Instant(seconds: s)) == expected, "\(id) at \(s)")
            s += 86_400 * 37 + 3_607
        }
    }

    /// The local → instant search needs both wall-clock columns strictly increasing (see `Table`).
    @Test func everyKnownZoneHasMonotonicWallClockTables() {
        var bad: [String] = []
        for id in TimeZone.knownTimeZoneIdentifiers {
            guard let zone = ZoneRules(identifier: id) else { bad.append("nil: \(id)"); continue }
            _ = zone
            guard let tz = TimeZone(identifier: id) else { continue }
            let table = ZoneRules.Table(zone: tz)
            for i in table.transitions.indices.dropFirst()
            where !(table.localOld[i] > table.localOld[i - 1] && table.localNew[i] > table.localNew[i - 1]
                    && table.transitions[i] > table.transitions[i - 1]) {
                bad.append("\(id) #\(i)")
            }
        }
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test func copiesShareOneTable() throws {
        let a = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let b = try #require(ZoneRules(identifier: "Europe/Berlin"))
        #expect(a.offsetSeconds(at: Instant(seconds: 1_751_385_600)) == b.offsetSeconds(at: Instant(seconds: 1_751_385_600)))
    }
}
