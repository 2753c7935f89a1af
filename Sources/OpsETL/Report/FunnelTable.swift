/// Report: `funnel.csv` (SPEC §7) from a `FunnelResult` — one row per segment and step, `all`
/// first, then channels by name, each by step.
///
/// Rates with 6 decimals, `median_seconds_from_previous` with 1 (SPEC §9), both rounded half
/// away from zero from the exact value by `FixedPoint`; counts as integers; null as an empty field.
public enum FunnelTable {
    public static let header = [
        "segment", "step", "name", "users", "conversion_from_previous", "conversion_from_first",
        "drop_off", "median_seconds_from_previous",
    ]

    /// The table in row order.
    public static func csv(_ r: FunnelResult) -> CSVTable {
        var table = CSVTable(header: header)
        for s in r.steps {
            table.append([
                s.segment,
                String(s.step),
                s.name,
                String(s.users),
                s.conversionFromPrevious.map { FixedPoint.format($0, decimals: 6) },
                s.conversionFromFirst.map { FixedPoint.format($0, decimals: 6) },
                String(s.dropOff),
                s.medianSecondsFromPrevious.map { FixedPoint.format($0, decimals: 1) },
            ])
        }
        return table
    }
}
