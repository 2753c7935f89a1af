import Testing
@testable import OpsETL

/// The CSV writer: RFC 4180 quoting only where needed, and OWASP's CSV-injection guard —
/// a cell a spreadsheet would evaluate gets a leading `'`, numbers never do.
@Suite struct CSVTableTests {
    @Test(arguments: [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1-555-0100", "'+1-555-0100"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),                          // CR also needs quoting: the guard goes inside the quotes
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("-", "'-"),
        ("-.5", "'-.5"),
        ("=1,2", "\"'=1,2\""),
        ("=\"x\"", "\"'=\"\"x\"\"\""),
    ])
    func formulaCellsGetALeadingQuote(cell: String, written: String) {
        var table = CSVTable(header: ["a"])
        table.append([cell])
        #expect(table.text == "a\n\(written)\n")
    }

    @Test(arguments: ["-3.50", "-0.370014", "-12", "0", "12.5", "a=b", " =x", "'quoted", "", "facebook", "2025-01-01"])
    func otherCellsAreWrittenAsTheyAre(cell: String) {
        var table = CSVTable(header: ["a"])
        table.append([cell])
        #expect(table.text == "a\n\(cell)\n")
    }

    @Test func nullIsAnEmptyFieldAndQuotingOnlyWhereNeeded() {
        var table = CSVTable(header: ["a", "b", "c"])
        table.append([nil, "x,y", "line\nbreak"])
        #expect(table.text == "a,b,c\n,\"x,y\",\"line\nbreak\"\n")
    }
}
