import Testing
@testable import OpsETL

/// SPEC §9: control characters and bidirectional overrides from the data never reach a report or
/// a terminal raw — they become `\u{1B}`-style escapes; error lines quote at most 200 characters.
@Suite struct VisibleTextTests {
    @Test(arguments: [
        ("\u{1B}[2J", #"\u{1B}[2J"#),
        ("a\u{0}b", #"a\u{0}b"#),
        ("\u{1}\u{1F}", #"\u{1}\u{1F}"#),
        ("\u{7F}", #"\u{7F}"#),
        ("\u{80}\u{85}\u{9F}", #"\u{80}\u{85}\u{9F}"#),
        ("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}", #"\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}"#),
        ("\u{2066}\u{2067}\u{2068}\u{2069}", #"\u{2066}\u{2067}\u{2068}\u{2069}"#),
        ("x\u{FFFF}y\u{FFFE}", #"x\u{FFFF}y\u{FFFE}"#),
        // left alone: tab, LF, CR, printable text of any script, neighbours of the escaped ranges
        ("a\tb\nc\rd", "a\tb\nc\rd"),
        ("héllo 世界 …–— \u{A0}\u{2029}\u{2065}\u{206A}\u{2029}\u{FFFD}", "héllo 世界 …–— \u{A0}\u{2029}\u{2065}\u{206A}\u{2029}\u{FFFD}"),
        ("", ""),
    ])
    func escapes(text: String, expected: String) {
        #expect(VisibleText.escaped(text) == expected)
    }

    @Test func clipsAValueAt200Characters() {
        let digits = String(repeating: "1234567890", count: 1_000)
        #expect(VisibleText.clipped(digits) == String(repeating: "1234567890", count: 20) + "… (9800 more characters)")
        let exactly = String(repeating: "é", count: 200)
        #expect(VisibleText.clipped(exactly) == exactly)
    }

    /// The error line of a terminal: every escape of `VisibleText`, plus line breaks.
    @Test func errorLinesEscapeBidiOverridesToo() {
        #expect(OpsError.runtime("a\u{202E}b\u{1B}c\nd").message == #"a\u{202E}b\u{1B}c\nd"#)
    }
}
