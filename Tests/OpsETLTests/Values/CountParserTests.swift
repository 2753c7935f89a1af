import Testing
@testable import OpsETL

/// SPEC §3.3 "Counts" and §9 "Counts group like money, unsigned".
@Suite("CountParser")
struct CountParserTests {
    static func parse(_ text: String) -> Int64? {
        ValueTestBytes.with(text) { CountParser.parse($0) }
    }

    @Test("accepted", arguments: [
        ("0", 0),
        ("42", 42),
        ("001", 1),
        ("999", 999),
        ("1,234", 1_234),
        ("12,345", 12_345),
        ("1,234,567", 1_234_567),
        ("1234567", 1_234_567),
        ("9223372036854775807", Int64.max),
        ("9,223,372,036,854,775,807", Int64.max),
    ] as [(String, Int64)])
    func accepts(_ text: String, _ expected: Int64) {
        #expect(Self.parse(text) == expected)
    }

    @Test("rejected", arguments: [
        "", "-1", "+1", "-0", "1.0", "1.", ".5", "1,23", "1,2345", "1234,567", ",123", "12,", "1,,234",
        "1 000", "$5", "5$", "abc", "1e3", "１２",
        "9223372036854775808", "9,223,372,036,854,775,808", "99999999999999999999",
    ])
    func rejects(_ text: String) {
        #expect(Self.parse(text) == nil)
    }
}
