/// Clean/Values: `impressions` and `clicks` fields (trimmed UTF-8 bytes) → a non-negative Int64.
///
/// SPEC §3.3 "Counts: non-negative integers, `,` separators allowed" and §9 "Counts group like
/// money, unsigned": digits with optional `,` thousands separators (first group 1–3 digits,
/// then groups of exactly three), no sign, no decimals, no symbol. The digit-group scanner
/// here is shared with `MoneyParser`, so both read `1,234` by the same rule.
public enum CountParser {
    /// Input already trimmed. Non-negative integer, `,` grouping exactly like money, no sign, no decimals. nil = bad.
    @inline(__always)
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let (value, next) = groupedInteger(bytes, from: 0, to: bytes.count), next == bytes.count else {
            return nil
        }
        return value
    }

    /// Reads `d{1,}` or `d{1,3}(,ddd)+` starting at `from`; returns the value and the index after it.
    /// Nil when no digit starts there, a group is malformed (`1,23`, `1234,567`, `1,`) or the value
    /// overflows Int64. A group followed by a fourth digit (`1,2345`) ends the scan at that digit,
    /// which the caller then rejects as trailing garbage.
    @inline(__always)
    static func groupedInteger(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> (Int64, Int)? {
        var i = from
        var value: Int64 = 0
        while i < end {
            let d = b[i] &- 48
            guard d < 10 else { break }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            value = s
            i += 1
        }
        let firstGroup = i - from
        guard firstGroup >= 1 else { return nil }
        guard i < end, b[i] == UInt8(ascii: ",") else { return (value, i) }
        guard firstGroup <= 3 else { return nil }
        while i < end, b[i] == UInt8(ascii: ",") {
            guard i + 4 <= end else { return nil }          // `,` plus exactly three digits
            var group: Int64 = 0
            for k in 1...3 {
                let d = b[i + k] &- 48
                guard d < 10 else { return nil }
                group = group * 10 + Int64(d)
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 1000)
            let (s, o2) = m.addingReportingOverflow(group)
            guard !o1, !o2 else { return nil }
            value = s
            i += 4
        }
        return (value, i)
    }
}
