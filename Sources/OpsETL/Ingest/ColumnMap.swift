/// Ingest: maps an input's canonical columns (SPEC §3.1) to field positions in its header.
///
/// SPEC §2/§9: header names match after trimming and lower-casing; a missing required
/// column, or a `columns` entry naming a header that is absent (even for an optional
/// column), is a configuration error (exit 2) naming the file, the column and the headers found.
/// SPEC §3.1: when the header line would split on another common delimiter (`;`, tab, `|`, `,`)
/// into every required column, the message says to set `delimiter` instead of suggesting a mapping.
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
                if columns[column] != nil || kind.requiredColumns.contains(column),
                   let delimiter = ColumnMap.delimiterHint(kind: kind, columns: columns, header: header, missing: wanted) {
                    let what = columns[column].map { "column \"\($0)\" (inputs.\(kind.rawValue).columns.\(column))" }
                        ?? "required column \"\(column)\""
                    throw OpsError.configuration(
                        "\(file): \(what) not found; headers found: \(found) (the header splits on "
                        + "\(delimiter) into the expected columns: set inputs.\(kind.rawValue).delimiter to \(delimiter))")
                }
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

    /// The delimiter, quoted as in JSON (`";"`, `"\t"`), on which the header line splits into every
    /// required column of `kind` and the `missing` header name; nil when none does. The line is
    /// rebuilt from the fields it split into; a header that did not split (the usual case) is the
    /// line itself.
    static func delimiterHint(kind: InputKind, columns: [String: String], header: [String], missing: String) -> String? {
        let line = header.joined(separator: ",")
        let wanted = kind.requiredColumns.map { normalize(columns[$0] ?? $0) } + [normalize(missing)]
        for (candidate, quoted) in [(";", "\";\""), ("\t", "\"\\t\""), ("|", "\"|\""), (",", "\",\"")] {
            let names = Set(line.split(separator: Character(candidate), omittingEmptySubsequences: false).map { normalize(String($0)) })
            if names.count > 1, wanted.allSatisfy(names.contains) { return quoted }
        }
        return nil
    }

    static func normalize(_ name: String) -> String {
        // The same Unicode trimming as every value (SPEC §9), so "trimmed" means one thing.
        ByteTrim.trim(name).lowercased()
    }
}
