import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Ingest: reads one input file once, front to back, and hands out its text as UTF-8 blocks
/// (SPEC §3.2 encodings and `.gz`, §9 "Inputs must be regular files…").
///
/// Every stored byte passes through here exactly once: it is added to the SHA-256 and the size
/// that `summary.json` reports, decompressed when the path ends in `.gz`, converted to UTF-8 when
/// the encoding is not UTF-8 (or checked as UTF-8 when it is), and handed to the parser. So the
/// checksum is of the very bytes that were parsed, with no second read (SPEC §9). The file is
/// checked with `stat` before it is opened (a FIFO or a device is never read, so it cannot
/// hang the run), and with `fstat` after its last byte: a size or modification time that
/// changed while it was read is an error (an export still being written), so a report is
/// never made from half an upload.
public final class InputReader {
    public let path: String
    public let displayPath: String
    /// Stored size when opened.
    public let size: Int
    /// The encoding the text is read in (UTF-16 resolved to its byte order by the mark).
    public private(set) var encoding: InputEncoding
    /// True when the stored bytes are gzip-decompressed.
    public let gzip: Bool
    /// "UTF-16 LE" or "UTF-16 BE" when the file began with a UTF-16 byte-order mark (removed here).
    public private(set) var utf16Mark: String?
    /// Stored bytes read so far.
    public private(set) var storedBytes = 0
    /// Decompressed, not yet converted, bytes read so far (offsets in errors count these).
    public private(set) var textBytes = 0
    /// Size and SHA-256 of the stored bytes, once the last one was read.
    public private(set) var digest: FileDigest?

    /// `inputs.X` for the hints of an error (which setting reads the file); nil outside a pipeline.
    private let setting: String?
    private let fd: Int32
    private let mtimeAtOpen: timespec
    private var hasher = SHA256()
    private var storedEOF = false
    private var inflater: GzipInflater?
    private var converter: TextConverter?
    private var validator = UTF8Validator()
    /// Stored bytes not yet decompressed (gzip only).
    private var raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0, rawEnd = 0
    /// Decompressed bytes not yet converted (other encodings only); `textBase` is the text offset of `text[0]`.
    private var text: UnsafeMutableRawBufferPointer
    private var textStart = 0, textEnd = 0, textBase = 0
    private var textEOF = false
    /// The first stored and decompressed bytes, for the hints of an error.
    private var firstStored: [UInt8] = []
    private var firstText: [UInt8] = []
    /// Line ends in the UTF-8 handed out so far (`opsetl inspect` shows them; error lines count them).
    public private(set) var lineEnds = LineEnds()
    private var lastWasCR = false

    /// Bytes read (and decompressed, converted) at a time; small only in tests of blocks that split a character.
    let blockBytes: Int

    /// Opens `file`; every error is a runtime error (exit 1) naming it.
    /// - Parameters:
    ///   - gzip: decompress; by default when the path ends in `.gz` (SPEC §3.2).
    ///   - setting: `inputs.X`, named by the hints of an error.
    public init(file: InputFileSet.File, encoding: InputEncoding = .utf8, gzip: Bool? = nil, setting: String? = nil,
                blockBytes: Int = 1 << 20) throws {
        self.blockBytes = max(blockBytes, 4)
        path = file.path
        displayPath = file.displayPath
        self.encoding = encoding
        self.gzip = gzip ?? file.path.hasSuffix(".gz")
        self.setting = setting
        // SPEC §9: decided by stat (following links) before the file is opened, so a FIFO is never waited on.
        var st = stat()
        guard stat(file.path, &st) == 0 else {
            throw OpsError.runtime("\(file.displayPath): cannot open: \(String(cString: strerror(errno)))")
        }
        try InputReader.requireRegular(st, displayPath: file.displayPath)
        // O_NONBLOCK: should the path have become a FIFO since, opening it does not wait for a writer.
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw OpsError.runtime("\(file.displayPath): cannot open: \(String(cString: strerror(errno)))")
        }
        do {
            guard fstat(fd, &st) == 0 else {
                throw OpsError.runtime("\(file.displayPath): cannot read: \(String(cString: strerror(errno)))")
            }
            try InputReader.requireRegular(st, displayPath: file.displayPath)
            // /proc and /sys files are "regular" with a size that is not their content.
            if let real = realpath(file.path, nil) {
                let resolved = String(cString: real)
                free(real)
                if resolved.hasPrefix("/proc/") || resolved.hasPrefix("/sys/") {
                    throw OpsError.runtime("\(file.displayPath): is a /proc or /sys file, not a regular file; an input must be a regular file")
                }
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
        size = Int(st.st_size)
        mtimeAtOpen = st.st_mtim
        raw = .allocate(byteCount: self.gzip ? self.blockBytes : 0, alignment: 16)
        let converts = encoding != .utf8
        text = .allocate(byteCount: converts ? self.blockBytes : 0, alignment: 16)
        if self.gzip { inflater = try GzipInflater(displayPath: file.displayPath) }
        if converts { try startConversion() }
    }

    deinit {
        close(fd)
        raw.deallocate()
        text.deallocate()
    }

    /// SPEC §9: a FIFO, a device, a socket or a directory is exit 1 naming it.
    private static func requireRegular(_ st: stat, displayPath: String) throws {
        let what: String
        switch st.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: what = "a directory"
        case S_IFIFO: what = "a FIFO (named pipe)"
        case S_IFCHR: what = "a character device"
        case S_IFBLK: what = "a block device"
        case S_IFSOCK: what = "a socket"
        default: what = "not a file"
        }
        throw OpsError.runtime("\(displayPath): is \(what), not a regular file; an input must be a regular file")
    }

