#if canImport(Glibc)
import Glibc
#endif

/// Ingest: one opened CSV file with its header already read (SPEC §3.2).
///
/// Opening reads only the first record, byte by byte, so the exact byte offset where
/// the data starts is known; the data itself is read later, in large blocks, by `CSVScanner`.
public final class CSVSource: @unchecked Sendable {
    public let path: String
    public let displayPath: String
    public let size: Int
    public let delimiter: UInt8
    public let hasBOM: Bool
    /// Header fields as written (untrimmed); nil for a file with no record at all (zero bytes or only blank lines).
    public let header: [String]?
    /// Byte offset of the first data byte (after the header's line end).
    public let dataStart: Int
    /// 1-based physical line at `dataStart`.
    public let dataStartLine: Int
    /// Line ending style seen after the header: "CRLF", "LF", "CR" or "none".
    public let lineEnding: String
    let fd: Int32

    /// Opens `file`; errors are runtime errors (exit 1) naming the file.
    public init(file: InputFileSet.File, delimiter: UInt8) throws {
        path = file.path
        displayPath = file.displayPath
        self.delimiter = delimiter
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw OpsError.runtime("\(file.displayPath): cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw OpsError.runtime("\(file.displayPath): cannot read: \(reason)")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw OpsError.runtime("\(file.displayPath): is a directory, not a CSV file")
        }
        self.fd = fd
        size = Int(st.st_size)
        let first: FirstRecord
        do {
            first = try CSVSource.readFirstRecord(fd: fd, size: size, displayPath: file.displayPath, delimiter: delimiter)
        } catch {
            close(fd)
            throw error
        }
        hasBOM = first.hasBOM
        header = first.header
        dataStart = first.dataStart
        dataStartLine = first.dataStartLine
        lineEnding = first.lineEnding
    }

    private struct FirstRecord {
        var hasBOM = false
        var header: [String]?
        var dataStart = 0
        var dataStartLine = 1
        var lineEnding = "none"
    }

    /// Reads the first record one byte at a time, growing the window as needed, so the
    /// exact offset where the data starts is known (libcsv itself reports no positions).
    private static func readFirstRecord(fd: Int32, size: Int, displayPath: String, delimiter: UInt8) throws -> FirstRecord {
        var result = FirstRecord()
        var window = [UInt8](repeating: 0, count: min(max(size, 1), 64 * 1024))
        var have = 0
        var validator = UTF8Validator()
        var headerFields: [String]?
        let parser = LibCSVParser(delimiter: delimiter)
        let headerSink = ClosureSink { row in headerFields = row.strings }
        func fill() throws -> Bool {
            guard have < size else { return false }
            if have == window.count { window.append(contentsOf: repeatElement(0, count: window.count)) }
            let n = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + have, $0.count - have, off_t(have)) }
            guard n >= 0 else {
                throw OpsError.runtime("\(displayPath): cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return false }
            let bad = window.withUnsafeBytes { validator.validate(UnsafeRawBufferPointer(rebasing: $0[have..<(have + n)]), at: have) }
            if let bad {
                throw OpsError.runtime("\(displayPath): not UTF-8 text (invalid byte sequence at byte offset \(bad))")
            }
            have += n
            return true
        }
        _ = try fill()
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
                throw OpsError.runtime("\(displayPath): the header is longer than \(LibCSVParser.maxRecordBytes >> 20) MiB (no line end, or a quote that is never closed): not a CSV export?")
            }
            pos += 1
            if headerFields != nil { terminator = window[pos - 1] }
        }
        if headerFields == nil {
            if let bad = validator.finish() {
                throw OpsError.runtime("\(displayPath): not UTF-8 text (invalid byte sequence at byte offset \(bad))")
            }
            parser.finish(to: headerSink)   // a header with no line end, or nothing at all
            result.dataStart = size
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
        return result
    }

    deinit { close(fd) }

    /// Reads up to `buffer.count` bytes at `offset`; returns the count (0 at end of file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress!, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw OpsError.runtime("\(displayPath): read error at byte offset \(offset): \(String(cString: strerror(errno)))")
        }
    }
}
