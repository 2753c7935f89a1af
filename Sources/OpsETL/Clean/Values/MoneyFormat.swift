/// Clean/Values: how one input writes numbers — `inputs.X.decimal_separator` and
/// `cleaning.round_money` (SPEC §2, §3.3 "Money" and "Counts", §9 "Sums never overflow") — and the
/// reader for money and counts under those settings.
///
/// The defaults (`.` and no rounding) read exactly what `MoneyParser.parse` and `CountParser.parse`
/// read, and the cleaners call those fast paths then. Otherwise `read` is used, a byte walk that
/// also tells *why* a value is not read (`tooManyDecimals`, `outOfRange`), which the reject
/// diagnosis reuses:
/// - with `decimalSeparator` `,` the roles swap: `,` is the decimal point and thousands are grouped
///   by `.` or a space (U+0020, U+00A0, U+202F), one kind of separator per value, groups of exactly
///   three digits after a first group of 1–3 (`1.234,50`, `1 234,50`);
/// - with `roundMoney`, more than 4 decimals are rounded half away from zero to 4 (`1.429999948` →
///   1.4300, `0.00005` → 0.0001), else they are `tooManyDecimals`;
/// - a value whose magnitude in 1/10 000 units does not fit 64 bits is `outOfRange`.
public struct MoneyFormat: Sendable, Equatable {
    /// `.` (default) or `,`.
    public var decimalSeparator: UInt8
    public var roundMoney: Bool

    public init(decimalSeparator: UInt8 = UInt8(ascii: "."), roundMoney: Bool = false) {
        self.decimalSeparator = decimalSeparator
        self.roundMoney = roundMoney
    }

    public static let standard = MoneyFormat()

    /// True when the fast paths read exactly what `read` would.
    public var isStandard: Bool { self == .standard }

    public enum Reading: Sendable, Equatable {
        case value(Int64)
        /// More than 4 decimals without `round_money`.
        case tooManyDecimals
        /// Beyond 64 bits in 1/10 000 units (money) or beyond 64 bits (counts).
        case outOfRange
        case bad

        public var value: Int64? {
            if case .value(let v) = self { return v }
            return nil
        }
    }

    // MARK: Money

    /// Money under this format (SPEC §3.3, §9): the sign and symbol shapes of `MoneyParser`, then
    /// the number with this format's separators.
    public func readMoney(_ b: UnsafeBufferPointer<UInt8>) -> Reading {
        var i = 0
        var end = b.count
        guard end > 0 else { return .bad }
        var negative = false
        var signed = false
        if let s = MoneyParser.sign(b[i]) {
            negative = s
            signed = true
            i += 1
        }
        let leading = MoneyParser.symbolLength(b, at: i, end: end)
        if leading > 0 {
            i += leading
            if !signed, i < end, let s = MoneyParser.sign(b[i]) {
                negative = s
                i += 1
            }
        } else {
            end -= MoneyParser.trailingSymbolLength(b, from: i, end: end)
        }
        guard let (whole, next) = groupedInteger(b, from: i, to: end) else { return .bad }
        var j = next
        var fraction: Int64 = 0
        var roundUp = false
        var manyDecimals = false
        if j < end, b[j] == decimalSeparator {
            j += 1
            let start = j
            while j < end, b[j] &- 48 < 10 {
                let d = Int64(b[j] &- 48)
                let k = j - start
                if k < 4 {
                    fraction = fraction * 10 + d
                } else if k == 4 {
                    roundUp = d >= 5                  // half away from zero: the exact value's 5th decimal decides
                }
                j += 1
            }
            let count = j - start
            guard count >= 1 else { return .bad }     // `12.`
            for _ in min(count, 4)..<4 { fraction *= 10 }
            manyDecimals = count > 4
        }
        guard j == end else { return .bad }
        // The magnitude first, so an out-of-range value says so whatever its decimals.
        guard let whole else { return .outOfRange }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: MoneyParser.scale)
        let (sum, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { return .outOfRange }
        if manyDecimals && !roundMoney { return .tooManyDecimals }
        var value = sum
        if manyDecimals && roundUp {
            let (up, o3) = value.addingReportingOverflow(1)
            guard !o3 else { return .outOfRange }
            value = up
        }
        return .value(negative ? -value : value)
    }

    // MARK: Counts

    /// A count under this format: unsigned, grouped like money, no decimals (SPEC §9).
    public func readCount(_ b: UnsafeBufferPointer<UInt8>) -> Reading {
        guard let (value, next) = groupedInteger(b, from: 0, to: b.count), next == b.count else { return .bad }
        guard let value else { return .outOfRange }
        return .value(value)
    }

    /// `d+` or `d{1,3}(G ddd)+` from `from`, G a grouping separator of this format (one kind per
    /// value); the value (nil when it does not fit Int64) and the index after it. Nil when no digit
    /// starts there or a group is malformed.
    func groupedInteger(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> (Int64?, Int)? {
        var i = from
        var value: Int64? = 0
        @inline(__always) func push(_ d: UInt8) {
            guard let v = value else { return }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            value = o1 || o2 ? nil : s
        }
        while i < end, b[i] &- 48 < 10 {
            push(b[i] &- 48)
            i += 1
        }
        let firstGroup = i - from
        guard firstGroup >= 1 else { return nil }
        guard let first = groupSeparatorLength(b, at: i, end: end) else { return (value, i) }
        guard firstGroup <= 3 else { return nil }
        let separator = Array(b[i..<(i + first)])
        while i < end, let length = groupSeparatorLength(b, at: i, end: end) {
            guard length == separator.count, b[i..<(i + length)].elementsEqual(separator) else { return nil }
            i += length
            guard i + 3 <= end else { return nil }
            for k in 0..<3 {
                let d = b[i + k] &- 48
                guard d < 10 else { return nil }
                push(d)
            }
            i += 3
        }
        return (value, i)
    }

    /// Length of a thousands separator at `i`: `,` with the `.` decimal point; `.`, a space, U+00A0
    /// (C2 A0) or U+202F (E2 80 AF) with the `,` decimal point.
    @inline(__always)
    func groupSeparatorLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        guard i < end else { return nil }
        if decimalSeparator == UInt8(ascii: ".") { return b[i] == UInt8(ascii: ",") ? 1 : nil }
        switch b[i] {
        case UInt8(ascii: "."), UInt8(ascii: " "): return 1
        case 0xC2 where i + 1 < end && b[i + 1] == 0xA0: return 2
        case 0xE2 where i + 2 < end && b[i + 1] == 0x80 && b[i + 2] == 0xAF: return 3
        default: return nil
        }
    }
}
