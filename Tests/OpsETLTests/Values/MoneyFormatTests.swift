import Testing
@testable import OpsETL

/// SPEC §2 `decimal_separator` and `cleaning.round_money`, §3.3 "Money"/"Counts", §9 "Sums never
/// overflow". Values are in 1/10 000 units: 1 234.50 → 12 345 000.
@Suite("MoneyFormat")
struct MoneyFormatTests {
    static let comma = MoneyFormat(decimalSeparator: UInt8(ascii: ","))
    static let rounding = MoneyFormat(roundMoney: true)

    static func money(_ text: String, _ format: MoneyFormat) -> MoneyFormat.Reading {
        ValueTestBytes.with(text) { format.readMoney($0) }
    }

    static func count(_ text: String, _ format: MoneyFormat) -> MoneyFormat.Reading {
        ValueTestBytes.with(text) { format.readCount($0) }
    }

    @Test("decimal comma: `.` or a space groups thousands", arguments: [
        ("1.234,50", 12_345_000), ("1 234,50", 12_345_000), ("1\u{00A0}234,50", 12_345_000), ("1\u{202F}234,50", 12_345_000),
        ("-12,5", -125_000), ("12", 120_000), ("0,0001", 1), ("1.234.567", 12_345_670_000), ("1 234 567,8", 12_345_678_000),
        ("€1.234,50", 12_345_000), ("1.234,50 €".replacingOccurrences(of: " ", with: ""), 12_345_000), ("-$3,5", -35_000),
        ("1234,5", 12_345_000),
    ] as [(String, Int64)])
    func decimalComma(_ text: String, _ units: Int64) {
        #expect(Self.money(text, Self.comma) == .value(units))
    }

    @Test("decimal comma: grouping is exactly three digits, one kind of separator", arguments: [
        "1.23,5", "1.2345,5", "1234.567", "1.234 567", "1 234.567", "12,", ",5", "1,2,3", "1.234,56789", "1..234",
        "1  234", "1,234.50",
    ])
    func decimalCommaRejects(_ text: String) {
        let reading = Self.money(text, Self.comma)
        #expect(reading == .bad || reading == .tooManyDecimals, "\(text): \(reading)")
    }

    @Test("the default `.` reads exactly what MoneyParser reads", arguments: [
        "1,234.50", "-12.5", "$-12", "-12$", "¥1,234", "12.", ".5", "1,23", "1,2345", "1.23456", "1 234.50", "12,5",
        "922337203685477.5807", "922337203685477.5808", "-922337203685477.5807", "abc", "",
    ])
    func defaultMatchesTheFastPath(_ text: String) {
        let fast = ValueTestBytes.with(text) { MoneyParser.parse($0) }
        #expect(Self.money(text, .standard).value == fast)
    }

    @Test("round_money: more than 4 decimals, half away from zero to 4", arguments: [
        ("1.429999948", 14_300), ("0.00005", 1), ("0.00004999", 0), ("-0.00005", -1), ("-1.23455", -12_346),
        ("1.2345", 12_345), ("1.23454999", 12_345), ("0.99995", 10_000), ("9.99999999", 100_000),
    ] as [(String, Int64)])
    func rounds(_ text: String, _ units: Int64) {
        #expect(Self.money(text, Self.rounding) == .value(units))
    }

    @Test("round_money off: 4 decimals read, 5 are tooManyDecimals", arguments: [
        ("1.4299", MoneyFormat.Reading.value(14_299)), ("1.42999", .tooManyDecimals), ("1.429999948", .tooManyDecimals),
        ("0.00005", .tooManyDecimals),
    ])
    func noRounding(_ text: String, _ reading: MoneyFormat.Reading) {
        #expect(Self.money(text, .standard) == reading)
        #expect(Self.money(text, MoneyFormat(decimalSeparator: UInt8(ascii: "."), roundMoney: false)) == reading)
    }

    /// Int64.max = 9 223 372 036 854 775 807 units = 922 337 203 685 477.5807.
    @Test("one value beyond 64 bits in 1/10 000 units is out of range", arguments: [
        ("922337203685477.5808", MoneyFormat.standard), ("922337203685478", .standard), ("-922337203685478", .standard),
        ("99999999999999999999999", .standard), ("99,999,999,999,999,999,999.5", .standard),
        ("922337203685477.58075", rounding), ("922337203685477,5808", comma), ("922.337.203.685.478", comma),
    ] as [(String, MoneyFormat)])
    func outOfRange(_ text: String, _ format: MoneyFormat) {
        #expect(Self.money(text, format) == .outOfRange)
    }

    @Test func largestValuesStillRead() {
        #expect(Self.money("922337203685477.5807", .standard) == .value(Int64.max))
        #expect(Self.money("-922337203685477.5807", .standard) == .value(-Int64.max))
        #expect(Self.money("922337203685477.58074", Self.rounding) == .value(Int64.max))   // rounds down
    }

    @Test("counts: grouped like money, unsigned; beyond Int64 out of range", arguments: [
        ("1,234", MoneyFormat.standard, MoneyFormat.Reading.value(1_234)), ("1.234", comma, .value(1_234)),
        ("1 234 567", comma, .value(1_234_567)), ("9223372036854775807", .standard, .value(Int64.max)),
        ("9223372036854775808", .standard, .outOfRange), ("9.223.372.036.854.775.808", comma, .outOfRange),
        ("-1", .standard, .bad), ("1,5", comma, .bad), ("1.5", .standard, .bad), ("1,23", .standard, .bad),
    ])
    func counts(_ text: String, _ format: MoneyFormat, _ reading: MoneyFormat.Reading) {
        #expect(Self.count(text, format) == reading)
    }
}
