import Testing
@testable import OpsETL

/// The CSV writer: RFC 4180 quoting only where needed; SPEC §9's formula guard on text cells —
/// a cell a spreadsheet would evaluate gets a leading `'`, a plain decimal number never does —
/// and visible escapes for control characters; numbers opsetl formats are written as they are.
@Suite struct CSVTableTests {
    @Test(arguments: [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("=1+1", "'=1+1"),
        ("+1-555-0100", "'+1-555-0100"),
        ("@cmd", "'@cmd"),
        ("|x", "'|x"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),                          // CR also needs quoting: the guard goes inside the quotes
        // OWASP's "-<digit>" payloads, which the old rule let through:
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("-1+1", "'-1+1"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("-", "'-"),
        ("-.5", "'-.5"),
        ("-1e5", "'-1e5"),
        ("-3.", "'-3."),
        ("+", "'+"),
        // the full-width forms
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠x", "'＠x"),
        // spaces before a formula character (ASCII, no-break, ideographic)
        (" =x", "' =x"),
        ("   =1+1", "'   =1+1"),
        (" -3.50", "' -3.50"),                        // not entirely a number: the spaces are part of it
        ("\u{00A0}=1+1", "'\u{00A0}=1+1"),
        ("\u{3000}＝1+1", "'\u{3000}＝1+1"),
        ("  \t", "'  \t"),
        ("=1,2", "\"'=1,2\""),
        ("=\"x\"", "\"'=\"\"x\"\"\""),
    ])
    func formulaCellsGetALeadingQuote(cell: String, written: String) {
        var table = CSVTable(header: ["a"])
        table.append([.text(cell)])
        #expect(table.text == "a\n\(written)\n")
    }

    @Test(arguments: [
        // entirely a plain decimal number: not a formula
        "-3.50", "+12", "-12", "+0.5", "-0.370014", "0", "12.5",
        // no formula character first
        "a=b", "'quoted", "", "facebook", "2025-01-01", "1e5", "   ", "a-1", "x＝1", "¥-12",
    ])
    func otherTextCellsAreWrittenAsTheyAre(cell: String) {
        var table = CSVTable(header: ["a"])
        table.append([.text(cell)])
        #expect(table.text == "a\n\(cell)\n")
    }

    @Test func numbersOpsetlFormatsAreWrittenAsTheyAre() {
        var table = CSVTable(header: ["n", "m", "c"])
        table.append([.number("-3.50"), .number("-0.370014"), .count(-12)])
        #expect(table.text == "n,m,c\n-3.50,-0.370014,-12\n")
    }

    /// The `[String?]` form: every value is text, so a guarded value is guarded there too.
    @Test func stringRowsAreText() {
        var table = CSVTable(header: ["a", "b", "c"])
        table.append(["-1+1", "-3.50", nil])
        #expect(table.text == "a,b,c\n'-1+1,-3.50,\n")
    }

    @Test func nullIsAnEmptyFieldAndQuotingOnlyWhereNeeded() {
        var table = CSVTable(header: ["a", "b", "c"])
        table.append([.null, .text("x,y"), .text("line\nbreak")])
        #expect(table.text == "a,b,c\n,\"x,y\",\"line\nbreak\"\n")
    }

    /// SPEC §9: control characters from the data are written as visible escapes in a text cell;
    /// tab, LF and CR are kept (quoted where RFC 4180 needs it).
    @Test(arguments: [
        ("a\u{1B}[31mb", #"a\u{1B}[31mb"#),
        ("a\u{0}b", #"a\u{0}b"#),
        ("\u{202E}gnp.exe", #"\u{202E}gnp.exe"#),
        ("a\u{2066}b\u{2069}", #"a\u{2066}b\u{2069}"#),
        ("a\u{7F}b\u{85}c\u{9F}", #"a\u{7F}b\u{85}c\u{9F}"#),
        ("a\tb", "a\tb"),
        ("a\r\nb", "\"a\r\nb\""),
        // an escape at the start is no formula: a backslash leads
        ("\u{1B}=1+1", #"\u{1B}=1+1"#),
    ])
    func controlCharactersAreVisible(cell: String, written: String) {
        var table = CSVTable(header: ["a"])
        table.append([.text(cell)])
        #expect(table.text == "a\n\(written)\n")
    }
}