    // MARK: - UTF-8 out

    /// Fills `out` (at least 4 bytes) with the next UTF-8 bytes; 0 at the end of the file, once
    /// the end checks passed.
    public func read(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        if converter == nil {
            let n = try readText(into: out)
            let block = UnsafeRawBufferPointer(rebasing: out[0..<n])
            if let bad = n > 0 ? validator.validate(block, at: textBytes - n) : validator.finish() {
                throw notUTF8(at: bad, block: block, blockOffset: textBytes - n)
            }
            countBreaks(block)
            return n
        }
        while true {
            let pending = UnsafeRawBufferPointer(rebasing: text[textStart..<textEnd])
            let (used, written, stop) = converter!.convert(pending, into: out)
            textStart += used
            if written > 0 || stop == .invalid {
                countBreaks(UnsafeRawBufferPointer(rebasing: out[0..<written]))
            }
            if stop == .invalid { throw invalidText(at: textBase + textStart) }
            if written > 0 { return written }
            if textEOF {
                if textStart < textEnd { throw invalidText(at: textBase + textStart, truncated: true) }
                return 0
            }
            // Move an incomplete character to the front, then read more behind it.
            let rest = textEnd - textStart
            if rest > 0 && textStart > 0 { text.baseAddress!.copyMemory(from: text.baseAddress! + textStart, byteCount: rest) }
            textBase += textStart
            textStart = 0
            textEnd = rest
            let n = try readText(into: UnsafeMutableRawBufferPointer(rebasing: text[textEnd...]))
            if n == 0 { textEOF = true }
            textEnd += n
        }
    }

    /// Reads to the end (nothing more is parsed) and returns the digest: for an input whose
    /// header was all there was, or a caller that stopped early.
    public func finish() throws -> FileDigest {
        if let digest { return digest }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { scratch.deallocate() }
        while try read(into: scratch) > 0 {}
        return digest!
    }

    /// UTF-16: the byte-order mark decides the order (SPEC §2: required), and is not text.
    private func startConversion() throws {
        if encoding == .utf16 {
            var mark = [UInt8](repeating: 0, count: 2)
            var have = 0
            while have < 2 {
                let n = try mark.withUnsafeMutableBytes { try readText(into: UnsafeMutableRawBufferPointer(rebasing: $0[have...])) }
                if n == 0 { break }
                have += n
            }
            if have == 0 { textEOF = true }   // SPEC §9: a zero-byte file is an empty input
            else if mark == [0xFF, 0xFE] { encoding = .utf16LittleEndianWithoutBOM; utf16Mark = "UTF-16 LE" }
            else if mark == [0xFE, 0xFF] { encoding = .utf16BigEndianWithoutBOM; utf16Mark = "UTF-16 BE" }
            else {
                let key = setting.map { " (\($0).encoding is \"utf-16\")" } ?? ""
                throw OpsError.runtime("\(displayPath): no UTF-16 byte-order mark at the start\(key); "
                                       + "UTF-16 is read only with one (FF FE or FE FF): export it again as \"Unicode text\", or as UTF-8")
            }
            textBase = have
        }
        guard let c = TextConverter(from: encoding) else {
            throw OpsError.runtime("\(displayPath): this system's iconv cannot convert \(encoding.displayName) text")
        }
        converter = c
    }

    /// The next decompressed bytes as stored, neither converted nor checked: for `opsetl inspect`,
    /// which looks at them to guess the encoding.
    public func readUnconverted(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        try readText(into: out)
    }

    // MARK: - Decompressed text

