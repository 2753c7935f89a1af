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
        var rejects: [RejectedRow] = []
        var origins: [Int: RowOrigin] = [:]
        var rowsRead = 0
        var span = DateSpan()
        var shared = SharedHeader(kind: fileSet.kind, spec: spec)
        for (index, file) in fileSet.files.enumerated() {
            let source = try CSVSource(file: file, delimiter: spec.delimiter)
            guard let map = try shared.columnMap(for: source) else { continue }   // a zero-byte file is an empty input
            let chunks = try CSVScanner.scan(source, maxChunks: maxChunks) { _ in makeSink(map, index) }
            for chunk in chunks {
                chunk.sink.rebaseLines(firstLine: chunk.firstLine)
                for o in chunk.sink.origins { origins[rows.count + o.row] = o.origin }
                if rows.isEmpty && chunks.count > 1 {
                    rows.reserveCapacity(chunks.reduce(0) { $0 + $1.sink.rows.count })
                }
                rows.append(contentsOf: chunk.sink.rows)
                rejects.append(contentsOf: chunk.sink.rejects)
                rowsRead += chunk.rows
                span = span.union(chunk.sink.span)
            }
        }
        return CleanedInput(kind: fileSet.kind, files: fileSet.files, header: shared.first?.header,
                            rows: rows, rejects: rejects, origins: origins, rowsRead: rowsRead, span: span)
    }
}
