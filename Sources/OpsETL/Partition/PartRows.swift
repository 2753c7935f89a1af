import Foundation

/// Partition: kept rows in the intermediate format (docs/partitioned.md, "Rows"), written and read a
/// block at a time.
///
/// A rows file (a map partition or a dedupe partition) starts with a header block — i64 source
/// (task or partition), i64 target partition, i64 partition count — followed by row blocks: u8 row
/// kind (1 users, 2 sales, 3 events, 4 spend), u32 row count, the rows. Every row starts with its
/// ordinal: (i32 file index in the input's sorted file list, i32 row index among the file's parsed
/// rows). Sorting by it restores input order (SPEC §2: sorted path, then row order) whatever order
/// tasks and partitions ran in, so keep rules, reject order and the stream's tie order never depend
/// on the partitioning. Ids travel as their trimmed bytes (an `IdKey` of a long id is a per-process
/// number); a sales or events row whose user the map task did not know to be kept carries its
/// original fields (u8 1, then a field list: u32 byte count of the list, u32 field count, each
/// field as u32 count + bytes; otherwise u8 0) until the analyze stage knows its user.
enum PartRows {
    enum Kind: UInt8, CaseIterable {
        case users = 1, sales = 2, events = 3, spend = 4
    }

    /// Ordinal packed in 64 bits (file high, index low): compares as the pair does.
    @inline(__always) static func ordinal(file: Int32, index: Int32) -> Int64 {
        Int64(file) << 32 | Int64(UInt32(bitPattern: index))
    }

    @inline(__always) static func fileOf(_ ordinal: Int64) -> Int { Int(ordinal >> 32) }

    /// Stable partition of an id: FNV-1a 64 over its trimmed UTF-8 bytes, mod `partitions` (the same on
    /// every machine and process, unlike Swift's seeded `Hasher`).
    @inline(__always) static func partition(of id: UnsafeBufferPointer<UInt8>, partitions: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in id {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return Int(h % UInt64(max(1, partitions)))
    }

    static func partition(of id: String, partitions: Int) -> Int {
        var id = id
        return id.withUTF8 { partition(of: $0, partitions: partitions) }
    }

    // MARK: - Rows as read (byte ranges into the block, no allocation)

    struct User {
        var ordinal: Int64
        var id: Range<Int>
        var signupAt: Instant
        var signupDate: LocalDate
        var channel: Range<Int>
        var country: Range<Int>?
    }

    struct Sale {
        var ordinal: Int64
        var line: Int32
        var orderId: Range<Int>
        var userId: Range<Int>
        var orderedAt: Instant
        var orderedDate: LocalDate
        var amount: Int64
        var updatedAt: Instant?
        var excluded: Bool
        /// The field list, its byte count included; nil when the map task knew the user was kept.
        var fields: Range<Int>?
    }

    struct Event {
        var ordinal: Int64
        var line: Int32
        /// Nil: keyed by the tuple (user, name, instant).
        var eventId: Range<Int>?
        var userId: Range<Int>
        var name: Range<Int>
        var at: Instant
        var fields: Range<Int>?
    }

    static func readUser(_ r: inout PartReader) throws -> User {
        let o = try r.i64()
        let id = try r.span(), at = try r.instant(), date = try r.date(), channel = try r.span()
        let country: Range<Int>? = try r.bool() ? try r.span() : nil
        return User(ordinal: o, id: id, signupAt: at, signupDate: date, channel: channel, country: country)
    }

    static func readSale(_ r: inout PartReader) throws -> Sale {
        let o = try r.i64(), line = try r.i32(), order = try r.span(), user = try r.span()
        let at = try r.instant(), date = try r.date(), amount = try r.i64()
        let updated: Instant? = try r.bool() ? try r.instant() : nil
        let excluded = try r.bool()
        return Sale(ordinal: o, line: line, orderId: order, userId: user, orderedAt: at, orderedDate: date, amount: amount,
                    updatedAt: updated, excluded: excluded, fields: try fieldList(&r))
    }

    static func readEvent(_ r: inout PartReader) throws -> Event {
        let o = try r.i64(), line = try r.i32()
        let id: Range<Int>? = try r.bool() ? try r.span() : nil
        let user = try r.span(), name = try r.span(), at = try r.instant()
        return Event(ordinal: o, line: line, eventId: id, userId: user, name: name, at: at, fields: try fieldList(&r))
    }

    static func readSpend(_ r: inout PartReader) throws -> (ordinal: Int64, row: SpendRow) {
        let o = try r.i64()
        let row = SpendRow(date: try r.date(), channel: try r.string(), campaign: try r.optionalString(), spend: try r.i64(),
                           impressions: try r.optionalI64(), clicks: try r.optionalI64())
        return (o, row)
    }

    private static func fieldList(_ r: inout PartReader) throws -> Range<Int>? {
        guard try r.bool() else { return nil }
        let start = r.offset
        let n = Int(try r.u32())
        try r.skip(n)
        return start..<r.offset
    }

    /// A field list as the reject's fields (untrimmed strings).
    static func fields(_ range: Range<Int>, in bytes: [UInt8], name: String) throws -> [String] {
        var r = PartReader(bytes, from: range.lowerBound + 4, to: range.upperBound, name: name)
        let n = try r.count(minBytes: 4)
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try r.string()) }
        return out
    }

    static func string(_ range: Range<Int>, in bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    // MARK: - Writing

    static func writeUser(_ w: inout PartWriter, ordinal: Int64, id: String, signupAt: Instant, signupDate: LocalDate,
                          channel: String, country: String?) {
        w.i64(ordinal)
        w.string(id)
        w.instant(signupAt)
        w.date(signupDate)
        w.string(channel)
        w.optionalString(country)
    }

    static func writeSpend(_ w: inout PartWriter, ordinal: Int64, row: SpendRow) {
        w.i64(ordinal)
        w.date(row.date)
        w.string(row.channel)
        w.optionalString(row.campaign)
        w.i64(row.spend)
        w.optionalI64(row.impressions)
        w.optionalI64(row.clicks)
    }
}

