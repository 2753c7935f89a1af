/// Report: `cohort_retention.csv`, `cohort_retention_matrix.csv` and `day_retention.csv` (SPEC §7)
/// from a `RetentionResult` (SPEC §4.1, §4.1.1).
///
/// Rates are written with 6 decimals from the exact ratio active_users / cohort_size and
/// money with 2 decimals from its 1/10 000 units, each rounded once, half away from zero
/// (SPEC §9). Rows come in the result's order: cohorts by date, then period.
public enum RetentionTables {
    public static let cellsHeader = [
        "cohort", "cohort_size", "period", "active_users", "retention_rate", "revenue", "partial",
    ]

    /// `cohort,cohort_size,p0,p1,…,p<periods>`.
    public static func matrixHeader(periods: Int) -> [String] {
        ["cohort", "cohort_size"] + (0...max(0, periods)).map { "p\($0)" }
    }

    /// `cohort_retention.csv`: one row per existing cell; `partial` is `true`/`false`.
    public static func cells(_ r: RetentionResult) -> CSVTable {
        var table = CSVTable(header: cellsHeader)
        for cell in r.cells {
            table.append([
                cell.cohort.description,
                String(cell.cohortSize),
                String(cell.period),
                String(cell.activeUsers),
                rate(cell),
                FixedPoint.format(cell.revenue, scale: 4, decimals: 2),
                cell.partial ? "true" : "false",
            ])
        }
        return table
    }

    /// `cohort_retention_matrix.csv`: one row per cohort, its rates in p0 … p<periods>, an empty
    /// field where the cell does not exist (its period starts after `as_of`).
    public static func matrix(_ r: RetentionResult) -> CSVTable {
        let width = max(0, r.periods) + 1
        var table = CSVTable(header: matrixHeader(periods: r.periods))
        var i = r.cells.startIndex
        while i < r.cells.endIndex {
            let cohort = r.cells[i].cohort
            var row: [String?] = [cohort.description, String(r.cells[i].cohortSize)]
            row += [String?](repeating: nil, count: width)
            while i < r.cells.endIndex, r.cells[i].cohort == cohort {
                let cell = r.cells[i]
                if (0..<width).contains(cell.period) { row[2 + cell.period] = rate(cell) }
                i += 1
            }
            table.append(row)
        }
        return table
    }

    public static let dayHeader = [
        "cohort", "cohort_size", "day", "eligible_users", "active_on_day", "rate_on_day",
        "active_on_or_after", "rate_on_or_after",
    ]

    /// `day_retention.csv`: one row per cohort with users and N of `retention.days`, cohorts by date,
    /// N ascending; the rates divide by `eligible_users` and are empty when nobody is eligible
    /// (SPEC §4.1.1). Nil when `retention.days` is empty: then no file is written.
    public static func days(_ r: RetentionResult) -> CSVTable? {
        guard !r.days.isEmpty else { return nil }
        var table = CSVTable(header: dayHeader)
        for c in r.dayCells {
            table.append([
                c.cohort.description,
                String(c.cohortSize),
                String(c.day),
                String(c.eligibleUsers),
                String(c.activeOnDay),
                FixedPoint.ratio(Int64(c.activeOnDay), Int64(c.eligibleUsers), decimals: 6),
                String(c.activeOnOrAfter),
                FixedPoint.ratio(Int64(c.activeOnOrAfter), Int64(c.eligibleUsers), decimals: 6),
            ])
        }
        return table
    }

    /// active / size with 6 decimals; a cohort has at least one user, so the ratio exists.
    private static func rate(_ cell: RetentionResult.Cell) -> String? {
        FixedPoint.ratio(Int64(cell.activeUsers), Int64(cell.cohortSize), decimals: 6)
    }
}
