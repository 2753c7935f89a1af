import Foundation
import Testing
@testable import OpsETL

/// One string table per language: the same keys and, per key, the same placeholders, so
/// neither language can miss a sentence or a number.
@Suite struct ReportStringsTests {
    static func placeholders(_ s: String) -> Set<String> {
        Set(s.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap { $0.split(separator: "}", maxSplits: 1).first.map(String.init) })
    }

    @Test func tablesHaveTheSameKeysAndPlaceholders() {
        let en = ReportStrings(.en), zh = ReportStrings(.zh)
        #expect(en.keys == zh.keys)
        // `format_date` is the one exception: Chinese writes 6月3日, English pads to 06-03.
        for key in en.keys.sorted() where key != "format_date" {
            #expect(Self.placeholders(en[key]) == Self.placeholders(zh[key]), "\(key)")
        }
    }

    @Test func fillReplacesKnownPlaceholdersOnly() {
        #expect(ReportStrings.fill("{a} and {b} {a}", ["a": "x"]) == "x and {b} x")
        #expect(ReportStrings.fill("no braces", [:]) == "no braces")
        #expect(ReportStrings.fill("open { only", ["a": "x"]) == "open { only")
    }
}

/// Numbers for the reader: grouping, rounding once half away from zero, currency, percent.
@Suite struct NumberStyleTests {
    static let en = NumberStyle(strings: ReportStrings(.en), currency: "CNY")
    static let zh = NumberStyle(strings: ReportStrings(.zh), currency: "CNY")

    @Test(arguments: [
        ("1234567.891", 2, "1,234,567.89"), ("-1234.5", 0, "-1,235"), ("999.995", 2, "1,000.00"),
        ("0.004", 2, "0.00"), ("-0.004", 2, "0.00"), ("100", 0, "100"),
    ])
    func grouping(_ value: String, _ decimals: Int, _ expected: String) {
        #expect(Self.en.number(Decimal(string: value)!, decimals: decimals) == expected)
    }

    @Test func moneyPercentTimesAndDates() {
        #expect(Self.en.money(Decimal(string: "-1234.565")!) == "-¥1,234.57")
        #expect(Self.en.money(Decimal(string: "-0.001")!) == "¥0.00")
        #expect(NumberStyle(strings: ReportStrings(.en), currency: "CHF").money(12) == "12.00 CHF")
        #expect(Self.en.percent(Decimal(string: "0.33275")!) == "33.3%")
        #expect(Self.en.percent(Decimal(string: "-0.370014")!) == "-37.0%")
        #expect(Self.en.times(Decimal(string: "1.5947")!) == "1.6×")
        #expect(Self.zh.times(Decimal(string: "1.5947")!) == "1.6 倍")
        #expect(Self.en.date(LocalDate(iso: "2025-06-03")!) == "2025-06-03")
        #expect(Self.zh.date(LocalDate(iso: "2025-06-03")!) == "2025年6月3日")
        #expect(Self.en.duration(seconds: 59) == "59 s")
        #expect(Self.zh.duration(seconds: 7200) == "2.0 小时")
        #expect(Self.en.metric(.rate(Decimal(string: "5.93358")!), named: "roas.google") == "5.93")
        #expect(Self.en.metric(.rate(nil), named: "roi.total") == "n/a")
    }
}
