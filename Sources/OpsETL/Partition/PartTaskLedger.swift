import Foundation

/// Partition: what one map task knew besides its rows (`task.bin`, docs/partitioned.md).
///
/// The merge stage rebuilds the quality ledger (SPEC §5: rows read, step-1 rejects), the `since`/
/// `as_of` defaults (SPEC §2/§9: min/max local date of parsed rows), the header check (SPEC §2: one
/// header per input), `summary.json`'s file digests and the alias warnings (SPEC §9) from these.
public struct PartTaskLedger: Sendable {
    public var task: Int
    public var kind: InputKind
    /// Index of the file in its input's sorted file list.
    public var file: Int
    public var displayPath: String
    public var rowsRead: Int
    /// Step-1 rejects, `file` already the input-wide file index.
    public var rejects: [RejectedRow]
    /// The file's header as written; nil for an empty file.
    public var header: [String]?
    public var span: DateSpan
    public var digest: FileDigest
    /// Normalised alias keys the channel normaliser met (`ChannelNormalizer.usedAliasKeys`).
    public var usedAliasKeys: [String]

    func encode() -> [UInt8] {
        var w = PartWriter()
        w.int(task)
        w.string(kind.rawValue)
        w.int(file)
        w.string(displayPath)
        w.int(rowsRead)
        w.u32(UInt32(rejects.count))
        for r in rejects {
            w.int(r.file)
            w.int(r.line)
            w.string(r.reason)
            w.strings(r.fields)
        }
        w.bool(header != nil)
        if let header { w.strings(header) }
        w.optionalDate(span.min)
        w.optionalDate(span.max)
        w.int(digest.bytes)
        w.string(digest.sha256)
        w.strings(usedAliasKeys)
        return w.bytes
    }

    static func decode(_ r: inout PartReader) throws -> PartTaskLedger {
        let task = try r.int()
        let kindName = try r.string()
        guard let kind = InputKind(rawValue: kindName) else { throw OpsError.runtime("\(r.name): unknown input kind \"\(kindName)\"") }
        let file = try r.int(), display = try r.string(), rowsRead = try r.int()
        var rejects: [RejectedRow] = []
        for _ in 0..<(try r.count(minBytes: 20)) {
            rejects.append(RejectedRow(file: try r.int(), line: try r.int(), reason: try r.string(), fields: try r.strings()))
        }
        let header: [String]? = try r.bool() ? try r.strings() : nil
        let span = DateSpan(min: try r.optionalDate(), max: try r.optionalDate())
        let digest = FileDigest(bytes: try r.int(), sha256: try r.string())
        return PartTaskLedger(task: task, kind: kind, file: file, displayPath: display, rowsRead: rowsRead, rejects: rejects,
                              header: header, span: span, digest: digest, usedAliasKeys: try r.strings())
    }

    public func write(to path: String) throws { try PartFile.write(.task, payload: encode(), to: path) }

    public static func read(_ path: String) throws -> PartTaskLedger {
        var r = try PartFile.read(path, expecting: .task).reader
        return try decode(&r)
    }
}

/// Partition: what every stage after `resolve` needs that depends on all inputs (`context.bin`).
public struct PartContext: Sendable, Equatable {
    /// Resolved first and last local dates (SPEC §2/§9 defaults included).
    public var since: LocalDate
    public var asOf: LocalDate
    /// Map tasks of the plan, and partitions.
    public var tasks: Int
    public var partitions: Int

    public init(since: LocalDate, asOf: LocalDate, tasks: Int, partitions: Int) {
        self.since = since
        self.asOf = asOf
        self.tasks = tasks
        self.partitions = partitions
    }

    public func write(to path: String) throws {
        var w = PartWriter()
        w.date(since)
        w.date(asOf)
        w.int(tasks)
        w.int(partitions)
        try PartFile.write(.context, payload: w.bytes, to: path)
    }

    public static func read(_ path: String) throws -> PartContext {
        var r = try PartFile.read(path, expecting: .context).reader
        return PartContext(since: try r.date(), asOf: try r.date(), tasks: try r.int(), partitions: try r.int())
    }
}

/// Partition: a dedupe partition's ledger counts (`counts.bin`): SPEC §3.4 steps 2–3 per input.
public struct PartCounts: Sendable, Equatable {
    public var partition: Int
    public var afterAsOf: [InputKind: Int] = [:]
    public var duplicates: [InputKind: Int] = [:]

    public init(partition: Int) { self.partition = partition }

    func encode() -> [UInt8] {
        var w = PartWriter()
        w.int(partition)
        for kind in InputKind.allCases {
            w.int(afterAsOf[kind] ?? 0)
            w.int(duplicates[kind] ?? 0)
        }
        return w.bytes
    }

    static func decode(_ r: inout PartReader) throws -> PartCounts {
        var c = PartCounts(partition: try r.int())
        for kind in InputKind.allCases {
            c.afterAsOf[kind] = try r.int()
            c.duplicates[kind] = try r.int()
        }
        return c
    }
}
