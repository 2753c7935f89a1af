/// Clean: everything one input produced before the cross-input steps (SPEC §3.4 step 1).
public struct CleanedInput<Row: Sendable>: Sendable {
    public let kind: InputKind
    /// The files read, in input order (sorted path order).
    public let files: [InputFileSet.File]
    /// Header of the first file with one (rejects are written under it); nil when every file was empty.
    public let header: [String]?
    /// Rows that parsed, in input order (file, then row).
    public var rows: [Row]
    /// Step-1 rejects, in input order.
    public var rejects: [RejectedRow]
    /// Original fields of the rows whose user is not a kept user, by row index (sales and events).
    public var origins: [Int: RowOrigin]
    /// Deduplication keys beside the rows, for inputs whose rows do not carry their own
    /// (sales: `order_id`; events: `event_id` or the tuple's user): freed once deduplicated.
    public var keys: [IdKey]
    /// Data records read, blank lines not counted.
    public let rowsRead: Int
    /// Earliest and latest local date among the rows that parsed (for the `since`/`as_of` defaults).
    public let span: DateSpan
    /// Size and SHA-256 of each file as stored, from the very bytes parsed (SPEC §9), in `files` order.
    public var digests: [FileDigest] = []
}

/// The earliest and latest local dates seen.
public struct DateSpan: Sendable, Equatable {
    public var min: LocalDate?
    public var max: LocalDate?

    public init(min: LocalDate? = nil, max: LocalDate? = nil) {
        self.min = min
        self.max = max
    }

    @inline(__always) mutating func include(_ d: LocalDate) {
        if min == nil || d < min! { min = d }
        if max == nil || d > max! { max = d }
    }

    func union(_ o: DateSpan) -> DateSpan {
        var r = self
        if let m = o.min { r.include(m) }
        if let m = o.max { r.include(m) }
        return r
    }
}

/// A chunk sink that turns raw records into typed rows or rejects.
protocol CleaningSink: RowSink {
    associatedtype Row: Sendable
    var rows: [Row] { get }
    var rejects: [RejectedRow] { get }
    var span: DateSpan { get }
    /// Rows (by index in `rows`) of unknown users with their original fields.
    var origins: [(row: Int, origin: RowOrigin)] { get }
    /// Hands over (and forgets) the rows and their keys, so a chunk is never held twice.
    func take() -> (rows: [Row], keys: [IdKey])
    /// Makes room for `rows` rows before any arrives (inputs of millions of rows).
    func reserve(rows: Int)
    /// Takes empty arrays whose room an earlier chunk's rows used (and `take()` handed over), to
    /// fill them again before `reserve`: the room's pages are already faulted in and need no zeroing.
    func adopt(rows: [Row], keys: [IdKey])
    /// Converts the chunk-relative line numbers it stored into absolute ones.
    func rebaseLines(firstLine: Int)
}

extension CleaningSink {
    var origins: [(row: Int, origin: RowOrigin)] { [] }
    func reserve(rows: Int) {}
    func adopt(rows: [Row], keys: [IdKey]) {}

    /// Records a step-1 reject with the record's original fields.
    func makeReject(_ row: RawRow, file: Int, reason: String) -> RejectedRow {
        RejectedRow(file: file, line: row.relativeLine, reason: reason, fields: row.strings)
    }
}
