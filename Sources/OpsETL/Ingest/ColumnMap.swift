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
                let found = header.map { "\"\($0)\"" }.joined(separator: ", ")
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

    static func normalize(_ name: String) -> String {
        // The same Unicode trimming as every value (SPEC §9), so "trimmed" means one thing.
        ByteTrim.trim(name).lowercased()
    }
}
