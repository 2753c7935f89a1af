import BigInt
import Foundation

/// Support: an exact rational number (arbitrary-precision numerator over a positive
/// denominator) for the trends' ratios and the SMART goals' projection (SPEC §4.4, §6).
///
/// Why not `Decimal`: a KPI such as `aov = revenue / orders` or `stickiness` is a ratio that
/// rarely terminates, and SPEC §6 asks for the least-squares projection "computed exactly".
/// Sums of such ratios in `Decimal` would round at every step; here nothing is rounded until a
/// value is written, once, half away from zero (SPEC §9), and comparisons with a target are exact.
/// The big integers stay inside this type: no `BigInt` reaches a public signature.
public struct Fraction: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Kept reduced, so equal values have equal representations (`Hashable`).
    private let numerator: BigInt
    /// Always positive.
    private let denominator: BigInt

    private init(reduced numerator: BigInt, _ denominator: BigInt) {
        self.numerator = numerator
        self.denominator = denominator
    }

    private init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "Fraction: zero denominator")
        var n = numerator, d = denominator
        if d.sign == .minus { n = -n; d = -d }
        let g = n.magnitude.greatestCommonDivisor(with: d.magnitude)
        if g > 1 {
            n /= BigInt(g)
            d /= BigInt(g)
        }
        self.init(reduced: n, d)
    }

    public init(_ value: some BinaryInteger) { self.init(reduced: BigInt(value), 1) }

    /// `numerator / denominator`; nil when the denominator is 0 (SPEC §4.3/§4.4: a division by
    /// zero is null, never infinity, NaN or 0).
    public init?(_ numerator: some BinaryInteger, over denominator: some BinaryInteger) {
        guard denominator != 0 else { return nil }
        self.init(BigInt(numerator), BigInt(denominator))
    }

    /// Money in 1/10 000 currency units (`MoneyParser.scale`) as currency units.
    public init(units: some BinaryInteger) { self.init(BigInt(units), 10_000) }

    /// The exact value of a `Decimal` (mantissa × 10^exponent); nil for NaN.
    public init?(_ decimal: Decimal) {
        guard !decimal.isNaN else { return nil }
        // `description` is plain notation without exponent: `-12.345`, `1000`.
        let text = decimal.description
        var digits = Substring(text)
        var negative = false
        if digits.hasPrefix("-") { negative = true; digits = digits.dropFirst() }
        var scale = 0
        if let dot = digits.firstIndex(of: ".") {
            scale = digits.distance(from: digits.index(after: dot), to: digits.endIndex)
            digits = digits[..<dot] + digits[digits.index(after: dot)...]
        }
        guard let magnitude = BigInt(String(digits), radix: 10) else { return nil }
        self.init(negative ? -magnitude : magnitude, BigInt(10).power(scale))
    }

    public static let zero = Fraction(0)
    public static let one = Fraction(1)

    public var isZero: Bool { numerator.isZero }
    public var isNegative: Bool { numerator.sign == .minus && !numerator.isZero }
    public var isWhole: Bool { denominator == 1 }

    public static func + (a: Fraction, b: Fraction) -> Fraction {
        Fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static func - (a: Fraction, b: Fraction) -> Fraction {
        Fraction(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static func * (a: Fraction, b: Fraction) -> Fraction {
        Fraction(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    public static prefix func - (a: Fraction) -> Fraction { Fraction(reduced: -a.numerator, a.denominator) }

    /// `a / b`; nil when b is 0.
    public func divided(by b: Fraction) -> Fraction? {
        guard !b.isZero else { return nil }
        return Fraction(numerator * b.denominator, denominator * b.numerator)
    }

    public var magnitude: Fraction { isNegative ? -self : self }

    public static func < (a: Fraction, b: Fraction) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// Written with `decimals` decimals, rounded once, half away from zero (SPEC §9); never `-0.00`.
    public func formatted(decimals: Int) -> String {
        let q = rounded(decimals: decimals)
        let negative = q.sign == .minus && !q.isZero
        var digits = String(q.magnitude)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (negative ? "-" : "") + digits
    }

    /// round(self × 10^decimals), half away from zero.
    private func rounded(decimals: Int) -> BigInt {
        let scaled = numerator.magnitude * BigUInt(10).power(decimals)
        let (q, r) = scaled.quotientAndRemainder(dividingBy: denominator.magnitude)
        let up = r * 2 >= denominator.magnitude
        let magnitude = BigInt(up ? q + 1 : q)
        return numerator.sign == .minus ? -magnitude : magnitude
    }

    /// The nearest `Decimal` with at most 38 significant digits (what `Decimal` holds), so the
    /// rest of the program, which speaks `Decimal`, sees the value rounded once at that precision.
    public var decimal: Decimal {
        if denominator == 1, let exact = Decimal(string: numerator.description) { return exact }
        // Enough decimals for 38 significant digits: 38 minus the digits of the whole part.
        let wholeDigits = (numerator.magnitude / denominator.magnitude).description.count
        let decimals = max(0, 38 - wholeDigits)
        let q = rounded(decimals: decimals)
        let significand = Decimal(string: q.magnitude.description) ?? 0
        let value = Decimal(sign: q.sign == .minus ? .minus : .plus, exponent: -decimals, significand: significand)
        return value
    }

    public var description: String {
        denominator == 1 ? numerator.description : "\(numerator)/\(denominator)"
    }
}
