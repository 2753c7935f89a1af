/// Ingest: the one header every file of an input must share (SPEC §2: globbed files are read
/// in sorted order and share one header), and its column map.
///
/// Used by the cleaner and by `validate`, so both accept and reject exactly the same files.
struct SharedHeader {
    let kind: InputKind
    let spec: InputSpec
    /// The first file with a header: its fields (as written) and display path.
    private(set) var first: (header: [String], file: String)?

    init(kind: InputKind, spec: InputSpec) {
        self.kind = kind
        self.spec = spec
    }

    /// The column map for `source`, or nil for a file with no header (an empty input).
    /// A header unlike the first file's (compared trimmed, case-insensitively) is exit 2 naming the odd file.
    mutating func columnMap(for source: CSVSource) throws -> ColumnMap? {
        guard let header = source.header else { return nil }
        if let first {
            guard header.map(ColumnMap.normalize) == first.header.map(ColumnMap.normalize) else {
                throw OpsError.configuration(
                    "\(source.displayPath): header differs from \(first.file) (all files of inputs.\(kind.rawValue).path must share one header): "
                    + "found \(ColumnMap.describe(header)), expected \(ColumnMap.describe(first.header))")
            }
        } else {
            first = (header, source.displayPath)
        }
        return try ColumnMap(kind: kind, columns: spec.columns, header: header, file: source.displayPath)
    }
}
