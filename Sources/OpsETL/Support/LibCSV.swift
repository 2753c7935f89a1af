/// The only file that touches the C library libcsv (SPEC §3.2: parsing goes through libcsv).
///
/// `LibCSVParser` feeds byte blocks to `csv_parse` and assembles each record's fields
/// into one reusable byte buffer, so a row costs no allocation. libcsv reports no
/// positions, so the parser counts physical lines itself: it runs with
/// `CSV_REPALL_NL`, which calls the row callback for every unquoted line terminator
/// (also for blank lines and for the LF of a CRLF), and counts newlines inside
/// quoted fields from the field bytes.
/// `LibCSVQuote` is libcsv's writer (`csv_write`), used by the report stage.
internal import CLibCSV
import Glibc

/// One record as libcsv delivered it; valid only during the callback that receives it.
public struct RawRow {
    /// Physical line where the record starts, counted from the start of the parsed range (0-based).
    public let relativeLine: Int
    /// True when the record is an unterminated quoted field running to the end of the file.
    public let unterminatedQuote: Bool
    @usableFromInline let bytes: UnsafePointer<UInt8>
    /// Offset (in `bytes`) where field 0 starts.
    @usableFromInline let first: Int
    /// End offset (in `bytes`) of each field.
    @usableFromInline let ends: UnsafeBufferPointer<Int>

    @inlinable public var count: Int { ends.count }

    /// The raw bytes of field `i` (untrimmed).
    @inlinable public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? first : ends[i - 1]
        return UnsafeBufferPointer(start: bytes + start, count: ends[i] - start)
    }

    /// Field `i` as a String (repairing nothing: the bytes were validated as UTF-8 upstream).
    public func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// Every field as a String, for the rare paths (rejects, headers, previews).
    public var strings: [String] { (0..<count).map(string) }
}

/// A streaming libcsv parser over one contiguous byte range of a file.
///
/// libcsv calls back per field and per line end; the callbacks only append to raw buffers
/// in a plain struct reached through the context pointer (no reference counting, no
/// exclusivity checks per field). The records a block completes are handed to the sink
/// after `csv_parse` returns, by a loop specialised for the sink's type.
final class LibCSVParser {
    private var parser = csv_parser()
    private let state: UnsafeMutablePointer<State>

    /// The callbacks' state: every field of the records completed in this block, then the
    /// fields of the record still open at its end.
    fileprivate struct State {
        var bytes: UnsafeMutablePointer<UInt8>
        var bytesCapacity: Int
        var byteCount = 0
        var ends: UnsafeMutablePointer<Int>
        var endsCapacity: Int
        var endCount = 0
        /// Completed records: index in `ends` one past their last field, start line, unterminated.
        var rows: UnsafeMutablePointer<(fieldsEnd: Int, line: Int, unterminated: Bool)>
        var rowsCapacity: Int
        var rowCount = 0
        /// Fields of the record in progress.
        var openFields = 0
        var line = 0
        var rowStartLine = 0
        var lastTerminatorWasCR = false
        var pendingUnterminated = false
        var delivered = 0
        /// Bytes of the record in progress, against `maxRecordBytes`.
        var openBytes = 0
        /// Set once a record grew past `maxRecordBytes` or libcsv stopped short: nothing more is delivered.
        var overflowed = false
    }

    /// The longest record accepted, all fields together. A longer one is nearly always a quote that
    /// never closes swallowing the rest of the file; the caller stops with an error instead of
    /// holding the file in memory as one field. (Issue 5: bounded memory on hostile input.)
    static let maxRecordBytes = 64 << 20
    /// True once a record grew past `maxRecordBytes` (or libcsv could not grow a buffer): no
    /// record is delivered after that, and the caller must stop.
    var overflowed: Bool { state.pointee.overflowed }
    /// Line (relative to the range) where the record being assembled started.
    var currentRecordLine: Int {
        state.pointee.openFields == 0 && !state.pointee.overflowed ? state.pointee.line : state.pointee.rowStartLine
    }

    /// Physical lines consumed so far (relative to the start of this parser's range).
    var line: Int { state.pointee.line }
    /// Records delivered (blank lines not counted).
    var rowCount: Int { state.pointee.delivered }

    /// False only in tests: one `csv_parse` call per block with `noSpace` installed, the
    /// reference `parseSegments` must match.
    private let segmentSpaces: Bool

