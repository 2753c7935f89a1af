import Foundation
import Testing
@testable import OpsETL

/// SPEC §9 "Rounding is half away from zero, applied once to the exact value" and §7 number formats.
@Suite("FixedPoint")
struct FixedPointTests {
    @Test("format(units, scale:, decimals:)", arguments: [
        (12_345_000, 4, 2, "1234.50"),
        (0, 4, 2, "0.00"),
        (-5, 4, 2, "0.00"),                    // −0.0005 → 0.00, never "-0.00"
        (-49, 4, 2, "0.00"),
        (49, 4, 2, "0.00"),
        (50, 4, 2, "0.01"),                    // exact tie 0.005 → away from zero
        (-50, 4, 2, "-0.01"),
        (125, 4, 2, "0.01"),                   // 0.0125 → 0.01
        (150, 4, 2, "0.02"),                   // 0.015 → 0.02 (not banker's 0.02/0.01)
        (250, 4, 2, "0.03"),                   // 0.025 → 0.03, banker's would give 0.02
        (-250, 4, 2, "-0.03"),
        (-35_000, 4, 2, "-3.50"),
        (999_949, 4, 2, "99.99"),
        (999_950, 4, 2, "100.00"),             // carry into the whole part
        (-999_950, 4, 2, "-100.00"),
        (5, 1, 0, "1"),                        // 0.5
        (-5, 1, 0, "-1"),
        (15, 1, 0, "2"),
        (25, 1, 0, "3"),
        (-25, 1, 0, "-3"),
        (-4, 1, 0, "0"),
        (12_345, 0, 2, "12345.00"),            // fewer stored decimals than written: pad
        (123, 2, 4, "1.2300"),
        (-1, 0, 0, "-1"),
        (1_000_000, 6, 6, "1.000000"),
        (7, 6, 6, "0.000007"),
        (-7, 6, 6, "-0.000007"),
        (15, 2, 1, "0.2"),                     // median seconds, 1 decimal
        (Int64.max, 4, 2, "922337203685477.58"),
        (Int64.min, 4, 2, "-922337203685477.58"),
        (Int64.min, 0, 0, "-9223372036854775808"),
        (Int64.max, 18, 2, "9.22"),
        (Int64.min, 18, 0, "-9"),
    ] as [(Int64, Int, Int, String)])
    func formatUnits(_ units: Int64, _ scale: Int, _ decimals: Int, _ expected: String) {
        #expect(FixedPoint.format(units, scale: scale, decimals: decimals) == expected)
    }

    @Test("ratio(num, den, decimals:)", arguments: [
        (1, 3, 6, "0.333333"),
        (2, 3, 6, "0.666667"),
        (1, 8, 2, "0.13"),                     // 0.125 tie → away from zero
        (-1, 8, 2, "-0.13"),
        (1, -8, 2, "-0.13"),
        (-1, -8, 2, "0.13"),
        (3, 8, 2, "0.38"),                     // 0.375
        (0, 5, 6, "0.000000"),
        (5, 5, 6, "1.000000"),
        (10, 4, 6, "2.500000"),
        (5, 3, 1, "1.7"),
        (1, 2_000_000, 6, "0.000001"),         // 0.0000005 tie
        (-1, 2_000_000, 6, "-0.000001"),
        (1, 3_000_000, 6, "0.000000"),
        (-1, 3_000_000, 6, "0.000000"),        // rounds to zero: no sign
        (7, 2, 0, "4"),
        (3, 2, 0, "2"),
        (-3, 2, 0, "-2"),
        (1, 3, 0, "0"),
        (2, 3, 0, "1"),
        (1_735, 100, 2, "17.35"),
        (Int64.max, 1, 6, "9223372036854775807.000000"),
        (Int64.min, 1, 2, "-9223372036854775808.00"),
        (Int64.min, -1, 0, "9223372036854775808"),
        (Int64.max, Int64.max, 6, "1.000000"),
        (Int64.max - 1, Int64.max, 18, "1.000000000000000000"),  // 0.99…9989 → carries to 1
        (1, Int64.max, 18, "0.000000000000000000"),
        (Int64.max, 2, 18, "4611686018427387903.500000000000000000"),
    ] as [(Int64, Int64, Int, String)])
    func ratio(_ num: Int64, _ den: Int64, _ decimals: Int, _ expected: String) {
        #expect(FixedPoint.ratio(num, den, decimals: decimals) == expected)
    }

    @Test("ratio with a zero denominator is null", arguments: [0, 1, -1, Int64.max] as [Int64])
    func ratioByZero(_ num: Int64) {
        #expect(FixedPoint.ratio(num, 0, decimals: 6) == nil)
    }

    @Test("format(Decimal, decimals:)", arguments: [
        ("1234.5", 2, "1234.50"),
        ("2.345", 2, "2.35"),
        ("-2.345", 2, "-2.35"),
        ("2.344999", 2, "2.34"),
        ("-0.004", 2, "0.00"),
        ("-0.005", 2, "-0.01"),
        ("0", 2, "0.00"),
        ("0", 0, "0"),
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        ("3.5", 0, "4"),
        ("0.5", 1, "0.5"),
        ("99.995", 2, "100.00"),
        ("12.3400", 6, "12.340000"),
        ("0.00000001", 2, "0.00"),
        ("0.0000005", 6, "0.000001"),
        ("123.456789", 6, "123.456789"),
        ("1e30", 0, "1000000000000000000000000000000"),
        ("1e30", 2, "1000000000000000000000000000000.00"),
        ("-1234567890123.45", 2, "-1234567890123.45"),
        ("0.1", 2, "0.10"),
    ] as [(String, Int, String)])
    func formatDecimal(_ text: String, _ decimals: Int, _ expected: String) throws {
        let value = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
        #expect(FixedPoint.format(value, decimals: decimals) == expected)
    }

    @Test func decimalNaNIsEmpty() {
        #expect(FixedPoint.format(Decimal.nan, decimals: 2) == "")
    }
}
