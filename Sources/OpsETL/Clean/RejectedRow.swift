/// Clean: a row that takes part in nothing, with the reason and its original fields (SPEC §3.4, §7 `rejects/`).
public struct RejectedRow: Sendable, Equatable {
    /// Index of the file in the input's sorted file list.
    public var file: Int
    /// Physical line where the record starts (header = line 1).
    public var line: Int
    /// `malformed_row`, `missing:<column>`, `bad_timestamp:<column>`, `bad_number:<column>`,
    /// `negative_spend` or `unknown_user`.
    public var reason: String
    /// The record's fields exactly as read (untrimmed).
    public var fields: [String]

    public init(file: Int, line: Int, reason: String, fields: [String]) {
        self.file = file
        self.line = line
        self.reason = reason
        self.fields = fields
    }
}

/// Where a row came from, for rows whose fate is decided after deduplication.
public struct RowOrigin: Sendable, Equatable {
    public var file: Int
    public var line: Int
    public var fields: [String]
}
