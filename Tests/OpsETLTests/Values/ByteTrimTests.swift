import Testing
@testable import OpsETL

/// SPEC §3.3 "Every field is trimmed", §9 "Trimming removes all Unicode whitespace".
@Suite("ByteTrim")
struct ByteTrimTests {
    @Test("trims Unicode whitespace at both ends, keeps inner text", arguments: [
        ("abc", "abc"),
        ("", ""),
        (" ", ""),
        ("   \t\n\r\u{0B}\u{0C} ", ""),
        (" \tabc\n", "abc"),
        ("\r\nabc\r\n", "abc"),
        ("\u{00A0}abc\u{00A0}", "abc"),             // NBSP
        ("\u{3000}微信\u{3000}", "微信"),              // ideographic space
        ("\u{3000}\u{00A0} \t", ""),
        ("a b", "a b"),
        ("  a \u{3000} b  ", "a \u{3000} b"),         // inner whitespace kept
        ("\u{0085}x\u{0085}", "x"),                   // NEL
        ("\u{1680}x\u{2000}\u{2001}\u{200A}", "x"),
        ("\u{2028}x\u{2029}", "x"),
        ("\u{202F}x\u{205F}", "x"),
        ("\u{200B}x\u{200B}", "\u{200B}x\u{200B}"),   // ZERO WIDTH SPACE is not White_Space
        ("\u{FEFF}x", "\u{FEFF}x"),                   // nor is the BOM
        ("é ", "é"),
        (" ¥12", "¥12"),
        ("x\u{00A9}", "x\u{00A9}"),                   // C2 A9 looks like C2 A0 but is ©
        ("x\u{2030}", "x\u{2030}"),                   // E2 80 B0 (‰) is not whitespace
        ("x\u{300C}", "x\u{300C}"),                   // E3 80 8C 「 is not whitespace
    ])
    func trims(_ input: String, _ expected: String) {
        #expect(ValueTestBytes.trimmed(input) == expected)
    }

    @Test func trimReturnsASubBufferWithoutCopying() {
        ValueTestBytes.with("\u{00A0} ab \t") { raw in
            let t = ByteTrim.trim(raw)
            #expect(t.count == 2)
            #expect(t.baseAddress == raw.baseAddress! + 3)
        }
    }

    @Test func stringOverload() {
        #expect(ByteTrim.trim("\u{3000} Order ID \t") == "Order ID")
    }

    /// Every Unicode scalar: recognised from its bytes exactly when Swift's White_Space property says so.
    @Test func agreesWithUnicodeWhiteSpaceForEveryScalar() {
        var mismatches: [UInt32] = []
        var buffer: [UInt8] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            buffer.removeAll(keepingCapacity: true)
            UTF8.encode(scalar) { buffer.append($0) }
            let expected = scalar.properties.isWhitespace
            let (fromStart, fromEnd, trimmedEmpty) = buffer.withUnsafeBufferPointer { b in
                (ByteTrim.whitespaceLength(at: 0, in: b),
                 ByteTrim.whitespaceLength(endingAt: b.count, in: b),
                 ByteTrim.trim(b).isEmpty)
            }
            let ok = fromStart == (expected ? buffer.count : 0)
                && fromEnd == (expected ? buffer.count : 0)
                && trimmedEmpty == expected
                && ByteTrim.isWhitespace(scalar) == expected
            if !ok { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty, "scalars: \(mismatches.map { String($0, radix: 16) })")
    }
}
