/// Report: `goals.csv` (SPEC §7, §9) — one row per target in pipeline order.
///
/// `target`, `actual`, `gap`, `baseline` and `projected` are written like the metric (rates 6
/// decimals, money 2, counts integers) — except a computed target of a count KPI that is not a
/// whole number (3 × 1.25), which keeps 6 decimals (SPEC §9); `start` and `deadline` are
/// `YYYY-MM-DD`. `label`, and every value that does not apply or is null, are empty.
public enum GoalsTable {
    public static let header = ["metric", "label", "kind", "target", "actual", "status", "gap",
                                "baseline", "start", "deadline", "projected"]

    public static func csv(_ goals: [GoalResult]) -> CSVTable {
        var table = CSVTable(header: header)
        for g in goals {
            table.append([
                g.target.metric, g.target.label ?? "", g.target.kind.rawValue,
                target(g), g.actual.formatted, g.status.rawValue, g.gapValue.formatted,
                g.baseline?.formatted, g.start?.description, g.deadline?.description, g.projected?.formatted,
            ])
        }
        return table
    }

    /// The target as written: like the metric, but a fractional count with 6 decimals (SPEC §9).
    public static func target(_ g: GoalResult) -> String? {
        if case .count(let v?) = g.targetValue, v != FixedPoint.rounded(v, decimals: 0) {
            return FixedPoint.format(v, decimals: 6)
        }
        return g.targetValue.formatted
    }
}
