/// Ingest: what `opsetl inspect` shows about one CSV file — dialect, header, row count, preview.
public struct CSVInspection: Sendable {
    public let path: String
    public let bytes: Int
    public let hasBOM: Bool
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
    public init(path: String, delimiter: UInt8?, previewRows: Int) throws {
        let file = InputFileSet.File(path: path, displayPath: path)
        let chosen: UInt8
        if let delimiter {
            chosen = delimiter
        } else {
            chosen = try CSVInspection.sniff(file)
        }
        let source = try CSVSource(file: file, delimiter: chosen)
        self.path = path
        bytes = source.size
        hasBOM = source.hasBOM
        lineEnding = source.lineEnding
        self.delimiter = chosen
        delimiterGuessed = delimiter == nil
        header = source.header ?? []
        let width = header.count
        let chunks = try CSVScanner.scan(source, maxChunks: 4) { i in
            CountingSink(width: width, keep: i == 0 ? previewRows : 0)
        }
        rows = chunks.reduce(0) { $0 + $1.rows }
        malformedRows = chunks.reduce(0) { $0 + $1.sink.malformed }
        preview = chunks.first?.sink.kept ?? []
    }

    /// The candidate (`,` `;` tab `|`) that splits the header line into the most fields.
    static func sniff(_ file: InputFileSet.File) throws -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
        var best = candidates[0]
        var bestCount = 1
        for c in candidates {
            let n = try CSVSource(file: file, delimiter: c).header?.count ?? 0
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
