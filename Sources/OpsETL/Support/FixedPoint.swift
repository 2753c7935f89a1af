import Foundation

/// Support: exact decimal text for output numbers (money with 2 decimals, rates with 6,
/// medians with 1) from integers or `Decimal`, never through `Double`.
///
/// SPEC §9 "Rounding is half away from zero, applied once to the exact value when it is
/// written" and §7 "Numbers in CSV": every value is rounded here and only here, from its
/// exact integer or decimal form. Output is plain ASCII: `-` for negatives, no plus sign,
/// no exponent, no grouping, no locale, and never `-0.00` (a value that rounds to zero is
/// written unsigned).
public enum FixedPoint {
    /// 10^0 … 10^38 (10^38 is the largest power of ten a UInt128 holds).
    static let powersOfTen: [UInt128] = (0...38).map { k in (0..<k).reduce(UInt128(1)) { acc, _ in acc * 10 } }

    /// `units` is a value scaled by 10^scale; writes it with `decimals` decimals, rounding half away from zero
    /// (SPEC §9: rounding applied once to the exact value). `format(12_345_000, scale: 4, decimals: 2) == "1234.50"`;
    /// a negative value that rounds to zero is written `0.00`, never `-0.00`.
    ///
    /// Any integer type up to 128 bits: totals are `Int128` (SPEC §9 "Sums never overflow"),
    /// single values `Int64`, counts `Int`.
    ///
    /// - Precondition: `scale` in 0...38, `decimals` ≥ 0.
    public static func format<Units: BinaryInteger>(_ units: Units, scale: Int, decimals: Int) -> String {
        precondition((0...38).contains(scale) && decimals >= 0, "FixedPoint.format: scale \(scale), decimals \(decimals)")
        let value = Int128(units)
        var magnitude = value.magnitude
        var kept = scale                       // decimals actually carried by `magnitude`
        if decimals < scale {
            let divisor = powersOfTen[scale - decimals]
            let (q, r) = magnitude.quotientAndRemainder(dividingBy: divisor)
            // half away from zero on the magnitude: r ≥ divisor/2 exactly, without overflow
            magnitude = r >= divisor - r ? q + 1 : q
            kept = decimals
        }
        let (whole, fraction) = magnitude.quotientAndRemainder(dividingBy: powersOfTen[kept])
        return write(negative: value < 0 && magnitude != 0, whole: whole,
                     fraction: fraction, fractionDigits: kept, decimals: decimals)
    }

    /// Exact ratio num/den with `decimals` decimals, half away from zero, nil when den == 0.
    ///
    /// Pure integer long division: the whole part is `|num| / |den|` and the fraction digits
    /// come from `remainder × 10^decimals / |den|` in 256-bit arithmetic (`multipliedFullWidth` /
    /// `dividingFullWidth` on UInt128), so no pair of 128-bit integers can overflow.
    ///
    /// - Precondition: `decimals` in 0...38.
    public static func ratio<Num: BinaryInteger, Den: BinaryInteger>(_ num: Num, _ den: Den, decimals: Int) -> String? {
        precondition((0...38).contains(decimals), "FixedPoint.ratio: decimals \(decimals)")
        let (numerator, denominator) = (Int128(num), Int128(den))
        guard denominator != 0 else { return nil }
        let n = numerator.magnitude, d = denominator.magnitude
        let (quotient, remainder) = n.quotientAndRemainder(dividingBy: d)
        var whole = quotient
        let scale = powersOfTen[decimals]
        // remainder < d, so remainder × 10^decimals / d < 10^decimals: the high word is below d.
        let product = remainder.multipliedFullWidth(by: scale)
        var (fraction, rest) = d.dividingFullWidth(product)
        if rest >= d - rest {                   // rest ≥ d/2: round the magnitude up
            fraction += 1
            if fraction == scale {
                fraction = 0
                whole += 1                      // ≤ 2^127 + 1: fits UInt128
            }
        }
        let negative = (numerator < 0) != (denominator < 0) && (whole != 0 || fraction != 0)
        return write(negative: negative, whole: whole, fraction: fraction,
                     fractionDigits: decimals, decimals: decimals)
    }

    /// An integer money amount in 1/10^`scale` units as an exact `Decimal` (`units × 10^−scale`,
    /// no division). Exact for every `Int128`: a Decimal's significand holds 128 bits.
    public static func decimal<Units: BinaryInteger>(_ units: Units, scale: Int) -> Decimal {
        let value = Int128(units)
        let magnitude = value.magnitude
        let high = UInt64(truncatingIfNeeded: magnitude >> 64), low = UInt64(truncatingIfNeeded: magnitude)
        var significand = Decimal(low)
        if high != 0 { significand += Decimal(high) * twoToThe64 }
        return Decimal(sign: value < 0 ? .minus : .plus, exponent: -scale, significand: significand)
    }

    /// 2^64 as a Decimal (its significand holds it exactly).
    private static let twoToThe64 = Decimal(UInt64(1) << 32) * Decimal(UInt64(1) << 32)

    /// A Decimal written with `decimals` decimals, half away from zero (`NSDecimalRound` with
    /// `.plain`, which rounds ties away from zero on Linux as on Darwin). A NaN, which no
    /// analysis should produce, is written as an empty field: SPEC §7 writes null as empty.
    public static func format(_ value: Decimal, decimals: Int) -> String {
        precondition(decimals >= 0, "FixedPoint.format: decimals \(decimals)")
        guard !value.isNaN else { return "" }
        let rounded = rounded(value, decimals: decimals)
        // `description` is locale-free plain notation (`-1234.5`, `1000…0`, `0.00000001`);
        // split it and pad the fraction to exactly `decimals` digits.
        let text = rounded.description
        var negative = false
        var integerPart = Substring(text)
        if integerPart.hasPrefix("-") {
            negative = true
            integerPart = integerPart.dropFirst()
        }
        var fractionPart = Substring("")
        if let dot = integerPart.firstIndex(of: ".") {
            fractionPart = integerPart[integerPart.index(after: dot)...]
            integerPart = integerPart[..<dot]
        }
        if fractionPart.count > decimals { fractionPart = fractionPart.prefix(decimals) }  // already rounded: only zeros
        if integerPart.isEmpty { integerPart = "0" }
        let isZero = integerPart.allSatisfy { $0 == "0" } && fractionPart.allSatisfy { $0 == "0" }
        var out = negative && !isZero ? "-" : ""
        out += integerPart
        if decimals > 0 {
            out += "."
            out += fractionPart
            out += String(repeating: "0", count: decimals - fractionPart.count)
        }
        return out
    }

    /// `value` rounded to `decimals` places, half away from zero.
    public static func rounded(_ value: Decimal, decimals: Int) -> Decimal {
        var source = value
        var out = Decimal()
        NSDecimalRound(&out, &source, decimals, .plain)
        return out
    }

    /// `[-]whole.fraction` with `fraction` printed as `fractionDigits` digits and then padded
    /// with zeros to `decimals` digits.
    private static func write(negative: Bool, whole: UInt128, fraction: UInt128,
                              fractionDigits: Int, decimals: Int) -> String {
        var out = negative ? "-" : ""
        out += String(whole)
        if decimals > 0 {
            out += "."
            if fractionDigits > 0 {
                let digits = String(fraction)
                out += String(repeating: "0", count: fractionDigits - digits.count)
                out += digits
            }
            out += String(repeating: "0", count: decimals - fractionDigits)
        }
        return out
    }
}
