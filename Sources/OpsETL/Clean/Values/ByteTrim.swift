/// Clean/Values: Unicode whitespace trimming on raw UTF-8 field bytes, without copying.
///
/// SPEC §3.3 "Every field is trimmed" and §9 "Trimming removes all Unicode whitespace
/// (NBSP and the ideographic space included)": the set is Unicode's White_Space property
/// (exactly what `Unicode.Scalar.Properties.isWhitespace` reports). Fields arrive as
/// validated UTF-8, so a whitespace scalar is recognised from its byte pattern alone —
/// the only multi-byte members start with C2, E1, E2 or E3.
public enum ByteTrim {
    /// Strips all Unicode White_Space (ASCII \t \n \v \f \r space, U+0085, U+00A0, U+1680, U+2000–U+200A,
    /// U+2028, U+2029, U+202F, U+205F, U+3000) from both ends of UTF-8 bytes; returns a sub-buffer (no copy).
    @inline(__always)
    public static func trim(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        // Nearly every field starts and ends with a visible ASCII byte (0x21…0x7F): nothing to trim.
        if bytes.count > 0, bytes[0] &- 0x21 < 0x5F, bytes[bytes.count - 1] &- 0x21 < 0x5F { return bytes }
        var start = 0
        var end = bytes.count
        while start < end {
            let n = whitespaceLength(at: start, in: bytes, end: end)
            if n == 0 { break }
            start += n
        }
        while end > start {
            let n = whitespaceLength(endingAt: end, in: bytes, start: start)
            if n == 0 { break }
            end -= n
        }
        if start == 0 && end == bytes.count { return bytes }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// A trimmed copy of `text` (for the few places that already hold a `String`, such as header names).
    public static func trim(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { String(decoding: trim($0), as: UTF8.self) }
    }

    /// Whether the scalar is Unicode White_Space.
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Byte length of the whitespace scalar that starts at `index` (before `end`, default the buffer's end), or 0.
    @inline(__always)
    public static func whitespaceLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>, end: Int? = nil) -> Int {
        let end = end ?? bytes.count
        let b0 = bytes[index]
        if b0 < 0x80 { return (b0 == 0x20 || (b0 >= 0x09 && b0 <= 0x0D)) ? 1 : 0 }
        switch b0 {
        case 0xC2:
            guard index + 1 < end else { return 0 }
            let b1 = bytes[index + 1]
            return (b1 == 0x85 || b1 == 0xA0) ? 2 : 0                   // U+0085, U+00A0
        case 0xE1, 0xE2, 0xE3:
            guard index + 2 < end else { return 0 }
            let b1 = bytes[index + 1], b2 = bytes[index + 2]
            switch (b0, b1) {
            case (0xE1, 0x9A): return b2 == 0x80 ? 3 : 0                // U+1680
            case (0xE2, 0x80):
                // U+2000–U+200A, U+2028, U+2029, U+202F
                return ((0x80...0x8A).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) ? 3 : 0
            case (0xE2, 0x81): return b2 == 0x9F ? 3 : 0                // U+205F
            case (0xE3, 0x80): return b2 == 0x80 ? 3 : 0                // U+3000
            default: return 0
            }
        default:
            return 0
        }
    }

    /// Byte length of the whitespace scalar that ends just before `end` (not reaching before `start`), or 0.
    /// Lead bytes C2/E1/E2/E3 are never continuation bytes, so matching the tail pattern is unambiguous.
    @inline(__always)
    public static func whitespaceLength(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>, start: Int = 0) -> Int {
        let last = bytes[end - 1]
        if last < 0x80 { return (last == 0x20 || (last >= 0x09 && last <= 0x0D)) ? 1 : 0 }
        if end - 2 >= start, bytes[end - 2] == 0xC2 {
            return (last == 0x85 || last == 0xA0) ? 2 : 0
        }
        if end - 3 >= start {
            return whitespaceLength(at: end - 3, in: bytes, end: end) == 3 ? 3 : 0
        }
        return 0
    }
}
