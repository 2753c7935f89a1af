/// Report: `trends.csv`, `kpi_changes.csv` and `user_lifecycle.csv` (SPEC §7) from a `TrendsResult`
/// (SPEC §4.4, §4.5).
///
/// SPEC §9: trend money (`revenue`, `spend`, `aov`, `arppu`) with 2 decimals, `roas` and
/// `stickiness` with 6, counts as integers, null as an empty field; in `kpi_changes.csv`,
/// `value`, `previous_value`, `change` and `year_ago_value` like their KPI and the two rates with
/// 6 decimals; period columns are labels (`YYYY-MM-DD`), always written. Each value is rounded
/// once, half away from zero, from its exact fraction.
public enum TrendsTables {
    public static let trendsHeader = ["segment", "period", "partial"] + TrendKPI.allCases.map(\.rawValue)
    public static let changesHeader = [
        "segment", "metric", "period", "value", "previous_period", "previous_value", "change", "change_rate",
        "year_ago_period", "year_ago_value", "year_ago_change_rate",
    ]
    public static let lifecycleHeader = ["period", "partial", "new", "returning", "resurrecting", "dormant"]

    /// One row per segment and period: segments in order (SPEC §7), periods oldest first.
    public static func trends(_ t: TrendsResult) -> CSVTable {
        var table = CSVTable(header: trendsHeader)
        for row in t.rows {
            table.append([row.segment.name, row.period.start.description, row.period.partial ? "true" : "false"]
                         + TrendKPI.allCases.map { kpi in row.value(kpi).map { $0.formatted(decimals: kpi.decimals) } })
        }
        return table
    }

    /// Per segment, every KPI of the latest complete row against the period before and a year before.
    public static func changes(_ t: TrendsResult) -> CSVTable {
        var table = CSVTable(header: changesHeader)
        for c in t.changes {
            let d = c.kpi.decimals
            table.append([
                c.segment.name, c.kpi.rawValue, c.period.description,
                c.value?.formatted(decimals: d), c.previousPeriod.description, c.previousValue?.formatted(decimals: d),
                c.change?.formatted(decimals: d), c.changeRate?.formatted(decimals: 6),
                c.yearAgoPeriod.description, c.yearAgoValue?.formatted(decimals: d), c.yearAgoChangeRate?.formatted(decimals: 6),
            ])
        }
        return table
    }

    /// One row per trends period (segment `all`); `partial` is the trends row's.
    public static func lifecycle(_ t: TrendsResult) -> CSVTable {
        var table = CSVTable(header: lifecycleHeader)
        for l in t.lifecycle {
            table.append([l.period.start.description, l.period.partial ? "true" : "false",
                          String(l.new), String(l.returning), String(l.resurrecting), String(l.dormant)])
        }
        return table
    }
}
