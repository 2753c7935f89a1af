import Foundation
import Testing
@testable import OpsETL

/// Issue 11 §7 on SPEC §5: the example of a reject reason says what is wrong with the value and the
/// setting that would read it. Reason codes stay the SPEC's; only the words are new.
@Suite("RejectDiagnosis")
struct RejectDiagnosisTests {
    static func pipeline(timezone: String = "UTC", decimalComma: Bool = false, roundMoney: Bool = false,
                         formats: [String] = []) throws -> Pipeline {
        var sales = InputSpec(path: "s.csv", resolvedPath: "/s.csv")
        if decimalComma { sales.decimalSeparator = UInt8(ascii: ",") }
        sales.timestampFormats = TimestampFormats(try formats.map { try TimestampPattern($0) })
        var p = Pipeline(filePath: "/p.json", baseDirectory: "/", name: "t", timezone: timezone,
                         inputs: Inputs(users: InputSpec(path: "u.csv", resolvedPath: "/u.csv"), sales: sales,
                                        channels: InputSpec(path: "c.csv", resolvedPath: "/c.csv")),
                         output: Output(dir: "/out"))
        p.cleaning.roundMoney = roundMoney
        return p
    }

    static func say(_ reason: String, _ value: String, _ pipeline: Pipeline) -> String? {
        say(reason, value, .sales, pipeline)
    }

    static func say(_ reason: String, _ value: String, _ kind: InputKind, _ pipeline: Pipeline) -> String? {
        RejectDiagnosis.diagnose(reason: reason, value: value, kind: kind, pipeline: pipeline)?.englishText
    }

    @Test("money and counts", arguments: [
        ("bad_number:amount", "1.429999948", "more than 4 decimals; cleaning.round_money rounds it"),
        ("bad_number:amount", " 0.00005 ", "more than 4 decimals; cleaning.round_money rounds it"),
        ("bad_number:amount", "1.234,50", "a decimal comma; inputs.sales.decimal_separator: \",\" reads it"),
        ("bad_number:amount", "-12,5", "a decimal comma; inputs.sales.decimal_separator: \",\" reads it"),
        ("bad_number:amount", "1 234,50", "a decimal comma; inputs.sales.decimal_separator: \",\" reads it"),
        ("bad_number:amount", "922337203685477.5808",
         "out of range: beyond 64 bits in units of 1/10 000 (at most 922337203685477.5807)"),
        ("bad_number:amount", "99999999999999999999.123456",
         "out of range: beyond 64 bits in units of 1/10 000 (at most 922337203685477.5807)"),
        ("bad_number:amount", "twelve", "not an amount opsetl reads"),
        ("bad_number:amount", "$ 12", "not an amount opsetl reads"),
    ])
    func numbers(_ reason: String, _ value: String, _ expected: String) throws {
        #expect(Self.say(reason, value, try Self.pipeline()) == expected)
    }

