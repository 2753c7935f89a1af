/// Ingest: what `opsetl inspect` shows about one CSV file — compression, encoding, dialect,
/// header, row count, preview (SPEC §8; §3.2 encodings and `.gz`).
///
/// Unlike a run, inspect guesses: gzip by its header (also without the `.gz` name), the encoding
/// from a byte-order mark or the bytes (`EncodingSniffer`), the delimiter from the header, and
/// reads the file that way, so it can say which setting a pipeline needs.
public struct CSVInspection: Sendable {
    public let path: String
    /// Stored size.
    public let bytes: Int
    /// Decompressed size, for a gzip file.
    public let textBytes: Int
    public let gzip: Bool
    /// The file is gzip though its name does not end in `.gz` (a run would not decompress it).
    public let gzipWithoutName: Bool
    /// The encoding it was read in, and whether that was guessed rather than given.
    public let encoding: InputEncoding
    public let guess: EncodingSniffer.Guess?
    public let hasBOM: Bool
    /// "UTF-16 LE"/"UTF-16 BE" when a UTF-16 byte-order mark began the file.
    public let utf16Mark: String?
    /// The line ends of the whole file ("LF", "CR", "mixed: …").
    public let lineEnding: String
    public let delimiter: UInt8
    /// True when the delimiter was guessed from the header rather than given.
    public let delimiterGuessed: Bool
    public let header: [String]
    public let rows: Int
    /// Records whose field count differs from the header's.
    public let malformedRows: Int
    public let preview: [[String]]

    /// Reads the whole file once (in blocks, on every core) to count rows; keeps the first `previewRows`.
    public init(path: String, delimiter: UInt8?, previewRows: Int, encoding given: InputEncoding? = nil) throws {
        let file = InputFileSet.File(path: path, displayPath: path)
        let magic = try CSVInspection.sample(file, gzip: false, bytes: 2)
        let named = path.hasSuffix(".gz")
        gzip = named || EncodingSniffer.isGzip(magic.bytes)
        gzipWithoutName = gzip && !named
        if let given {
            encoding = given
            guess = nil
        } else {
            let sample = try CSVInspection.sample(file, gzip: gzip, bytes: 64 * 1024)
            let g = EncodingSniffer.guess(sample.bytes, complete: sample.complete)
            guess = g
            switch g {
            case .utf8, .unknown: encoding = .utf8
            case .utf16: encoding = .utf16
            case .utf16WithoutBOM(let le): encoding = le ? .utf16LittleEndianWithoutBOM : .utf16BigEndianWithoutBOM
            case .likelyGB18030: encoding = .gb18030
            case .likelyWindows1252: encoding = .windows1252
            }
        }
        let chosen: UInt8
        if let delimiter {
            chosen = delimiter
        } else {
            chosen = try CSVInspection.sniff(file, encoding: encoding, gzip: gzip)
        }
        let source = try CSVSource(file: file, delimiter: chosen, encoding: encoding, gzip: gzip)
        self.path = path
        bytes = source.size
        hasBOM = source.hasBOM
        utf16Mark = source.reader.utf16Mark
        self.delimiter = chosen
        delimiterGuessed = delimiter == nil
        header = source.header ?? []
        let width = header.count
        let chunks = try CSVScanner.scan(source, maxChunks: 4) { i in
            CountingSink(width: width, keep: i == 0 ? previewRows : 0)
        }
        _ = try source.reader.finish()
        textBytes = source.reader.textBytes
        lineEnding = source.reader.lineEnds.description
        rows = chunks.reduce(0) { $0 + $1.rows }
        malformedRows = chunks.reduce(0) { $0 + $1.sink.malformed }
        preview = chunks.first?.sink.kept ?? []
    }

    /// Up to `bytes` decompressed bytes from the start, as stored; `complete`: that is the whole file.
    private static func sample(_ file: InputFileSet.File, gzip: Bool, bytes: Int) throws -> (bytes: [UInt8], complete: Bool) {
        let reader = try InputReader(file: file, gzip: gzip)
        var out = [UInt8](repeating: 0, count: bytes)
        var have = 0
        while have < bytes {
            let n = try out.withUnsafeMutableBytes { try reader.readUnconverted(into: UnsafeMutableRawBufferPointer(rebasing: $0[have...])) }
            if n == 0 { return (Array(out[0..<have]), true) }
            have += n
        }
        return (out, false)
    }

    /// The candidate (`,` `;` tab `|`) that splits the header line into the most fields.
    static func sniff(_ file: InputFileSet.File, encoding: InputEncoding, gzip: Bool) throws -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
        var best = candidates[0]
        var bestCount = 1
        for c in candidates {
            let n = try CSVSource(file: file, delimiter: c, encoding: encoding, gzip: gzip).header?.count ?? 0
            if n > bestCount { best = c; bestCount = n }
        }
        return best
    }

    private final class CountingSink: RowSink {
        let width: Int
        let keep: Int
        var kept: [[String]] = []
        var malformed = 0
        init(width: Int, keep: Int) {
            self.width = width
            self.keep = keep
        }
        func consume(_ row: RawRow) {
            if row.count != width { malformed += 1 }
            if kept.count < keep { kept.append(row.strings) }
        }
    }
}