    /// `delimiter` is one byte.
    init(delimiter: UInt8, segmentSpaces: Bool = true) {
        self.segmentSpaces = segmentSpaces
        state = .allocate(capacity: 1)
        state.initialize(to: State(bytes: .allocate(capacity: 1 << 16), bytesCapacity: 1 << 16,
                                   ends: .allocate(capacity: 1 << 12), endsCapacity: 1 << 12,
                                   rows: .allocate(capacity: 1 << 10), rowsCapacity: 1 << 10))
        // CSV_REPALL_NL lets us see every line terminator; no CSV_STRICT so that a bare
        // quote inside an unquoted field is kept as text, as lenient exports need.
        _ = csv_init(&parser, UInt8(CSV_REPALL_NL))
        csv_set_delim(&parser, delimiter)
        // No byte is "space" to libcsv: fields keep their spaces and are trimmed (with the
        // Unicode rules of SPEC §9) later, and a line of only spaces is a one-field row.
        // libcsv calls that function for nearly every byte of an unquoted field, so `feed`
        // installs it only around runs of space and tab bytes (see `parseSegments`).
        csv_set_space_func(&parser, LibCSVParser.noSpace)
        csv_set_blk_size(&parser, 4096)
        csv_set_realloc_func(&parser, LibCSVParser.cappedRealloc)
    }

    /// libcsv grows one field's buffer with this, by `blk_size` at a time; refusing makes `csv_parse`
    /// stop early (CSV_ENOMEM). Growth is made geometric here (asks that fit the block already held
    /// are granted in place), so a long field costs O(n) copying with any allocator, not O(n²).
    private static let cappedRealloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { pointer, size in
        guard size <= LibCSVParser.maxRecordBytes else { return nil }
        let held = pointer.map { malloc_usable_size($0) } ?? 0
        if pointer != nil && held >= size { return pointer }
        return realloc(pointer, max(size, min(held * 2, LibCSVParser.maxRecordBytes)))
    }

