import Foundation
import Logging
import OpsETL

/// Fuzz target `ingest`: one input file through the real job, bytes → rows, rejects, ledger.
///
/// The first byte chooses which input the bytes replace (users, sales, channels, events), the
/// delimiter (`,` `;` tab) and `unknown_users` (reject or ignore); the other three inputs are
/// small valid files. Invariants checked on every input:
/// - chunked scanning (tiny chunks, several at once) yields exactly the records of a sequential scan;
/// - a failure is an `OpsError` of exit 1 or 2 whose message is one line;
/// - each input's ledger balances: `rows_read = rows_kept + rejected + duplicates + after_as_of +
///   excluded_status + unknown_user_ignored`, `rows_kept` is the number of rows the analyses get,
///   and `rows_read` of the fuzzed file is the number of records the scanner saw;
/// - every rejected row appears once in `rejects/<input>.csv` (written and read back), one line each.
final class IngestTarget: @unchecked Sendable {
    static let shared = IngestTarget()

    private let dir: URL
    private var pipelines: [Int: Pipeline] = [:]
    private let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
    private static let kinds: [InputKind] = [.users, .sales, .channels, .events]
    private static let delimiters: [(json: String, byte: UInt8)] = [(",", 0x2C), (";", 0x3B), ("\\t", 0x09)]

    private init() {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        dir = URL(fileURLWithPath: base).appendingPathComponent("opsetl-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fixed: [String: String] = [
            "users.csv": "user_id,signup_at,channel,country\nu1,2025-01-05 10:00,Facebook Ads,CN\nu2,2025-01-06,fb,\nu3,2025-02-01T08:00:00+08:00,google,US\nu4,1738368000,,DE\n",
            "sales.csv": "order_id,user_id,ordered_at,amount,status,updated_at\no1,u1,2025-01-07,¥120.50,paid,2025-01-07\no2,u2,2025-01-08,30,refunded,\no3,u9,2025-01-09,5,paid,\no1,u1,2025-01-07,120.5,paid,2025-01-08\n",
            "channels.csv": "date,channel,campaign,spend,impressions,clicks\n2025-01-05,facebook,a,100,\"1,000\",10\n2025-01-05,google,,50.25,,\n",
            "events.csv": "user_id,event,occurred_at,event_id\nu1,view_item,2025-01-05 11:00,e1\nu1,add_to_cart,2025-01-05 11:05,\nu9,view_item,2025-01-06,e2\n",
        ]
        for (name, text) in fixed { try? Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        atexit { IngestTarget.removeFolder() }
    }

    /// The scratch folder goes when the process exits normally (a crash leaves it for inspection).
    private static func removeFolder() {
        try? FileManager.default.removeItem(at: shared.dir)
    }

    /// The pipeline for selector `s` (0..<24): kind = s % 4, delimiter = s / 4 % 3, ignore unknown users = s >= 12.
    private func pipeline(_ s: Int) throws -> Pipeline {
        if let p = pipelines[s] { return p }
        let kind = IngestTarget.kinds[s % 4]
        let delimiter = IngestTarget.delimiters[s / 4 % 3].json
        func input(_ k: InputKind) -> String {
            k == kind ? #"{ "path": "fuzzed.csv", "delimiter": "\#(delimiter)" }"# : #"{ "path": "\#(k.rawValue).csv" }"#
        }
        let json = """
            { "version": 1, "name": "fuzz", "timezone": "America/New_York", "since": "2025-01-01", "as_of": "2025-06-30",
              "inputs": { "users": \(input(.users)), "sales": \(input(.sales)), "channels": \(input(.channels)), "events": \(input(.events)) },
              "cleaning": { "channel_aliases": { "fb": "facebook", "Facebook Ads": "facebook" },
                            "unknown_users": "\(s >= 12 ? "ignore" : "reject")", "max_reject_rate": 1 },
              "funnel": { "steps": ["signup", "view_item", "purchase"] },
              "output": { "dir": "out" } }
            """
        let path = dir.appendingPathComponent("pipeline-\(s).json")
        try Data(json.utf8).write(to: path)
        let loaded = try Pipeline.load(path: path.path)
        pipelines[s] = loaded
        return loaded
    }

    /// One input at a time: the target reuses one folder and its files (tests may call it from several threads).
    private let lock = NSLock()

    func check(_ input: UnsafeRawBufferPointer) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        guard let selector = input.first else { return [] }
        let s = Int(selector) % 24
        let kind = IngestTarget.kinds[s % 4]
        let delimiter = IngestTarget.delimiters[s / 4 % 3].byte
        let fuzzed = dir.appendingPathComponent("fuzzed.csv")
        do {
            try Data(UnsafeRawBufferPointer(rebasing: input[1...])).write(to: fuzzed)
        } catch {
            return ["cannot write the fuzzed file: \(error)"]
        }
        let pipeline: Pipeline
        do { pipeline = try self.pipeline(s) } catch { return ["fuzz pipeline does not load: \(error)"] }
        var violations: [String] = []

        // 1. Chunked scanning = sequential scanning.
        let sequential = scan(fuzzed.path, delimiter: delimiter, chunkBytes: 1 << 30, maxChunks: 1)
        let chunked = scan(fuzzed.path, delimiter: delimiter, chunkBytes: 1 + Int(selector) % 13, maxChunks: 4)
        if sequential != chunked {
            violations.append("chunked scan differs from sequential scan: \(chunked) vs \(sequential)")
        }

        // 2. The job up to integration, and its ledger.
        let job = PipelineJob(pipeline: pipeline, settings: .init(maxChunks: 3), logger: logger)
        let prepared: PipelineJob.Prepared
        do {
            prepared = try job.prepare()
        } catch let error as OpsError {
            if error.kind == .qualityGate { violations.append("prepare() failed the quality gate: \(error.message)") }
            if error.message.contains(where: { $0.isNewline }) { violations.append("error message is not one line: \(error.message.debugDescription)") }
            return violations
        } catch {
            return violations + ["prepare() threw a non-OpsError: \(error)"]
        }
        if case .failed(let message) = sequential {
            violations.append("the scanner failed (\(message)) but the job did not")
        }
        let quality = prepared.quality
        for q in quality.inputs {
            let rejects = quality.rejects[q.kind] ?? []
            let parts = [q.rowsKept, q.rejected, q.duplicates, q.afterAsOf, q.excludedStatus, q.unknownUserIgnored]
            if parts.contains(where: { $0 < 0 }) || parts.reduce(0, +) != q.rowsRead {
                violations.append("\(q.kind.rawValue): ledger does not balance: read \(q.rowsRead), parts \(parts)")
            }
            if rejects.count != q.rejected {
                violations.append("\(q.kind.rawValue): \(rejects.count) reject rows for rejected = \(q.rejected)")
            }
            let places = Set(rejects.map { "\($0.file):\($0.line)" })
            if places.count != rejects.count {
                violations.append("\(q.kind.rawValue): two rejects share a file and line")
            }
            if q.kind == kind, case .rows(let records) = sequential, records.count != q.rowsRead {
                violations.append("\(q.kind.rawValue): rows_read \(q.rowsRead) but the scanner saw \(records.count) records")
            }
            violations += rejectsRoundTrip(quality, q.kind, expected: rejects)
        }
        let data = prepared.data
        let kept: [InputKind: Int] = [
            .users: data.users.count,
            .sales: data.sales.count,
            .channels: data.spend.count,
            .events: data.stream.events.count - data.users.count - data.sales.filter { $0.amount > 0 }.count,
        ]
        for q in quality.inputs where kept[q.kind] != q.rowsKept {
            violations.append("\(q.kind.rawValue): rows_kept \(q.rowsKept) but the analyses get \(kept[q.kind] ?? -1) rows")
        }
        // 3. The analyses run on whatever survived.
        do {
            _ = try AnalysisResults.compute(data, pipeline: pipeline)
        } catch {
            violations.append("analyses threw: \(error)")
        }
        return violations
    }