    /// The next decompressed (still encoded) bytes; 0 at the end.
    private func readText(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let inflater else {
            let n = try readStored(into: out)
            textBytes += n
            return n
        }
        while true {
            if rawStart == rawEnd {
                if storedEOF {
                    if storedBytes > 0 { try inflater.finish() }   // a zero-byte .gz is an empty input too
                    return 0
                }
                rawStart = 0
                rawEnd = try readStored(into: raw)
                continue
            }
            let (used, written) = try inflater.inflate(UnsafeRawBufferPointer(rebasing: raw[rawStart..<rawEnd]), into: out)
            rawStart += used
            if written > 0 {
                if firstText.count < 4 { firstText += UnsafeRawBufferPointer(rebasing: out[0..<min(written, 4)]).prefix(4 - firstText.count) }
                textBytes += written
                return written
            }
        }
    }

    /// The next stored bytes, hashed; at the end, the SPEC §9 checks that the file did not change.
    private func readStored(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !storedEOF else { return 0 }
        while true {
            let n = Glibc.read(fd, out.baseAddress!, out.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw OpsError.runtime("\(displayPath): read error at byte offset \(storedBytes): \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                storedEOF = true
                try checkUnchanged()
                return 0
            }
            let block = UnsafeRawBufferPointer(rebasing: out[0..<n])
            hasher.update(bufferPointer: block)
            if firstStored.count < 4 { firstStored += block.prefix(4 - firstStored.count) }
            if inflater == nil && firstText.count < 4 { firstText += block.prefix(4 - firstText.count) }
            storedBytes += n
            return n
        }
    }

    /// SPEC §9: size and modification time at the end as at the open, and every byte read.
    private func checkUnchanged() throws {
        TestPause.point("read \(displayPath)")   // test-only: a test appends to the file here
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw OpsError.runtime("\(displayPath): cannot read: \(String(cString: strerror(errno)))")
        }
        let now = Int(st.st_size)
        if now != size || storedBytes != size {
            let seen = now != size ? now : storedBytes
            throw changed("its size went from \(size) to \(seen) bytes")
        }
        if st.st_mtim.tv_sec != mtimeAtOpen.tv_sec || st.st_mtim.tv_nsec != mtimeAtOpen.tv_nsec {
            throw changed("it was modified")
        }
        digest = FileDigest(bytes: storedBytes, sha256: hasher.finalize())
    }

    private func changed(_ how: String) -> OpsError {
        .runtime("\(displayPath): changed while it was read (\(how)): an export still being written? "
                 + "Nothing was published; run again once the file is complete")
    }

    // MARK: - Errors

    private func countBreaks(_ block: UnsafeRawBufferPointer) {
        guard let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self), block.count > 0 else { return }
        lineEnds.add(base, block.count, afterCR: lastWasCR)
        lastWasCR = base[block.count - 1] == 0x0D
    }

    /// The line (1-based) of UTF-8 output byte `index` of `block`, whose breaks are not yet counted.
    private func line(before index: Int, of block: UnsafeRawBufferPointer) -> Int {
        var ends = lineEnds
        if index > 0, let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            ends.add(base, index, afterCR: lastWasCR)
        }
        return ends.total + 1
    }

    /// SPEC §3.2: not UTF-8 — the file, line and offset, and what the bytes look like when it is clear.
    private func notUTF8(at offset: Int, block: UnsafeRawBufferPointer, blockOffset: Int) -> OpsError {
        let index = offset - blockOffset
        let line = index >= 0 ? line(before: index, of: block) : lineEnds.total + 1
        let window = index >= 0 ? UnsafeRawBufferPointer(rebasing: block[index...]) : UnsafeRawBufferPointer(start: nil, count: 0)
        var message = "\(displayPath):\(line): not UTF-8 text (invalid byte sequence at byte offset \(offset))"
        if let hint = EncodingSniffer.hint(firstStored: firstStored, firstText: firstText, gzip: gzip, window: window,
                                           setting: setting) {
            message += "; " + hint
        }
        return .runtime(message)
    }

    /// SPEC §3.2: invalid in the declared encoding — the file, line and offset.
    private func invalidText(at offset: Int, truncated: Bool = false) -> OpsError {
        let key = setting.map { " (\($0).encoding is \"\(encoding == .utf16LittleEndianWithoutBOM || encoding == .utf16BigEndianWithoutBOM ? "utf-16" : encoding.rawValue)\")" } ?? ""
        let what = truncated ? "the file ends inside a character" : "invalid byte sequence"
        return .runtime("\(displayPath):\(lineEnds.total + 1): not \(encoding.displayName) text (\(what) at byte offset \(offset))\(key)")
    }
}
