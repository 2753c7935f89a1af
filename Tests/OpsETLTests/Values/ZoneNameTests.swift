import Foundation
import Testing
@testable import OpsETL

/// SPEC §9 "Time zones": only IANA names, `UTC`/`GMT` and fixed offsets `UTC+8`, `UTC+08:00`,
/// `UTC-05:30` are zones; abbreviations name the zones they may mean; `GMT+8` suggests `UTC+8`.
@Suite("ZoneName")
struct ZoneNameTests {
    @Test("fixed offsets", arguments: [
        ("UTC+8", 28_800), ("UTC+08", 28_800), ("UTC+08:00", 28_800), ("UTC-05:30", -19_800), ("UTC-5", -18_000),
        ("UTC+0", 0), ("UTC-0", 0), ("UTC+14:00", 50_400), ("UTC-12:00", -43_200), ("UTC+05:45", 20_700),
    ] as [(String, Int32)])
    func fixedOffsets(_ text: String, _ seconds: Int32) throws {
        #expect(ZoneName.parse(text) == .success(.fixed(seconds: seconds)))
        // A fixed offset has no daylight saving: the same offset in January and in July.
        let zone = try #require(ZoneRules(identifier: text))
        #expect(zone.offsetSeconds(at: Instant(seconds: 1_735_689_600)) == seconds)   // 2025-01-01T00:00Z
        #expect(zone.offsetSeconds(at: Instant(seconds: 1_751_328_000)) == seconds)   // 2025-07-01T00:00Z
        #expect(zone.identifier == text)
    }

    @Test("IANA names and UTC/GMT", arguments: ["UTC", "GMT", "Asia/Shanghai", "America/Chicago", "Etc/UTC", "GMT+0", "Etc/GMT-8"])
    func named(_ text: String) {
        #expect(ZoneName.parse(text) == .success(.named(text)))
    }

    @Test("refused, with what to write", arguments: [
        ("CST", #""CST" is a time-zone abbreviation, not a time zone: it may mean "Asia/Shanghai" or "America/Chicago"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
        ("EST", #""EST" is a time-zone abbreviation, not a time zone: it may mean "America/New_York"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
        ("IST", #""IST" is a time-zone abbreviation, not a time zone: it may mean "Asia/Kolkata", "Europe/Dublin" or "Asia/Jerusalem"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
        ("QQT", #""QQT" is a time-zone abbreviation, not a time zone: write an IANA name such as Asia/Shanghai or America/Chicago, or a fixed offset such as UTC+8"#),
        ("GMT+8", #""GMT+8" is not accepted: the sign of GMT offsets is reversed in IANA names (Etc/GMT+8 is 8 hours behind UTC); write "UTC+8" for 8 hours ahead of UTC"#),
        ("GMT-05:30", #""GMT-05:30" is not accepted: the sign of GMT offsets is reversed in IANA names (Etc/GMT-5 is 5 hours ahead of UTC); write "UTC-05:30" for 5 h 30 min behind UTC"#),
        ("GMT+1", #""GMT+1" is not accepted: the sign of GMT offsets is reversed in IANA names (Etc/GMT+1 is 1 hour behind UTC); write "UTC+1" for 1 hour ahead of UTC"#),
        ("GMT+abc", #""GMT+abc" is not accepted; write a fixed offset such as "UTC+8" or an IANA name such as Asia/Shanghai"#),
        ("UTC+15", #""UTC+15" is not a UTC offset; expected UTC+8, UTC+08:00 or UTC-05:30 (from UTC-12:00 to UTC+14:00), or an IANA name such as Asia/Shanghai"#),
        ("UTC+8:00", #""UTC+8:00" is not a UTC offset; expected UTC+8, UTC+08:00 or UTC-05:30 (from UTC-12:00 to UTC+14:00), or an IANA name such as Asia/Shanghai"#),
        ("UTC+0800", #""UTC+0800" is not a UTC offset; expected UTC+8, UTC+08:00 or UTC-05:30 (from UTC-12:00 to UTC+14:00), or an IANA name such as Asia/Shanghai"#),
        ("utc", #""utc" is not a known IANA time zone; expected a name such as UTC, Europe/Berlin or Asia/Shanghai, or a fixed offset such as UTC+8 (did you mean "UTC"?)"#),
        ("Asia/Shangai", #""Asia/Shangai" is not a known IANA time zone; expected a name such as UTC, Europe/Berlin or Asia/Shanghai, or a fixed offset such as UTC+8 (did you mean "Asia/Shanghai"?)"#),
    ])
    func refused(_ text: String, _ message: String) {
        #expect(ZoneName.parse(text) == .failure(ZoneName.Problem(message: message)))
        #expect(ZoneRules(identifier: text) == nil)
    }
}
