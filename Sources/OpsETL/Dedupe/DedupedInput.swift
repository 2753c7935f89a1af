/// Dedupe: one input after SPEC §3.4 steps 2 (rows after `as_of`) and 3 (duplicates).
public struct DedupedInput<Row: Sendable>: Sendable {
    public let kind: InputKind
    public let files: [InputFileSet.File]
    public let header: [String]?
    /// Surviving rows in input order.
    public var rows: [Row]
    /// Step-1 rejects, carried through unchanged.
    public var rejects: [RejectedRow]
    /// Original fields of surviving rows of unknown users, by index in `rows`.
    public var origins: [Int: RowOrigin]
    public let rowsRead: Int
    public let afterAsOf: Int
    public let duplicates: Int

    init(_ input: CleanedInput<some Sendable>, rows: [Row], origins: [Int: RowOrigin], afterAsOf: Int, duplicates: Int) {
        kind = input.kind
        files = input.files
        header = input.header
        self.rows = rows
        rejects = input.rejects
        self.origins = origins
        rowsRead = input.rowsRead
        self.afterAsOf = afterAsOf
        self.duplicates = duplicates
    }
}