    deinit {
        csv_free(&parser)
        state.pointee.bytes.deallocate()
        state.pointee.ends.deallocate()
        state.pointee.rows.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Parses a block; records completed inside it are delivered to `sink` before this returns.
    func feed<Sink: RowSink>(_ block: UnsafeRawBufferPointer, to sink: Sink) {
        guard let base = block.baseAddress, block.count > 0, !overflowed else { return }
        if segmentSpaces {
            parseSegments(base.assumingMemoryBound(to: UInt8.self), block.count)
        } else {
            parse(base, block.count)
        }
        deliver(to: sink)
    }

    /// One `csv_parse` call. libcsv stops short only when it cannot grow a field buffer: that is
    /// never ignored, or the rest of the block would be lost silently.
    @inline(__always)
    private func parse(_ bytes: UnsafeRawPointer, _ count: Int) {
        if csv_parse(&parser, bytes, count, LibCSVParser.fieldCallback, LibCSVParser.rowCallback, state) != count {
            state.pointee.overflowed = true
        }
    }

    /// "No byte is a space": the only function libcsv must see when it meets 0x20 or 0x09.
    private static let noSpace: @convention(c) (UInt8) -> Int32 = { _ in 0 }

    /// Parses `count` bytes exactly as one `csv_parse` call with `noSpace` installed would.
    ///
    /// libcsv asks its space function only "is this byte a space?", and without one it
    /// answers "space or tab". For every other byte both answers are "no", so stretches
    /// without 0x20 and 0x09 are parsed with no function (an inline compare instead of a call
    /// per byte), and each run of spaces and tabs with `noSpace`. libcsv keeps all of its state
    /// in the parser between calls, so the split changes nothing in what it reports.
    private func parseSegments(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        var pos = 0
        // Tabs are rare: find the next one once and only look again after passing it.
        var nextTab = LibCSVParser.find(0x09, bytes, from: 0, to: count)
        while pos < count {
            if nextTab < pos { nextTab = LibCSVParser.find(0x09, bytes, from: pos, to: count) }
            let next = LibCSVParser.find(0x20, bytes, from: pos, to: nextTab)
            if next > pos {
                csv_set_space_func(&parser, nil)
                parse(bytes + pos, next - pos)
                if overflowed { break }
            }
            if next == count { break }
            var end = next + 1
            while end < count && (bytes[end] == 0x20 || bytes[end] == 0x09) { end += 1 }
            csv_set_space_func(&parser, LibCSVParser.noSpace)
            parse(bytes + next, end - next)
            if overflowed { break }
            pos = end
        }
        csv_set_space_func(&parser, LibCSVParser.noSpace)
    }

    /// Offset of the first `byte` in `bytes[from..<to]`, or `to`.
    @inline(__always)
    private static func find(_ byte: UInt8, _ bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let hit = memchr(bytes + from, Int32(byte), to - from) else { return to }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - bytes
    }

    /// True when the bytes fed so far end exactly at a record boundary (outside any quote).
    /// A chunk parsed on its own is only trusted when the chunk before it ends clean.
    var isAtRecordBoundary: Bool { parser.pstate == 0 && state.pointee.openFields == 0 }

    /// Flushes a final record that has no line terminator.
    func finish<Sink: RowSink>(to sink: Sink) {
        // pstate 2 with `quoted` set: still inside a quoted field at end of input.
        state.pointee.pendingUnterminated = parser.pstate == 2 && parser.quoted != 0
        _ = csv_fini(&parser, LibCSVParser.fieldCallback, LibCSVParser.rowCallback, state)
        state.pointee.pendingUnterminated = false
        deliver(to: sink)
    }

    /// Hands the completed records to the sink, then moves the open record's fields to the front.
    private func deliver<Sink: RowSink>(to sink: Sink) {
        let s = state
        let rows = s.pointee.rowCount
        guard rows > 0 else { return }
        var fieldStart = 0
        var byteStart = 0
        for r in 0..<rows {
            let mark = s.pointee.rows[r]
            sink.consume(RawRow(relativeLine: mark.line, unterminatedQuote: mark.unterminated,
                                bytes: UnsafePointer(s.pointee.bytes), first: byteStart,
                                ends: UnsafeBufferPointer(start: s.pointee.ends + fieldStart, count: mark.fieldsEnd - fieldStart)))
            fieldStart = mark.fieldsEnd
            byteStart = s.pointee.ends[mark.fieldsEnd - 1]
        }
        s.pointee.delivered += rows
        s.pointee.rowCount = 0
        // The open record (if any) starts at byteStart / fieldStart.
        let openBytes = s.pointee.byteCount - byteStart
        if openBytes > 0 { s.pointee.bytes.update(from: s.pointee.bytes + byteStart, count: openBytes) }
        let open = s.pointee.endCount - fieldStart
        for i in 0..<open { s.pointee.ends[i] = s.pointee.ends[fieldStart + i] - byteStart }
        s.pointee.byteCount = openBytes
        s.pointee.endCount = open
    }

    private static let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, ctx in
        let s = ctx!.assumingMemoryBound(to: State.self)
        if s.pointee.openFields == 0 { s.pointee.rowStartLine = s.pointee.line }
        guard !s.pointee.overflowed else { return }
        s.pointee.openBytes += length
        if s.pointee.openBytes > LibCSVParser.maxRecordBytes {
            s.pointee.overflowed = true
            return
        }
        s.pointee.lastTerminatorWasCR = false
        if length > 0, let data {
            if s.pointee.byteCount + length > s.pointee.bytesCapacity {
                let capacity = max(s.pointee.bytesCapacity * 2, s.pointee.byteCount + length)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                grown.update(from: s.pointee.bytes, count: s.pointee.byteCount)
                s.pointee.bytes.deallocate()
                s.pointee.bytes = grown
                s.pointee.bytesCapacity = capacity
            }
            let field = data.assumingMemoryBound(to: UInt8.self)
            copy(field, to: s.pointee.bytes + s.pointee.byteCount, count: length)
            s.pointee.byteCount += length
            s.pointee.line += countLineBreaks(field, length)
        }
        if s.pointee.endCount == s.pointee.endsCapacity {
            let capacity = s.pointee.endsCapacity * 2
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            grown.update(from: s.pointee.ends, count: s.pointee.endCount)
            s.pointee.ends.deallocate()
            s.pointee.ends = grown
            s.pointee.endsCapacity = capacity
        }
        s.pointee.ends[s.pointee.endCount] = s.pointee.byteCount
        s.pointee.endCount += 1
        s.pointee.openFields += 1
    }

