/// Ingest: streams a file's records to per-chunk sinks, using every core on large files.
///
/// The file is read once, front to back, by its `InputReader` (SPEC §9: the checksum is of the
/// bytes parsed), in pieces of `chunkBytes` cut just after a line end. Up to `maxChunks` pieces
/// are read, then parsed at the same time, each by its own libcsv parser, while the next batch
/// of pieces is read. A cut may fall inside
/// a quoted field that holds a newline, so a piece's parse is trusted only when the parse before
/// it ended exactly on a record boundary; otherwise that piece is fed, from memory, to the
/// parser before it, which goes on sequentially. So the chunked parse always equals the
/// sequential one (a single parser fed every piece), and every byte is read once. Memory stays
/// bounded by two batches of `maxChunks` pieces whatever the file size. This holds for `.gz` and converted
/// files too: the pieces are cut from the decompressed UTF-8 text.

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

    /// Bytes per piece: a file smaller than this is parsed by one parser.
    public static let defaultChunkBytes = 8 << 20
    /// Bytes handed to libcsv per call (its record buffers grow to hold one call's records).
    static let blockBytes = 1 << 20

    /// Scans the data records of `source` (the header is already read) to its end.
    /// - Parameters:
    ///   - maxChunks: pieces parsed at the same time (1 = sequential).
    ///   - makeSink: creates the sink for chunk `i`.
    ///   - progress: told of the stored bytes read and the records parsed (SPEC §8 progress; per
    ///     piece, never per row).
    public static func scan<Sink: RowSink>(
        _ source: CSVSource,
        chunkBytes: Int = defaultChunkBytes,
        maxChunks: Int,
        progress: ProgressMeter.Input? = nil,
        makeSink: (Int) -> Sink
    ) throws -> [Chunk<Sink>] {
        var chunks: [Chunk<Sink>] = []
        try scan(source, chunkBytes: chunkBytes, maxChunks: maxChunks, progress: progress, makeSink: makeSink) {
            chunks.append($0)
        }
        return chunks
    }

    /// The same scan, handing each chunk to `onChunk` as soon as it is complete, in file order, so
    /// a caller can take its rows and free the sink while the rest of the file is parsed (a file
    /// is never held twice: once in its chunks and once in the caller's arrays).
    public static func scan<Sink: RowSink>(
        _ source: CSVSource,
        chunkBytes: Int = defaultChunkBytes,
        maxChunks: Int,
        progress: ProgressMeter.Input? = nil,
        makeSink: (Int) -> Sink,
        closingPieces: Bool = false,
        onChunk: (Chunk<Sink>) throws -> Void
    ) throws {
        var pieces = PieceReader(source: source, pieceBytes: max(chunkBytes, 16))
        defer { pieces.freeSpares() }
        var line = source.dataStartLine
        var sinksMade = 0
        var open: Segment<Sink>?
        var reportedStored = source.reader.storedBytes
        var reportedRows = 0
        var closedRows = 0

        // With more than one core, the next batch is read (hashed, decompressed, converted) and the
        // chunks the batch before completed are handed to `onChunk` (the caller appends their rows:
        // a copy into fresh pages) while this one is parsed, so neither leaves a core idle between
        // batches (issue 15: a third of the sales' ingest ran on one core). With one core, or for a
        // caller that streams (`closingPieces`), everything runs on the calling thread (`--threads 1`).
        let perBatch = max(1, maxChunks)
        let overlapHandOver = perBatch > 1 && !closingPieces
        var completed: [Chunk<Sink>] = []   // in file order, not yet handed over

        func handOver() throws {
            let ready = completed
            completed = []
            for chunk in ready { try onChunk(chunk) }
        }
        func close(_ segment: Segment<Sink>) throws {
            if segment.parser.overflowed { throw tooLong(source, line: line + segment.parser.currentRecordLine) }
            completed.append(Chunk(sink: segment.sink, firstLine: line, rows: segment.parser.rowCount))
            closedRows += segment.parser.rowCount
            line += segment.parser.line
            if !overlapHandOver { try handOver() }
        }

        var batch = try pieces.next(count: perBatch)
        while !batch.isEmpty {
            let segments: [Segment<Sink>] = batch.indices.map { i in
                if i == 0, let open { return open }
                defer { sinksMade += 1 }
                return Segment(delimiter: source.delimiter, sink: makeSink(sinksMade))
            }
            var upcoming: Result<[UnsafeMutableRawBufferPointer], any Error>?
            var handedOver: Result<Void, any Error> = .success(())
            let readAhead = perBatch > 1
            let handing = !completed.isEmpty
            // Largest tasks first (the pieces' parses), so the short ones fill the gaps at the end.
            _ = try parallelMap(batch.count + (readAhead ? 1 : 0) + (handing ? 1 : 0)) { i in
                if i < batch.count {
                    segments[i].feed(UnsafeRawBufferPointer(batch[i]))
                } else if i == batch.count && readAhead {
                    upcoming = Result { try pieces.next(count: perBatch) }
                } else {
                    handedOver = Result { try handOver() }
                }
            }
            do {
                try handedOver.get()
                // In file order: a piece parsed from a cut inside a record is parsed again by the parser before it.
                var current = segments[0]
                for i in 1..<batch.count {
                    if current.parser.overflowed { break }
                    if current.parser.isAtRecordBoundary {
                        try close(current)
                        current = segments[i]
                    } else {
                        current.feed(UnsafeRawBufferPointer(batch[i]))
                    }
                }
                if current.parser.overflowed { throw tooLong(source, line: line + current.parser.currentRecordLine) }
                // `closingPieces`: one piece at a time (maxChunks 1) still hands over each piece that
                // ended on a record boundary, so a caller that streams never holds the whole file.
                if closingPieces && batch.count == 1 && current.parser.isAtRecordBoundary {
                    try close(current)
                    open = nil
                } else {
                    open = current
                }
            } catch {
                for piece in batch { pieces.recycle(piece) }
                if case .success(let next)? = upcoming { for piece in next { pieces.recycle(piece) } }
                try handOver()   // the chunks completed before the failure still come first
                throw error
            }
            for piece in batch { pieces.recycle(piece) }
            batch = []
            if let progress {
                let rows = closedRows + (open?.parser.rowCount ?? 0)
                progress.advance(bytes: source.reader.storedBytes - reportedStored, rows: rows - reportedRows)
                reportedStored = source.reader.storedBytes
                reportedRows = rows
            }
            // An error reading ahead (not UTF-8, a damaged .gz) comes after every record before it.
            do {
                batch = try upcoming?.get() ?? pieces.next(count: perBatch)
            } catch {
                try handOver()
                throw error
            }
        }
        let last = open ?? Segment(delimiter: source.delimiter, sink: makeSink(sinksMade))
        last.parser.finish(to: last.sink)
        try close(last)
        try handOver()
        progress?.advance(bytes: source.reader.storedBytes - reportedStored, rows: closedRows - reportedRows)
    }

    /// One parser and its sink, fed pieces in file order.
    private final class Segment<Sink: RowSink> {
        let parser: LibCSVParser
        let sink: Sink
        init(delimiter: UInt8, sink: Sink) {
            parser = LibCSVParser(delimiter: delimiter)
            self.sink = sink
        }

        func feed(_ bytes: UnsafeRawBufferPointer) {
            var offset = 0
            while offset < bytes.count && !parser.overflowed {
                let n = min(CSVScanner.blockBytes, bytes.count - offset)
                parser.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), to: sink)
                offset += n
            }
        }
    }

    /// Cuts the UTF-8 text into pieces of about `pieceBytes`, each ending just after a line end
    /// (an LF, or a CR not followed by LF) when the piece holds one.
    ///
    /// Parsed pieces come back (`recycle`) and are read into again: a file's bytes go through
    /// the same two batches of buffers instead of fresh pages, which the kernel would first
    /// have to fault in and zero (issue 15: `clear_page_erms`, system time).
    private struct PieceReader {
        let source: CSVSource
        let pieceBytes: Int
        /// Bytes read after the last cut.
        var carry: [UInt8]
        var atEnd = false
        /// Buffers of `pieceBytes` whose piece was parsed, to be read into again.
        var spares: [UnsafeMutableRawPointer] = []

        init(source: CSVSource, pieceBytes: Int) {
            self.source = source
            self.pieceBytes = pieceBytes
            carry = source.pending
            source.pending = []
        }

        /// Gives a piece's buffer back once its bytes are parsed.
        mutating func recycle(_ piece: UnsafeMutableRawBufferPointer) {
            if let base = piece.baseAddress { spares.append(base) }
        }

        /// Frees the buffers kept for reuse (the scan is over).
        mutating func freeSpares() {
            for base in spares { base.deallocate() }
            spares = []
        }

        /// Up to `count` pieces; none at the end of the file.
        mutating func next(count: Int) throws -> [UnsafeMutableRawBufferPointer] {
            var pieces: [UnsafeMutableRawBufferPointer] = []
            do {
                while pieces.count < count, let piece = try nextPiece() { pieces.append(piece) }
            } catch {
                for piece in pieces { recycle(piece) }
                throw error
            }
            return pieces
        }

        private mutating func nextPiece() throws -> UnsafeMutableRawBufferPointer? {
            if atEnd && carry.isEmpty { return nil }
            let capacity = pieceBytes
            let buffer = spares.popLast().map { UnsafeMutableRawBufferPointer(start: $0, count: capacity) }
                ?? UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
            // Bytes already read come first (the header's block may hold several pieces); then the reader.
            var have = min(carry.count, capacity)
            carry.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<have])) }
            carry.removeFirst(have)
            do {
                while carry.isEmpty && !atEnd && capacity - have >= 4 {
                    let n = try source.reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[have...]))
                    if n == 0 { atEnd = true } else { have += n }
                }
            } catch {
                spares.append(buffer.baseAddress!)
                throw error
            }
            let last = atEnd && carry.isEmpty
            var cut = have
            if !last, let end = CSVScanner.lastLineEnd(UnsafeRawBufferPointer(rebasing: buffer[0..<have])) { cut = end }
            else if !last && have > 0 && buffer[have - 1] == 0x0D { cut = have - 1 }   // never between CR and LF
            if cut < have { carry = Array(UnsafeRawBufferPointer(rebasing: buffer[cut..<have])) + carry }
            if cut == 0 {
                spares.append(buffer.baseAddress!)
                if atEnd && carry.isEmpty { return nil }
                return try nextPiece()
            }
            return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<cut])
        }
    }

    /// Offset just after the last LF of `bytes`, else after its last CR that is followed by a byte other than LF.
    static func lastLineEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        if let i = bytes.lastIndex(of: 0x0A) { return i + 1 }
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0D { return i + 1 }   // bytes[i + 1] is not LF: there is none
            i -= 1
        }
        return nil
    }

    private static func tooLong(_ source: CSVSource, line: Int) -> OpsError {
        .runtime("\(source.displayPath):\(line): a record longer than \(LibCSVParser.maxRecordBytes >> 20) MiB starts here "
                 + "(a quote that is never closed?); stopped rather than read the rest of the file as one field")
    }
}
