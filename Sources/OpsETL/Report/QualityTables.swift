/// Report: `data_quality.csv` and `rejects/<input>.csv` (SPEC §5, §7).
public enum QualityTables {
    public static let dataQualityHeader = [
        "input", "rows_read", "rows_kept", "rejected", "duplicates", "after_as_of",
        "excluded_status", "unknown_user_ignored", "reject_rate",
    ]

    /// One row per input, in input order; rates with 6 decimals.
    public static func dataQuality(_ report: QualityReport) -> CSVTable {
        var table = CSVTable(header: dataQualityHeader)
        for q in report.inputs {
            table.append([
                .text(q.kind.rawValue), .count(q.rowsRead), .count(q.rowsKept), .count(q.rejected), .count(q.duplicates),
                .count(q.afterAsOf), .count(q.excludedStatus), .count(q.unknownUserIgnored),
                .number(q.formattedRejectRate()),
            ])
        }
        return table
    }

    /// `file,line,reason,` then the original fields (a malformed row keeps its own width). The
    /// raw fields are text (SPEC §9): a raw amount `-1+1` is guarded like any formula.
    public static func rejects(_ report: QualityReport, kind: InputKind) -> CSVTable {
        let header = report.headers[kind] ?? []
        var table = CSVTable(header: ["file", "line", "reason"] + header)
        let files = report.files[kind] ?? []
        for r in report.rejects[kind] ?? [] {
            table.append([.text(files[r.file].displayPath), .count(r.line), .text(r.reason)] + r.fields.map(CSVTable.Cell.text))
        }
        return table
    }
}
