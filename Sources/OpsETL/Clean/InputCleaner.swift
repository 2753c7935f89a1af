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
        makeSink: (_ map: ColumnMap, _ file: Int) -> Sink
    ) throws -> CleanedInput<Sink.Row> {
        var rows: [Sink.Row] = []
        var keys: [IdKey] = []
        var rejects: [RejectedRow] = []
        var origins: [Int: RowOrigin] = [:]
        var rowsRead = 0
        var span = DateSpan()
        var shared = SharedHeader(kind: fileSet.kind, spec: spec)
        for (index, file) in fileSet.files.enumerated() {
            // Room for the whole input at once (a row takes ≥ 32 bytes of CSV), so appending chunks does
            // not copy millions of rows again and again while growing; untouched room costs no memory.
            if rows.isEmpty, index == 0 {
                let bytes = fileSet.files.reduce(0) { $0 + InputCleaner.size(of: $1.path) }
                rows.reserveCapacity(bytes / 32)
                if Sink.hasKeys { keys.reserveCapacity(bytes / 32) }
            }
            let source = try CSVSource(file: file, delimiter: spec.delimiter)
            guard let map = try shared.columnMap(for: source) else { continue }   // a zero-byte file is an empty input
            let chunks = try CSVScanner.scan(source, maxChunks: maxChunks) { _ in makeSink(map, index) }
            for chunk in chunks {
                chunk.sink.rebaseLines(firstLine: chunk.firstLine)
                for o in chunk.sink.origins { origins[rows.count + o.row] = o.origin }
                // Each chunk's rows are taken (and freed) as they are appended: the input is never held twice.
                let part = chunk.sink.take()
                rows.append(contentsOf: part.rows)
                keys.append(contentsOf: part.keys)
                rejects.append(contentsOf: chunk.sink.rejects)
                rowsRead += chunk.rows
                span = span.union(chunk.sink.span)
            }
        }
        return CleanedInput(kind: fileSet.kind, files: fileSet.files, header: shared.first?.header,
                            rows: rows, rejects: rejects, origins: origins, keys: keys, rowsRead: rowsRead, span: span)
    }

    static func size(of path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
