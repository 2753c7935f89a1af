/// Ingest: streams a file's records to per-chunk sinks, using every core on large files.
///
/// A large file is cut into chunks at line ends and each chunk is parsed by its own
/// libcsv parser at the same time. A cut may fall inside a quoted field that holds a
/// newline, so a chunk is trusted only when the chunk before it ended exactly on a
/// record boundary; from the first chunk that did not, the rest of the file is parsed
/// again sequentially. Data is read with `pread` in 1 MiB blocks: memory stays bounded
/// whatever the file size (never a whole file in memory).

/// Receives the records of one chunk, in file order. One sink per chunk, used by one thread.
public protocol RowSink: AnyObject {
    func consume(_ row: RawRow)
}

public enum CSVScanner {
    /// What one chunk produced.
    public struct Chunk<Sink> {
        public let sink: Sink
        /// 1-based physical line at the chunk's first byte: add `RawRow.relativeLine` to get a record's line.
        public let firstLine: Int
        /// Records delivered (blank lines not counted).
        public let rows: Int
    }

    /// Bytes per chunk below which a file is not split.
    public static let defaultChunkBytes = 8 << 20
    static let blockBytes = 1 << 20

    /// Scans the data records of `source` (the header is already read).
    /// - Parameters:
    ///   - maxChunks: upper bound on concurrent chunks (1 = sequential).
    ///   - makeSink: creates the sink for chunk `i`.
    ///   - progress: told of each block parsed (SPEC §8 progress; per block, never per row).
    public static func scan<Sink: RowSink>(
        _ source: CSVSource,
        chunkBytes: Int = defaultChunkBytes,
        maxChunks: Int,
        progress: ProgressMeter.Input? = nil,
        makeSink: (Int) -> Sink
    ) throws -> [Chunk<Sink>] {
        let starts = try boundaries(source, chunkBytes: chunkBytes, maxChunks: maxChunks)
        let ranges = (0..<starts.count).map { i in starts[i]..<(i + 1 < starts.count ? starts[i + 1] : source.size) }
        let parts = try parallelMap(ranges.count) { i in
            try parse(source, range: ranges[i], isLast: i == ranges.count - 1, sink: makeSink(i), progress: progress)
        }
        if let bad = parts.compactMap(\.utf8Error).min() {
            throw notUTF8(source, at: bad)
        }
        var chunks: [Chunk<Sink>] = []
        var line = source.dataStartLine
        for (i, part) in parts.enumerated() {
            // Chunk i is trusted here (the one before ended on a record boundary), so its overflow is real.
            if let at = part.overflowLine { throw tooLong(source, line: line + at) }
            if i + 1 < parts.count && !part.endedOnBoundary {
                // The next cut fell inside a record: re-read from this chunk's start in one go.
                let redo = try parse(source, range: ranges[i].lowerBound..<source.size, isLast: true, sink: makeSink(i),
                                     progress: progress)
                if let bad = redo.utf8Error { throw notUTF8(source, at: bad) }
                if let at = redo.overflowLine { throw tooLong(source, line: line + at) }
                chunks.append(Chunk(sink: redo.sink, firstLine: line, rows: redo.rows))
                return chunks
            }
            chunks.append(Chunk(sink: part.sink, firstLine: line, rows: part.rows))
            line += part.lines
        }
        return chunks
    }

    private struct Part<Sink> {
        let sink: Sink
        let rows: Int
        let lines: Int
        let endedOnBoundary: Bool
        let utf8Error: Int?
        /// Relative line of a record longer than `LibCSVParser.maxRecordBytes`, where parsing stopped.
        let overflowLine: Int?
    }

    private static func tooLong(_ source: CSVSource, line: Int) -> OpsError {
        .runtime("\(source.displayPath):\(line): a record longer than \(LibCSVParser.maxRecordBytes >> 20) MiB starts here "
                 + "(a quote that is never closed?); stopped rather than read the rest of the file as one field")
    }

    private static func notUTF8(_ source: CSVSource, at offset: Int) -> OpsError {
        .runtime("\(source.displayPath): not UTF-8 text (invalid byte sequence at byte offset \(offset))")
    }

    private static func parse<Sink: RowSink>(_ source: CSVSource, range: Range<Int>, isLast: Bool, sink: Sink,
                                             progress: ProgressMeter.Input?) throws -> Part<Sink> {
        let parser = LibCSVParser(delimiter: source.delimiter)
        var validator = UTF8Validator()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(blockBytes, max(range.count, 1)), alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        var utf8Error: Int?
        var reported = 0
        while offset < range.upperBound {
            let want = min(buffer.count, range.upperBound - offset)
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset)
            if n == 0 { break }
            let block = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            if let bad = validator.validate(block, at: offset) {
                utf8Error = bad
                break
            }
            parser.feed(block, to: sink)
            if parser.overflowed { break }
            offset += n
            if let progress {
                progress.advance(bytes: n, rows: parser.rowCount - reported)
                reported = parser.rowCount
            }
        }
        if utf8Error == nil && isLast && !parser.overflowed {
            utf8Error = validator.finish()
            parser.finish(to: sink)
        }
        return Part(sink: sink, rows: parser.rowCount, lines: parser.line,
                    endedOnBoundary: parser.isAtRecordBoundary && !parser.overflowed, utf8Error: utf8Error,
                    overflowLine: parser.overflowed ? parser.currentRecordLine : nil)
    }

    /// Chunk start offsets: the first is `dataStart`, the others just after a line feed.
    private static func boundaries(_ source: CSVSource, chunkBytes: Int, maxChunks: Int) throws -> [Int] {
        let dataBytes = source.size - source.dataStart
        let count = min(maxChunks, dataBytes / max(chunkBytes, 1))
        guard count > 1 else { return [source.dataStart] }
        let step = dataBytes / count
        var starts = [source.dataStart]
        var probe = [UInt8](repeating: 0, count: 64 * 1024)
        for k in 1..<count {
            var at = max(source.dataStart + k * step, starts.last! + 1)
            var found: Int?
            while found == nil && at < source.size {
                let n = try probe.withUnsafeMutableBytes { try source.read(into: $0, at: at) }
                if n == 0 { break }
                if let i = probe[0..<n].firstIndex(of: 0x0A) { found = at + i + 1 } else { at += n }
            }
            guard let cut = found, cut < source.size else { break }
            starts.append(cut)
        }
        return starts
    }
}
