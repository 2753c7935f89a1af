import Foundation

/// Report: `channel_roi.csv` (SPEC §7) from an `ROIResult`, rows in the result's order
/// (channels by spend descending then name, `total`, `total_paid` last).
///
/// Money (spend, revenue, gross_profit, cpa, cac, arpu) with 2 decimals, rates (roi, roas,
/// ctr, signup_rate, pay_rate) with 6, counts as integers, null as an empty field; every
/// value is rounded once, half away from zero, from its exact form (SPEC §9, `FixedPoint`).
public enum ChannelROITable {
    /// The header, exactly as SPEC §7 names it.
    public static let header = [
        "channel", "spend", "impressions", "clicks", "signups", "paying_users", "revenue", "gross_profit",
        "roi", "roas", "cpa", "cac", "arpu", "ctr", "signup_rate", "pay_rate",
    ]

    public static func csv(_ r: ROIResult) -> CSVTable {
        var table = CSVTable(header: header)
        for row in r.rows {
            table.append([
                .text(row.channel),
                r.hasSpendData ? money(row.spend) : .null,   // SPEC §3.1: null without spend data
                .numberOrNull(row.impressions.map { String($0) }),
                .numberOrNull(row.clicks.map { String($0) }),
                .count(row.signups),
                .count(row.payingUsers),
                money(row.revenue),
                .number(FixedPoint.format(row.grossProfit, decimals: 2)),
                rate(row.roi),
                rate(row.roas),
                money(row.cpa),
                money(row.cac),
                money(row.arpu),
                rate(row.ctr),
                rate(row.signupRate),
                rate(row.payRate),
            ])
        }
        return table
    }

    /// 1/10 000 units with 2 decimals (a total may exceed 64 bits, SPEC §9).
    private static func money(_ units: Int128) -> CSVTable.Cell { .number(FixedPoint.format(units, scale: 4, decimals: 2)) }
    private static func money(_ value: Decimal?) -> CSVTable.Cell { .numberOrNull(value.map { FixedPoint.format($0, decimals: 2) }) }
    private static func rate(_ value: Decimal?) -> CSVTable.Cell { .numberOrNull(value.map { FixedPoint.format($0, decimals: 6) }) }
}
