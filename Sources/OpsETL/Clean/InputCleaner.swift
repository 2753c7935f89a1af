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
        var rowsRead = 0
        var span = DateSpan()
        var firstHeader: (header: [String], file: String)?
        for (index, file) in fileSet.files.enumerated() {
            let source = try CSVSource(file: file, delimiter: spec.delimiter)
            guard let header = source.header else { continue }   // a zero-byte file is an empty input
            if let first = firstHeader {
                guard header.map(ColumnMap.normalize) == first.header.map(ColumnMap.normalize) else {
                    throw OpsError.configuration(
                        "\(file.displayPath): header differs from \(first.file) (all files of inputs.\(fileSet.kind.rawValue).path must share one header): "
                        + "found \(header.joined(separator: ",")), expected \(first.header.joined(separator: ","))")
                }
            } else {
                firstHeader = (header, file.displayPath)
            }
            let map = try ColumnMap(kind: fileSet.kind, columns: spec.columns, header: header, file: file.displayPath)
            let chunks = try CSVScanner.scan(source, maxChunks: maxChunks) { _ in makeSink(map, index) }
            for chunk in chunks {
                chunk.sink.rebaseLines(firstLine: chunk.firstLine)
                rows.append(contentsOf: chunk.sink.rows)
                rejects.append(contentsOf: chunk.sink.rejects)
                rowsRead += chunk.rows
                span = span.union(chunk.sink.span)
            }
        }
        return CleanedInput(kind: fileSet.kind, files: fileSet.files, header: firstHeader?.header,
                            rows: rows, rejects: rejects, rowsRead: rowsRead, span: span)
    }
}