    @Test func numbersUnderTheirSettings() throws {
        let comma = try Self.pipeline(decimalComma: true)
        #expect(Self.say("bad_number:amount", "1,234.50", comma) == "a decimal point, but inputs.sales.decimal_separator is \",\"")
        #expect(Self.say("bad_number:amount", "1,23456", comma) == "more than 4 decimals; cleaning.round_money rounds it")
        // The setting is per input: channels still read `.`, so 1.5 there is a value, with nothing to explain.
        #expect(Self.say("bad_number:spend", "1.5", .channels, comma) == nil)
        // With round_money the 5th decimal is read: only out of range remains to say.
        let rounding = try Self.pipeline(roundMoney: true)
        #expect(Self.say("bad_number:amount", "922337203685477.58075", rounding)
                == "out of range: beyond 64 bits in units of 1/10 000 (at most 922337203685477.5807)")
        let counts = try Self.pipeline()
        #expect(Self.say("bad_number:impressions", "9223372036854775808", .channels, counts)
                == "out of range: beyond 64 bits (at most 9223372036854775807)")
        #expect(Self.say("bad_number:clicks", "-3", .channels, counts) == "not a count opsetl reads (a whole number of 0 or more)")
        #expect(Self.say("negative_spend", "-3", .channels, counts) == "spend below 0")
    }

    @Test("timestamps: the shape guessed into a pattern that reads it", arguments: [
        ("01/02/2025", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"MM/DD/YYYY\"] "
         + "(or [\"DD/MM/YYYY\"] if the day comes first: the value reads either way)"),
        ("13/02/2025", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"D/MM/YYYY\"]"),   // 13 is unpadded: D
        ("2/13/2025 9:30", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"M/D/YYYY H:mm\"]"),
        ("02.01.2025", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"DD.MM.YYYY\"] "
         + "(or [\"MM.DD.YYYY\"] if the day comes first: the value reads either way)"),
        ("2025年1月2日", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"YYYY年M月D日\"]"),
        ("2025年12月2日 23:59", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"YYYY年M月D日 H:mm\"]"),
        ("20250102", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"YYYYMMDD\"]"),
        ("20250102103000", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"YYYYMMDDHHmmss\"]"),
        ("2025.01.02", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"YYYY.MM.DD\"]"),
        ("2025-1-2", "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"YYYY-M-D\"]"),
        ("2025-01-02 3:04:05.123+08:00",
         "not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: [\"YYYY-MM-DD H:mm:ss.SSSZ\"]"),
        ("2025-02-30", "not a real date or time of day (a month, day or hour out of range)"),
        ("20251301", "not a real date or time of day (a month, day or hour out of range)"),
        ("not-a-date", "not a timestamp form opsetl reads; inputs.sales.timestamp_formats can describe it"),
        ("13/13/2025", "not a timestamp form opsetl reads; inputs.sales.timestamp_formats can describe it"),
        // SPEC §9: read, but outside 1900–2199
        ("0001-01-01T00:00:00Z", "dated 0001-01-01, before 1900-01-01: a placeholder such as Go's zero time or Excel's day 0, not an event"),
        ("1899-12-30", "dated 1899-12-30, before 1900-01-01: a placeholder such as Go's zero time or Excel's day 0, not an event"),
        ("2200-01-01", "dated 2200-01-01, after 2199-12-31, the last date opsetl reads"),
        ("18991230", "dated 1899-12-30, before 1900-01-01: a placeholder such as Go's zero time or Excel's day 0, not an event"),
    ])
    func timestamps(_ value: String, _ expected: String) throws {
        #expect(Self.say("bad_timestamp:ordered_at", value, try Self.pipeline()) == expected)
    }

    @Test func timestampsUnderTheirSettings() throws {
        // A configured pattern that reads the value, but outside the range; a local date in the zone.
        let formats = try Self.pipeline(formats: ["DD/MM/YYYY"])
        #expect(Self.say("bad_timestamp:ordered_at", "30/12/1899", formats)
                == "dated 1899-12-30, before 1900-01-01: a placeholder such as Go's zero time or Excel's day 0, not an event")
        let shanghai = try Self.pipeline(timezone: "UTC+8")
        #expect(Self.say("bad_timestamp:ordered_at", "2199-12-31T20:00:00Z", shanghai)
                == "dated 2200-01-01, after 2199-12-31, the last date opsetl reads")
        #expect(Self.say("bad_timestamp:signup_at", "01/02/2025", .users, formats)?.hasPrefix(
            "not a timestamp form opsetl reads; add inputs.users.timestamp_formats: [\"MM/DD/YYYY\"]") == true)
    }

    @Test("reasons that name no value get no diagnosis", arguments: ["missing:amount", "malformed_row", "unknown_user"])
    func noDiagnosis(_ reason: String) throws {
        #expect(Self.say(reason, "x", try Self.pipeline()) == nil)
    }

    /// The gate's English and the report's `en.json` are one wording; `zh.json` has the same placeholders.
    @Test(arguments: RejectDiagnosis.Kind.allCases)
    func englishMatchesTheReportTable(_ kind: RejectDiagnosis.Kind) {
        #expect(ReportStrings(.en)[kind.rawValue] == RejectDiagnosis.english[kind])
        #expect(ReportStrings(.zh).keys.contains(kind.rawValue))
    }
}
