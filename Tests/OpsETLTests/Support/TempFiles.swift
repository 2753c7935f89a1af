import Foundation
@testable import OpsETL

/// A fresh temporary folder per test, removed when the value is released.
final class TempDir {
    let url: URL
    var path: String { url.path }

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("opsetl-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `name` (folders created) and returns the absolute path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = url.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, bytes: Array(text.utf8)) }

    func read(_ name: String) -> String? {
        try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }
}

/// Collects every record with its absolute line, for ingest tests.
final class CollectingSink: RowSink {
    var rows: [(line: Int, fields: [String], unterminated: Bool)] = []
    func consume(_ row: RawRow) { rows.append((row.relativeLine, row.strings, row.unterminatedQuote)) }
}

/// Scans a file and returns (header, rows with absolute line numbers).
func scanAll(_ path: String, delimiter: UInt8 = UInt8(ascii: ","), chunkBytes: Int = CSVScanner.defaultChunkBytes,
             maxChunks: Int = 1) throws -> (header: [String]?, rows: [(line: Int, fields: [String], unterminated: Bool)]) {
    let source = try CSVSource(file: .init(path: path, displayPath: path), delimiter: delimiter)
    let chunks = try CSVScanner.scan(source, chunkBytes: chunkBytes, maxChunks: maxChunks) { _ in CollectingSink() }
    var rows: [(line: Int, fields: [String], unterminated: Bool)] = []
    for chunk in chunks {
        rows += chunk.sink.rows.map { ($0.line + chunk.firstLine, $0.fields, $0.unterminated) }
    }
    return (source.header, rows)
}

/// The repository root (tests read shared fixtures relative to it).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
