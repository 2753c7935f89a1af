import Foundation
import Testing
@testable import OpsETL

/// SPEC §9 "Sums never overflow": totals are 128-bit integers and are written exactly, to the
/// last digit; ratios of them are exact long divisions. Every expected value is worked out by hand
/// from 2⁶³ = 9 223 372 036 854 775 808 and 2¹²⁷ = 170 141 183 460 469 231 731 687 303 715 884 105 728.
@Suite struct WideFixedPointTests {
    static let twoTo63 = Int128(1) << 63

    @Test(arguments: [
        // 3 × 2⁶³ = 27 670 116 110 564 327 424 units of 1/10 000
        (twoTo63 * 3, 4, 2, "2767011611056432.74"),
        (-twoTo63 * 3, 4, 2, "-2767011611056432.74"),
        // 2⁶³ + 50: the half cent is exact and rounds away from zero
        (twoTo63 + 50, 4, 2, "922337203685477.59"),
        (twoTo63 * 3, 0, 0, "27670116110564327424"),
        (Int128.max, 4, 2, "17014118346046923173168730371588410.57"),
        (Int128.min, 4, 2, "-17014118346046923173168730371588410.57"),
        (Int128.max, 0, 0, "170141183460469231731687303715884105727"),
        (Int128.max, 38, 2, "1.70"),
    ] as [(Int128, Int, Int, String)])
    func formatsPast64Bits(_ units: Int128, _ scale: Int, _ decimals: Int, _ expected: String) {
        #expect(FixedPoint.format(units, scale: scale, decimals: decimals) == expected)
    }

    @Test(arguments: [
        // (3 × 2⁶³) / 2⁶³ = 3
        (twoTo63 * 3, twoTo63, 6, "3.000000"),
        // 2⁶³ / (3 × 2⁶³) = 0.333…
        (twoTo63, twoTo63 * 3, 6, "0.333333"),
        // (2⁶⁴ + 1) / 2⁶⁵: 0.500000000000000000027… → 0.500000
        (twoTo63 * 2 + 1, twoTo63 * 4, 6, "0.500000"),
        // (2⁶⁴ + 1) / 2 = 9 223 372 036 854 775 808.5 → away from zero
        (twoTo63 * 2 + 1, 2, 0, "9223372036854775809"),
        (-(twoTo63 * 2 + 1), 2, 0, "-9223372036854775809"),
        (Int128.max, 1, 2, "170141183460469231731687303715884105727.00"),
        (1, Int128.max, 6, "0.000000"),
    ] as [(Int128, Int128, Int, String)])
    func ratiosPast64Bits(_ num: Int128, _ den: Int128, _ decimals: Int, _ expected: String) {
        #expect(FixedPoint.ratio(num, den, decimals: decimals) == expected)
    }

    /// The Decimal the ratios of `ROIResult` start from is exact too.
    @Test func decimalOfAWideTotalIsExact() {
        let units = Self.twoTo63 * 3 + 1                    // 27 670 116 110 564 327 425
        #expect(FixedPoint.decimal(units, scale: 4) == Decimal(string: "2767011611056432.7425")!)
        #expect(FixedPoint.decimal(-units, scale: 4) == Decimal(string: "-2767011611056432.7425")!)
        #expect(FixedPoint.format(FixedPoint.decimal(units, scale: 4), decimals: 2) == "2767011611056432.74")
        let big = Int128(1) << 100                      // 1 267 650 600 228 229 401 496 703 205 376
        #expect(FixedPoint.decimal(big, scale: 0) == Decimal(string: "1267650600228229401496703205376")!)
    }
}
