/// Report: `goals.csv` (SPEC §7, §9) — one row per target in pipeline order.
///
/// `target`, `actual` and `gap` are written like the metric (rates 6 decimals, money 2, counts
/// integers); `label` and, for `no_data`, `actual` and `gap` are empty.
public enum GoalsTable {
    public static let header = ["metric", "label", "kind", "target", "actual", "status", "gap"]

    public static func csv(_ goals: [GoalResult]) -> CSVTable {
        var table = CSVTable(header: header)
        for g in goals {
            table.append([
                g.target.metric, g.target.label ?? "", g.target.kind.rawValue,
                g.targetValue.formatted, g.actual.formatted, g.status.rawValue, g.gapValue.formatted,
            ])
        }
        return table
    }
}