    private static let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, ctx in
        let s = ctx!.assumingMemoryBound(to: State.self)
        guard !s.pointee.overflowed else { return }
        if s.pointee.openFields == 0 {
            // A blank line, or the LF that completes a CRLF ending the previous line.
            if terminator == 0x0A && s.pointee.lastTerminatorWasCR {
                s.pointee.lastTerminatorWasCR = false
            } else if terminator >= 0 {
                s.pointee.line += 1
                s.pointee.lastTerminatorWasCR = terminator == 0x0D
            }
            return
        }
        if s.pointee.rowCount == s.pointee.rowsCapacity {
            let capacity = s.pointee.rowsCapacity * 2
            let grown = UnsafeMutablePointer<(fieldsEnd: Int, line: Int, unterminated: Bool)>.allocate(capacity: capacity)
            grown.initialize(from: s.pointee.rows, count: s.pointee.rowCount)
            s.pointee.rows.deallocate()
            s.pointee.rows = grown
            s.pointee.rowsCapacity = capacity
        }
        (s.pointee.rows + s.pointee.rowCount).initialize(to: (s.pointee.endCount, s.pointee.rowStartLine, s.pointee.pendingUnterminated))
        s.pointee.rowCount += 1
        s.pointee.openFields = 0
        s.pointee.openBytes = 0
        if terminator >= 0 { s.pointee.line += 1 }
        s.pointee.lastTerminatorWasCR = terminator == 0x0D
    }

    /// Copies a field's bytes. Nearly every field is 1–32 bytes (ids, timestamps, names, amounts):
    /// those are moved with two overlapping loads and stores of 1, 4, 8 or 16 bytes, all inside
    /// the `count` bytes of each side, instead of a `memmove` call per field (issue 15, way 5).
    @inline(__always)
    private static func copy(_ src: UnsafePointer<UInt8>, to dst: UnsafeMutablePointer<UInt8>, count n: Int) {
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        if n >= 16 {
            guard n <= 32 else { return dst.update(from: src, count: n) }
            let a = s.loadUnaligned(as: (UInt64, UInt64).self)
            let b = s.loadUnaligned(fromByteOffset: n - 16, as: (UInt64, UInt64).self)
            d.storeBytes(of: a, as: (UInt64, UInt64).self)
            d.storeBytes(of: b, toByteOffset: n - 16, as: (UInt64, UInt64).self)
        } else if n >= 8 {
            let a = s.loadUnaligned(as: UInt64.self), b = s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            d.storeBytes(of: a, as: UInt64.self)
            d.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let a = s.loadUnaligned(as: UInt32.self), b = s.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            d.storeBytes(of: a, as: UInt32.self)
            d.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
        } else {
            for i in 0..<n { dst[i] = src[i] }
        }
    }

    /// Line breaks inside a (quoted) field: LF, CRLF counted once, lone CR.
    @inline(__always)
    private static func countLineBreaks(_ field: UnsafePointer<UInt8>, _ c: Int) -> Int {
        // Nearly every field has no byte below 0x0E: look at 8 bytes at a time first.
        if c >= 8 {
            let raw = UnsafeRawPointer(field)
            var any: UInt64 = 0
            var i = 0
            while i + 8 <= c {
                any |= hasByteBelow0E(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            if i < c { any |= hasByteBelow0E(raw.loadUnaligned(fromByteOffset: c - 8, as: UInt64.self)) }
            if any == 0 { return 0 }
        }
        var n = 0
        var i = 0
        while i < c {
            let b = field[i]
            if b <= 0x0D {
                if b == 0x0A { n += 1 } else if b == 0x0D { n += 1; if i + 1 < c && field[i + 1] == 0x0A { i += 1 } }
            }
            i += 1
        }
        return n
    }

    /// Non-zero exactly when some byte of `x` is below 0x0E (the word-at-a-time "has less" test).
    @inline(__always)
    private static func hasByteBelow0E(_ x: UInt64) -> UInt64 {
        (x &- 0x0E0E_0E0E_0E0E_0E0E) & ~x & 0x8080_8080_8080_8080
    }
}

/// A sink that calls a closure, for the few places that read one record or two.
final class ClosureSink: RowSink {
    let body: (RawRow) -> Void
    init(_ body: @escaping (RawRow) -> Void) { self.body = body }
    func consume(_ row: RawRow) { body(row) }
}

/// libcsv's writer: wraps a field in quotes, doubling inner quotes.
enum LibCSVQuote {
    /// Appends `field` to `out`, quoted with `csv_write` only when RFC 4180 needs it
    /// (SPEC §9: "quoting only where needed").
    static func append(_ field: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        var needs = false
        for b in field where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
            needs = true
            break
        }
        guard needs, let src = field.baseAddress else {
            out.append(contentsOf: field)
            return
        }
        let capacity = field.count * 2 + 2
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: capacity))
        let written = out.withUnsafeMutableBufferPointer { buf in
            csv_write(buf.baseAddress! + start, capacity, src, field.count)
        }
        out.removeLast(capacity - written)
    }
}