/// Partition: one rows file being written, with a buffer per row kind flushed as a block when full.
struct PartRowsWriter {
    private var file: PartFileWriter
    private var buffers: [PartWriter]
    private var counts: [Int]
    private let flushBytes: Int

    /// `flushBytes`: block size; a map task writing P files at once uses smaller blocks.
    init(path: String, kind: PartFile.Kind, source: Int, target: Int, partitions: Int, flushBytes: Int = 1 << 20) throws {
        file = try PartFileWriter(path: path, kind: kind)
        var head = PartWriter()
        head.int(source)
        head.int(target)
        head.int(partitions)
        do { try file.append(block: head.bytes) } catch {
            file.abandon()
            throw error
        }
        buffers = [PartWriter](repeating: PartWriter(), count: 5)
        counts = [Int](repeating: 0, count: 5)
        self.flushBytes = flushBytes
    }

    /// Appends one row of `kind`, written by `body`.
    @inline(__always)
    mutating func row(_ kind: PartRows.Kind, _ body: (inout PartWriter) throws -> Void) throws {
        let k = Int(kind.rawValue)
        if counts[k] == 0 {
            buffers[k].u8(kind.rawValue)
            buffers[k].u32(0)   // the count, patched at flush
        }
        try body(&buffers[k])
        counts[k] += 1
        if buffers[k].count >= flushBytes { try flush(k) }
    }

    private mutating func flush(_ k: Int) throws {
        guard counts[k] > 0 else { return }
        buffers[k].patch(u32: UInt32(counts[k]), at: 1)
        try file.append(block: buffers[k].bytes)
        buffers[k].reset()
        counts[k] = 0
    }

    mutating func finish() throws {
        do {
            for k in 1...4 { try flush(k) }
            try file.finish()
        } catch {
            file.abandon()
            throw error
        }
    }

    mutating func abandon() { file.abandon() }

    /// `dir/part-0.bin … part-<P-1>.bin` of one task or partition, opened together, with blocks small
    /// enough that all of them buffer about 16 MiB in all.
    static func openAll(_ dir: String, kind: PartFile.Kind, source: Int, partitions: Int) throws -> [PartRowsWriter] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let flush = max(64 << 10, (16 << 20) / max(1, partitions))
        var writers: [PartRowsWriter] = []
        do {
            for p in 0..<partitions {
                writers.append(try PartRowsWriter(path: PartitionJob.partFile(dir, p), kind: kind, source: source, target: p,
                                                  partitions: partitions, flushBytes: flush))
            }
        } catch {
            for p in writers.indices { writers[p].abandon() }
            throw error
        }
        return writers
    }
}

/// Partition: reads a rows file: its header, then each row block.
struct PartRowsReader {
    let name: String
    var source = 0, target = 0, partitions = 0
    private var file: PartFileReader

    /// `verify` false: a second read of a file whose checksum a first read has checked.
    init(path: String, kind: PartFile.Kind, verify: Bool = true) throws {
        name = path
        file = try PartFileReader(path: path, expecting: kind, verify: verify)
        guard var head = try file.next() else { throw PartFile.corrupt(path, "no header block") }
        source = try head.int()
        target = try head.int()
        partitions = try head.int()
    }

    /// Calls `body` with each block's kind, row count and reader (positioned at its first row); the
    /// body must read every row. The file is checked whole after its last block.
    mutating func forEachBlock(only kinds: Set<PartRows.Kind>? = nil, _ body: (PartRows.Kind, Int, inout PartReader) throws -> Void) throws {
        let name = self.name
        let each = { (r: inout PartReader) throws in
            guard let kind = PartRows.Kind(rawValue: try r.u8()) else { throw PartFile.corrupt(name, "unknown row kind") }
            let n = try r.count(minBytes: 8)
            try body(kind, n, &r)
            guard r.atEnd else { throw PartFile.corrupt(name, "rows end early") }
        }
        if let kinds {
            try file.forEachBlock(startingWith: Set(kinds.map(\.rawValue)), each)
            return
        }
        try file.forEachBlock { r in
            guard let kind = PartRows.Kind(rawValue: try r.u8()) else { throw PartFile.corrupt(name, "unknown row kind") }
            let n = try r.count(minBytes: 8)
            try body(kind, n, &r)
            guard r.atEnd else { throw PartFile.corrupt(name, "rows end early") }
        }
    }
}
