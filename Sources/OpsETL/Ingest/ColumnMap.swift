/// Ingest: maps an input's canonical columns (SPEC §3.1) to field positions in its header.
///
/// SPEC §2/§9: header names match after trimming and lower-casing; a missing required
/// column, or a `columns` entry naming a header that is absent (even for an optional
/// column), is a configuration error (exit 2) naming the file, the column and the headers found.
public struct ColumnMap: Sendable, Equatable {
    /// Number of fields in the header; a record with another count is `malformed_row`.
    public let fieldCount: Int
    /// Field position of each column of `kind.canonicalColumns`, nil when absent.
    public let positions: [Int?]
    public let kind: InputKind

    public init(kind: InputKind, columns: [String: String], header: [String], file: String) throws {
        self.kind = kind
        fieldCount = header.count
        let normalized = header.map(ColumnMap.normalize)
        var positions: [Int?] = []
        for column in kind.canonicalColumns {
            let wanted = columns[column] ?? column
            let position = normalized.firstIndex(of: ColumnMap.normalize(wanted))
            if position == nil {
                let found = ColumnMap.describe(header)
                if let mapped = columns[column] {
                    throw OpsError.configuration(
                        "\(file): column \"\(mapped)\" (inputs.\(kind.rawValue).columns.\(column)) not found; headers found: \(found)")
                }
                if kind.requiredColumns.contains(column) {
                    throw OpsError.configuration(
                        "\(file): required column \"\(column)\" not found; headers found: \(found) (map it with inputs.\(kind.rawValue).columns.\(column))")
                }
            }
            positions.append(position)
        }
        self.positions = positions
    }

    /// Position of a canonical column (nil when the file lacks it).
    public func position(of column: String) -> Int? {
        kind.canonicalColumns.firstIndex(of: column).flatMap { positions[$0] }
    }

    /// Header names for an error message: quoted, at most 20 of them and 40 characters each, so a
    /// 100 000-column or binary "header" still gives a readable one-line error.
    static func describe(_ header: [String]) -> String {
        let shown = header.prefix(20).map { name in
            "\"" + (name.count > 40 ? String(name.prefix(39)) + "…" : name) + "\""
        }
        let more = header.count > 20 ? ", … and \(header.count - 20) more" : ""
        return shown.joined(separator: ", ") + more
    }

    static func normalize(_ name: String) -> String {
        // The same Unicode trimming as every value (SPEC §9), so "trimmed" means one thing.
        ByteTrim.trim(name).lowercased()
    }
}
