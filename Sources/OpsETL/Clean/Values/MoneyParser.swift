/// Clean/Values: `amount` and `spend` fields (trimmed UTF-8 bytes) → exact fixed-point Int64
/// in units of 1/10 000.
///
/// SPEC §3.3 "Money": sums must be exact, never binary floating point; with at most 4
/// decimals every valid amount is an integer number of 1/10 000 units, so one Int64 holds
/// it exactly (±922 337 203 685 477.5807) and sums are plain integer additions.
///
/// Accepted shapes (S = `+`/`-`, C = `¥ ￥ $ € £`, N = the number), per SPEC §9:
/// `N`, `SN`, `CN`, `SCN`, `CSN`, `NC`, `SNC`. N is digits with optional `,` grouping
/// (see `CountParser.groupedInteger`) and an optional `.` with 1–4 digits.
/// A symbol other than the pipeline's `currency` is accepted (SPEC §9).
public enum MoneyParser {
    /// Units per currency unit: values carry exactly 4 decimals.
    public static let scale: Int64 = 10_000

    /// Input already trimmed. Value in units of 1/10_000 (4 decimals max per SPEC), e.g. "¥1,234.50" → 12_345_000,
    /// "-3.5" → -35_000. nil = bad_number (including overflow).
    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var end = b.count
        guard end > 0 else { return nil }
        var negative = false
        var signed = false
        if let s = sign(b[i]) {
            negative = s
            signed = true
            i += 1
        }
        let leading = symbolLength(b, at: i, end: end)
        if leading > 0 {
            i += leading
            // SPEC §9: `$-12` — the sign may follow a leading symbol (but only one sign in all).
            if !signed, i < end, let s = sign(b[i]) {
                negative = s
                i += 1
            }
        } else {
            // SPEC §9: `12$`, `-12$` — a trailing symbol only when there is no leading one.
            end -= trailingSymbolLength(b, from: i, end: end)
        }
        // Everything left must be the number itself: a space (`$ 12`), a second symbol
        // (`$$12`, `$12€`) or a second sign (`--1`) fails here as a non-digit.
        guard let (whole, next) = CountParser.groupedInteger(b, from: i, to: end) else { return nil }
        var fraction: Int64 = 0
        var j = next
        if j < end, b[j] == UInt8(ascii: ".") {
            j += 1
            let digitsStart = j
            while j < end, j - digitsStart < 5 {
                let d = b[j] &- 48
                guard d < 10 else { break }
                fraction = fraction * 10 + Int64(d)
                j += 1
            }
            let count = j - digitsStart
            guard (1...4).contains(count) else { return nil }   // `12.` and 5 decimals are rejects
            for _ in count..<4 { fraction *= 10 }
        }
        guard j == end else { return nil }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: scale)
        let (value, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { return nil }
        return negative ? -value : value                              // `-0` is plain 0
    }

    /// `true` for `-`, `false` for `+`, nil otherwise.
    @inline(__always)
    static func sign(_ byte: UInt8) -> Bool? {
        switch byte {
        case UInt8(ascii: "-"): return true
        case UInt8(ascii: "+"): return false
        default: return nil
        }
    }

    /// Byte length of a currency symbol starting at `i`, or 0.
    /// `$` 24 · `¥` C2 A5 · `£` C2 A3 · `€` E2 82 AC · `￥` EF BF A5.
    @inline(__always)
    static func symbolLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        guard i < end else { return 0 }
        switch b[i] {
        case 0x24:
            return 1
        case 0xC2:
            return i + 1 < end && (b[i + 1] == 0xA5 || b[i + 1] == 0xA3) ? 2 : 0
        case 0xE2:
            return i + 2 < end && b[i + 1] == 0x82 && b[i + 2] == 0xAC ? 3 : 0
        case 0xEF:
            return i + 2 < end && b[i + 1] == 0xBF && b[i + 2] == 0xA5 ? 3 : 0
        default:
            return 0
        }
    }

    /// Byte length of a currency symbol ending just before `end` (and after `from`), or 0.
    @inline(__always)
    static func trailingSymbolLength(_ b: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        guard end > from else { return 0 }
        if b[end - 1] == 0x24 { return 1 }
        if end - 2 >= from, symbolLength(b, at: end - 2, end: end) == 2 { return 2 }
        if end - 3 >= from, symbolLength(b, at: end - 3, end: end) == 3 { return 3 }
        return 0
    }
}