    /// Writes `rejects/<kind>.csv` as the job would and reads it back: one record per reject,
    /// each `file,line,reason` plus the row's own fields.
    private func rejectsRoundTrip(_ quality: QualityReport, _ kind: InputKind, expected: [RejectedRow]) -> [String] {
        let path = dir.appendingPathComponent("rejects-\(kind.rawValue).csv")
        do { try Data(QualityTables.rejects(quality, kind: kind).data).write(to: path) } catch { return ["cannot write rejects: \(error)"] }
        guard case .rows(let records) = scan(path.path, delimiter: 0x2C, chunkBytes: 1 << 30, maxChunks: 1) else {
            return ["\(kind.rawValue): rejects file does not read back"]
        }
        guard records.count == expected.count else {
            return ["\(kind.rawValue): rejects file has \(records.count) rows for \(expected.count) rejects"]
        }
        for (record, reject) in zip(records, expected) where record.fields.count != 3 + reject.fields.count
            || record.fields[1] != String(reject.line) || record.fields[2] != reject.reason {
            return ["\(kind.rawValue): rejects row \(record.fields.prefix(3)) does not match reject at line \(reject.line)"]
        }
        return []
    }

    enum Scan: Equatable {
        case rows([Record])
        case failed(String)
    }

    struct Record: Equatable {
        var line: Int
        var fields: [String]
        var unterminated: Bool
    }

    private final class Collector: RowSink {
        var records: [Record] = []
        func consume(_ row: RawRow) {
            records.append(Record(line: row.relativeLine, fields: row.strings, unterminated: row.unterminatedQuote))
        }
    }

    private func scan(_ path: String, delimiter: UInt8, chunkBytes: Int, maxChunks: Int) -> Scan {
        do {
            let spec = InputSpec(path: path, resolvedPath: path, delimiter: delimiter)
            let file = try InputFileSet(kind: .users, spec: spec, baseDirectory: dir.path).files[0]
            let source = try CSVSource(file: file, delimiter: delimiter)
            let chunks = try CSVScanner.scan(source, chunkBytes: chunkBytes, maxChunks: maxChunks) { _ in Collector() }
            var all: [Record] = []
            for chunk in chunks {
                all += chunk.sink.records.map { Record(line: $0.line + chunk.firstLine, fields: $0.fields, unterminated: $0.unterminated) }
            }
            return .rows(all)
        } catch let error as OpsError {
            return .failed(error.message)
        } catch {
            return .failed("\(error)")
        }
    }
}
