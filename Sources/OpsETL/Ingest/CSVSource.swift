/// Ingest: one opened CSV file with its header already read (SPEC §3.2).
///
/// The file is read once, front to back, by its `InputReader` (decompressed and converted to
/// UTF-8 as needed). Opening reads the first block and parses only the first record, byte by
/// byte, so the exact offset where the data starts is known; the bytes after it stay in
/// `pending` for `CSVScanner`, which reads the rest.
public final class CSVSource: @unchecked Sendable {
    public let path: String
    public let displayPath: String
    /// Stored size when opened (compressed, for a `.gz` file).
    public let size: Int
    public let delimiter: UInt8
    public let hasBOM: Bool
    /// Header fields as written (untrimmed); nil for a file with no record at all (zero bytes or only blank lines).
    public let header: [String]?
    /// Offset of the first data byte in the UTF-8 text (after the header's line end).
    public let dataStart: Int
    /// 1-based physical line at `dataStart`.
    public let dataStartLine: Int
    /// Line ending style seen after the header: "CRLF", "LF", "CR" or "none".
    public let lineEnding: String
    /// Reads the rest of the file.
    public let reader: InputReader
    /// UTF-8 bytes already read after `dataStart`, parsed before anything else.
    var pending: [UInt8]

    /// Opens `file` and reads its header; errors are runtime errors (exit 1) naming the file.
    /// `setting` (`inputs.X`) is named by the hints of an encoding error.
    public init(file: InputFileSet.File, delimiter: UInt8, encoding: InputEncoding = .utf8, gzip: Bool? = nil,
                setting: String? = nil, blockBytes: Int = 1 << 20) throws {
        path = file.path
        displayPath = file.displayPath
        self.delimiter = delimiter
        reader = try InputReader(file: file, encoding: encoding, gzip: gzip, setting: setting, blockBytes: blockBytes)
        size = reader.size
        let first = try CSVSource.readFirstRecord(reader, delimiter: delimiter)
        hasBOM = first.hasBOM
        header = first.header
        dataStart = first.dataStart
        dataStartLine = first.dataStartLine
        lineEnding = first.lineEnding
        pending = first.rest
    }

    /// A file opened by `InputSpec`'s settings: encoding, and gzip by the name (SPEC §3.2).
    public convenience init(file: InputFileSet.File, spec: InputSpec, kind: InputKind) throws {
        try self.init(file: file, delimiter: spec.delimiter, encoding: spec.encoding, setting: "inputs.\(kind.rawValue)")
    }

    private struct FirstRecord {
        var hasBOM = false
        var header: [String]?
        var dataStart = 0
        var dataStartLine = 1
        var lineEnding = "none"
        var rest: [UInt8] = []
    }

    /// Reads the first record one byte at a time, growing the window as needed, so the
    /// exact offset where the data starts is known (libcsv itself reports no positions).
    private static func readFirstRecord(_ reader: InputReader, delimiter: UInt8) throws -> FirstRecord {
        var result = FirstRecord()
        var window = [UInt8](repeating: 0, count: 64 * 1024)
        var have = 0
        var atEnd = false
        var headerFields: [String]?
        let parser = LibCSVParser(delimiter: delimiter)
        let headerSink = ClosureSink { row in headerFields = row.strings }
        func fill() throws -> Bool {
            guard !atEnd else { return false }
            if window.count - have < 4096 { window.append(contentsOf: repeatElement(0, count: window.count)) }
            let n = try window.withUnsafeMutableBytes { try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[have...])) }
            if n == 0 { atEnd = true; return false }
            have += n
            return true
        }
        _ = try fill()
        while have < 3 {
            if try !fill() { break }
        }
        var pos = 0
        if have >= 3 && window[0] == 0xEF && window[1] == 0xBB && window[2] == 0xBF {
            result.hasBOM = true
            pos = 3
        }
        var terminator: UInt8 = 0
        while headerFields == nil {
            if pos >= have {
                if try !fill() { break }
                continue
            }
            window.withUnsafeBytes { parser.feed(UnsafeRawBufferPointer(rebasing: $0[pos..<(pos + 1)]), to: headerSink) }
            if parser.overflowed {
                throw OpsError.runtime("\(reader.displayPath): the header is longer than \(LibCSVParser.maxRecordBytes >> 20) MiB (no line end, or a quote that is never closed): not a CSV export?")
            }
            pos += 1
            if headerFields != nil { terminator = window[pos - 1] }
        }
        if headerFields == nil {
            parser.finish(to: headerSink)   // a header with no line end, or nothing at all
            result.dataStart = have
        } else {
            result.dataStart = pos
            if terminator == 0x0D {
                if pos >= have { _ = try fill() }
                if pos < have && window[pos] == 0x0A { result.dataStart += 1 }
            }
        }
        result.header = headerFields
        result.dataStartLine = parser.line + 1
        switch terminator {
        case 0x0D: result.lineEnding = result.dataStart > pos ? "CRLF" : "CR"
        case 0x0A: result.lineEnding = "LF"
        default: result.lineEnding = "none"
        }
        result.rest = Array(window[result.dataStart..<have])
        return result
    }
}
