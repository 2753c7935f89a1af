import Foundation

/// Clean: runs one input's files through the scanner into a `CleanedInput` (SPEC §3.1–§3.4 step 1).
///
/// Files are read one after another in sorted path order, each on every core; they must
/// share one header (trimmed, case-insensitive), so one column map serves them all.
enum InputCleaner {
    static func run<Sink: CleaningSink>(
        _ fileSet: InputFileSet,
        spec: InputSpec,
        maxChunks: Int,
        progress: ProgressMeter? = nil,
        makeSink: (_ map: ColumnMap, _ file: Int) -> Sink
    ) throws -> CleanedInput<Sink.Row> {
        var rows: [Sink.Row] = []
        var keys: [IdKey] = []
        var rejects: [RejectedRow] = []
        var origins: [Int: RowOrigin] = [:]
        var rowsRead = 0
        var span = DateSpan()
        var shared = SharedHeader(kind: fileSet.kind, spec: spec)
        // Rows take ≥ 32 bytes of CSV. The input's first chunk gets room for every row of the input, and
        // the others are appended to its arrays, so millions of rows are never copied to grow or to
        // concatenate; each chunk gets room for its share of its file. Untouched room costs no memory.
        let inputBytes = fileSet.files.reduce(0) { $0 + InputCleaner.size(of: $1.path) }
        let meter = progress?.start(fileSet.kind, totalBytes: inputBytes)
        var digests: [FileDigest] = []
        // Issue 15: the arrays of chunks already appended, emptied with their room kept, for the
        // next chunks' sinks (at most one batch of chunks in flight, plus one).
        var spares: [(rows: [Sink.Row], keys: [IdKey])] = []
        for (index, file) in fileSet.files.enumerated() {
            // SPEC §3.2: the file's encoding and `.gz`; its digest comes from the same read (SPEC §9).
            let source = try CSVSource(file: file, spec: spec, kind: fileSet.kind)
            guard let map = try shared.columnMap(for: source) else {   // a zero-byte file is an empty input
                digests.append(try source.reader.finish())
                continue
            }
            meter?.advance(bytes: source.reader.storedBytes, rows: 0)
            // A chunk holds at most one piece of the scanner's text, unless a piece after it had to be re-parsed.
            let share = min(source.reader.gzip ? Int.max : source.size, CSVScanner.defaultChunkBytes) / 32 + 1024
            let base = rows.isEmpty ? inputBytes / 32 + 1024 : share
            // Each chunk is taken as soon as the scanner has finished it, so its rows are freed while
            // the rest of the file is parsed: an input is never held twice (in chunks and here).
            try CSVScanner.scan(source, maxChunks: maxChunks, progress: meter, makeSink: { i in
                let sink = makeSink(map, index)
                if i > 0 || index > 0, let spare = spares.popLast() { sink.adopt(rows: spare.rows, keys: spare.keys) }
                sink.reserve(rows: i == 0 ? base : share)
                return sink
            }) { chunk in
                chunk.sink.rebaseLines(firstLine: chunk.firstLine)
                for o in chunk.sink.origins { origins[rows.count + o.row] = o.origin }
                // Each chunk's rows are taken (and freed) as they are appended: the input is never held twice.
                var part = chunk.sink.take()
                if rows.isEmpty && keys.isEmpty {
                    rows = part.rows
                    keys = part.keys
                } else {
                    rows.append(contentsOf: part.rows)
                    keys.append(contentsOf: part.keys)
                    if spares.count <= maxChunks {
                        part.rows.removeAll(keepingCapacity: true)
                        part.keys.removeAll(keepingCapacity: true)
                        spares.append(part)
                    }
                }
                rejects.append(contentsOf: chunk.sink.rejects)
                rowsRead += chunk.rows
                span = span.union(chunk.sink.span)
            }
            digests.append(try source.reader.finish())
        }
        meter?.finish(rows: rowsRead)
        return CleanedInput(kind: fileSet.kind, files: fileSet.files, header: shared.first?.header,
                            rows: rows, rejects: rejects, origins: origins, keys: keys, rowsRead: rowsRead, span: span,
                            digests: digests)
    }

    static func size(of path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
