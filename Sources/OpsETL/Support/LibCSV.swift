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
#if canImport(Glibc)
import Glibc
#endif

/// One record as libcsv delivered it; valid only during the callback that receives it.
public struct RawRow {
    /// Physical line where the record starts, counted from the start of the parsed range (0-based).
    public let relativeLine: Int
    /// True when the record is an unterminated quoted field running to the end of the file.
    public let unterminatedQuote: Bool
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let ends: UnsafeBufferPointer<Int>

    @inlinable public var count: Int { ends.count }

    /// The raw bytes of field `i` (untrimmed).
    @inlinable public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[i]])
    }

    /// Field `i` as a String (repairing nothing: the bytes were validated as UTF-8 upstream).
    public func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// Every field as a String, for the rare paths (rejects, headers, previews).
    public var strings: [String] { (0..<count).map(string) }
}

/// A streaming libcsv parser over one contiguous byte range of a file.
final class LibCSVParser {
    private var parser = csv_parser()
    private var fieldBytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    /// Physical lines consumed so far (relative to the start of this parser's range).
    private(set) var line = 0
    private var rowStartLine = 0
    private var lastTerminatorWasCR = false
    private(set) var rowCount = 0
    private let onRow: (RawRow) -> Void

    /// The longest record accepted, all fields together. A longer one is nearly always a quote that
    /// never closes swallowing the rest of the file; the caller stops with an error instead of
    /// holding the file in memory as one field. (Issue 5: bounded memory on hostile input.)
    static let maxRecordBytes = 64 << 20
    /// Set once a record grew past `maxRecordBytes` (or libcsv could not grow a buffer): no
    /// record is delivered after that, and the caller must stop.
    private(set) var overflowed = false
    /// Line (relative to the range) where the record being assembled started.
    var currentRecordLine: Int { fieldEnds.isEmpty ? line : rowStartLine }

    /// `delimiter` is one byte; `onRow` is called once per record, blank lines skipped.
    init(delimiter: UInt8, onRow: @escaping (RawRow) -> Void) {
        self.onRow = onRow
        fieldBytes.reserveCapacity(4096)
        fieldEnds.reserveCapacity(64)
        // CSV_REPALL_NL lets us see every line terminator; no CSV_STRICT so that a bare
        // quote inside an unquoted field is kept as text, as lenient exports need.
        _ = csv_init(&parser, UInt8(CSV_REPALL_NL))
        csv_set_delim(&parser, delimiter)
        // No byte is "space" to libcsv: fields keep their spaces and are trimmed (with the
        // Unicode rules of SPEC §9) later, and a line of only spaces is a one-field row.
        csv_set_space_func(&parser, { _ in 0 })
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

    deinit { csv_free(&parser) }

    /// Parses a block; records completed inside it are delivered before this returns.
    func feed(_ block: UnsafeRawBufferPointer) {
        guard let base = block.baseAddress, block.count > 0 else { return }
        guard !overflowed else { return }
        let ctx = Unmanaged.passUnretained(self).toOpaque()
        // libcsv stops short only when it cannot grow a field buffer: never ignore that, or the
        // rest of the block would be lost silently.
        if csv_parse(&parser, base, block.count, LibCSVParser.fieldCallback, LibCSVParser.rowCallback, ctx) != block.count {
            overflowed = true
        }
    }

    /// True when the bytes fed so far end exactly at a record boundary (outside any quote).
    /// A chunk parsed on its own is only trusted when the chunk before it ends clean.
    var isAtRecordBoundary: Bool { parser.pstate == 0 && fieldEnds.isEmpty }

    /// Flushes a final record that has no line terminator.
    func finish() {
        // pstate 2 with `quoted` set: still inside a quoted field at end of input.
        let unterminated = parser.pstate == 2 && parser.quoted != 0
        pendingUnterminated = unterminated
        let ctx = Unmanaged.passUnretained(self).toOpaque()
        _ = csv_fini(&parser, LibCSVParser.fieldCallback, LibCSVParser.rowCallback, ctx)
        pendingUnterminated = false
    }

    private var pendingUnterminated = false

    private static let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, ctx in
        let me = Unmanaged<LibCSVParser>.fromOpaque(ctx!).takeUnretainedValue()
        me.appendField(data, length)
    }

    private static let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, ctx in
        let me = Unmanaged<LibCSVParser>.fromOpaque(ctx!).takeUnretainedValue()
        me.endRow(terminator)
    }

    private func appendField(_ data: UnsafeMutableRawPointer?, _ length: Int) {
        if fieldEnds.isEmpty { rowStartLine = line }
        guard !overflowed else { return }
        if fieldBytes.count + length > LibCSVParser.maxRecordBytes {
            overflowed = true
            return
        }
        lastTerminatorWasCR = false
        if let data, length > 0 {
            let field = UnsafeRawBufferPointer(start: data, count: length)
            fieldBytes.append(contentsOf: field)
            line += LibCSVParser.countLineBreaks(field)
        }
        fieldEnds.append(fieldBytes.count)
    }

    private func endRow(_ terminator: Int32) {
        guard !overflowed else { return }
        if fieldEnds.isEmpty {
            // A blank line, or the LF that completes a CRLF ending the previous line.
            if terminator == 0x0A && lastTerminatorWasCR {
                lastTerminatorWasCR = false
            } else if terminator >= 0 {
                line += 1
                lastTerminatorWasCR = terminator == 0x0D
            }
            return
        }
        fieldBytes.withUnsafeBufferPointer { bytes in
            fieldEnds.withUnsafeBufferPointer { ends in
                onRow(RawRow(relativeLine: rowStartLine, unterminatedQuote: pendingUnterminated, bytes: bytes, ends: ends))
            }
        }
        rowCount += 1
        fieldBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        if terminator >= 0 { line += 1 }
        lastTerminatorWasCR = terminator == 0x0D
    }

    /// Line breaks inside a (quoted) field: LF, CRLF counted once, lone CR.
    private static func countLineBreaks(_ field: UnsafeRawBufferPointer) -> Int {
        var n = 0
        var i = 0
        let c = field.count
        while i < c {
            let b = field[i]
            if b == 0x0A { n += 1 } else if b == 0x0D { n += 1; if i + 1 < c && field[i + 1] == 0x0A { i += 1 } }
            i += 1
        }
        return n
    }
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
