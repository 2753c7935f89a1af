import Testing
@testable import OpsETL

/// SPEC §3.3 "Money" and §9 "Parsing": values in units of 1/10 000.
@Suite("MoneyParser")
struct MoneyParserTests {
    static func parse(_ text: String) -> Int64? {
        ValueTestBytes.with(text) { MoneyParser.parse($0) }
    }

    @Test("accepted", arguments: [
        ("¥1,234.50", 12_345_000),
        ("-3.5", -35_000),
        ("$-12", -120_000),
        ("-$12", -120_000),
        ("-12$", -120_000),
        ("1,234,567.8901", 12_345_678_901),
        ("￥12", 120_000),
        ("12€", 120_000),
        ("12￥", 120_000),
        ("€1.5", 15_000),
        ("1.5£", 15_000),
        ("£0.01", 100),
        ("12", 120_000),
        ("0", 0),
        ("-0", 0),                        // `-0` is plain 0
        ("+0", 0),
        ("-0.00", 0),
        ("+5", 50_000),
        ("+$5", 50_000),
        ("$+5", 50_000),
        ("0.0001", 1),
        ("-0.0001", -1),
        ("12.3456", 123_456),
        ("12.30", 123_000),
        ("1234567", 12_345_670_000),
        ("1,000", 10_000_000),
        ("999", 9_990_000),
        ("007", 70_000),
        ("¥-1,234.5", -12_345_000),
        ("-1,234.5¥", -12_345_000),
        ("-¥1,234.5", -12_345_000),
        ("922337203685477.5807", Int64.max),
        ("922,337,203,685,477.5807", Int64.max),
        ("-922337203685477.5807", -Int64.max),
    ] as [(String, Int64)])
    func accepts(_ text: String, _ expected: Int64) {
        #expect(Self.parse(text) == expected)
    }

    @Test("rejected (bad_number)", arguments: [
        "", "-", "+", "$", "¥", "￥", "€", "£", "-$", "$-", "+-1", "-+1", "--1", "++1",
        // grouping other than exactly three
        "1,23", "1,2345", "1,234,56", "1234,567", ",123", "12,", "1,,234", "1,234,5678",
        // decimals: none before or after the point, more than 4, two points
        ".5", "12.", "1,234.", "1.23456", "1,234.56789", "1.2.3", "12.5.",
        // spaces, two symbols, misplaced signs
        "$ 12", "¥ 12", "12 $", "12 ¥", "- 12", "1 234", "$$12", "$12€", "$12$", "12$$", "€-12€",
        "12-", "12$-", "12-$", "-$-12", "$-12$", "(12)",
        // not numbers
        "abc", "1e3", "0x10", "NaN", "12¢", "１２", "١٢",
        // overflow (Int64.min itself is out too: sums of it would overflow anyway)
        "922337203685477.5808", "-922337203685477.5808", "99999999999999999999",
    ])
    func rejects(_ text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test func scaleIsFourDecimals() {
        #expect(MoneyParser.scale == 10_000)
    }
}
