import Foundation

/// A window given in (possibly fractional) days, as exact nanoseconds (SPEC §9: `window_days`
/// and `revenue_window_days` may be fractional, × 86 400 s).
///
/// Instants are whole nanoseconds, so `t ≤ start + w` holds exactly when it holds for w
/// rounded down to a whole nanosecond. The pipeline loader caps windows at 36 500 days,
/// whose nanoseconds (≈ 3.2 × 10¹⁸) still fit Int64.
public enum DayWindow {
    public static let maxDays: Decimal = 36_500

    /// `days` × 86 400 × 10⁹ rounded down, clamped to [0, `maxDays`].
    public static func nanoseconds(_ days: Decimal) -> Int64 {
        let clamped = days.isNaN ? 0 : min(max(days, 0), maxDays)
        var product = clamped * Decimal(86_400_000_000_000)
        var whole = Decimal()
        NSDecimalRound(&whole, &product, 0, .down)
        // Decimal's description is plain notation without exponent or grouping.
        guard let ns = Int64(whole.description) else {
            preconditionFailure("DayWindow: \(days) days is not a whole number of nanoseconds: \(whole)")
        }
        return ns
    }
}
