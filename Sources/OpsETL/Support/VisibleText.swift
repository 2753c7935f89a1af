/// Support: text from the data made safe to show — every output that a person reads (report,
/// CSV cell, terminal line) → the same text with invisible or reordering characters written as
/// visible escapes (SPEC §9 "Control characters … never reach a report or a terminal raw").
///
/// Escaped: C0 controls other than tab, LF and CR; DEL; C1 controls (U+0080–U+009F); the
/// bidirectional embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069, which can
/// make a name read backwards (`‮cod.exe` shown as `exe.doc`); and the two noncharacters
/// U+FFFE and U+FFFF, which XML 1.0 forbids (`report.html` must always parse). Each becomes `\u{1B}` — Swift's
/// spelling, upper-case hex, as SPEC §9 writes it. Tab, LF and CR are left alone here: each
/// output decides what a line break means for it (a CSV quotes it, an error line escapes it).
/// A backslash is not doubled: the escapes are for reading, and doubling every `\` would change
/// ordinary values such as Windows paths.
///
/// Error lines also clip values (`quotedValue`): a 10 000-digit number in a pipeline file is
/// echoed as its first 200 characters, never whole (SPEC §9).
public enum VisibleText {
    /// True for a scalar that `escaped` rewrites.
    @inline(__always)
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        if v < 0x7F { return false }
        return v <= 0x9F || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFFFE || v == 0xFFFF
    }

    /// `\u{1B}` for one scalar.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
    }

    /// `text` with every scalar of `needsEscape` written as `\u{…}`; the same string when there is none.
    public static func escaped(_ text: String) -> String {
        // Fast path: almost every value is plain; the check reads UTF-8 bytes only.
        guard mayNeedEscape(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// False only when no scalar of `text` can need an escape: every byte is printable ASCII,
    /// tab, LF, CR, or part of a scalar above U+009F that is no bidi control (their UTF-8 forms
    /// are E2 80 AA–AE and E2 81 A6–A9; C1 controls are C2 80–9F; U+FFFE/U+FFFF are EF BF BE/BF).
    static func mayNeedEscape(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previous: UInt8 = 0
            var beforePrevious: UInt8 = 0
            for b in bytes {
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return true }
                if b == 0x7F { return true }
                if previous == 0xC2 && b >= 0x80 && b <= 0x9F { return true }
                if beforePrevious == 0xE2 {
                    if previous == 0x80 && b >= 0xAA && b <= 0xAE { return true }
                    if previous == 0x81 && b >= 0xA6 && b <= 0xA9 { return true }
                }
                if beforePrevious == 0xEF && previous == 0xBF && b >= 0xBE { return true }
                beforePrevious = previous
                previous = b
            }
            return false
        }
    }

    /// At most this many characters of a value are quoted in an error line (SPEC §9).
    public static let maxQuotedCharacters = 200

    /// `value` cut to `maxQuotedCharacters` characters, followed by `…` and how many characters
    /// were left out when it was longer; for error lines (a value the data or the pipeline file
    /// holds, quoted back to the user).
    public static func clipped(_ value: String, limit: Int = maxQuotedCharacters) -> String {
        guard value.count > limit else { return value }
        return String(value.prefix(limit)) + "… (\(value.count - limit) more characters)"
    }
}
