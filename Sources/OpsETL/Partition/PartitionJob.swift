import Foundation

/// Partition: the stages of a partitioned run (docs/partitioned.md), each a pure function of the pipeline, its
/// inputs and the stage's own input files, so any engine may run them anywhere, retry them and
/// shuffle their outputs: plan → map (per file) → resolve → dedupe (per dedup-key partition) →
/// analyze (per user partition) → merge. The merge rebuilds exactly what `PipelineJob.prepare`
/// hands the analyses (SPEC §3.4–§3.5), so a partitioned run writes the same bytes as `run`.
public struct PartitionJob: Sendable {
    public let job: PipelineJob
    var pipeline: Pipeline { job.pipeline }

    public init(job: PipelineJob) {
        self.job = job
    }

    /// Task order: users, channels, sales, events (the order the in-memory run reads them).
    static let taskOrder: [InputKind] = [.users, .channels, .sales, .events]

    func fileSet(_ sets: PipelineJob.FileSets, _ kind: InputKind) -> InputFileSet? {
        switch kind {
        case .users: sets.users
        case .sales: sets.sales
        case .channels: sets.channels
        case .events: sets.events
        }
    }

    static func partFile(_ dir: String, _ p: Int) -> String { "\(dir)/part-\(p).bin" }

    // MARK: - plan

    /// `plan.json` for `partitions` partitions.
    public func plan(partitions: Int) throws -> PartPlan {
        guard partitions >= 1 && partitions <= 65_536 else {
            throw OpsError.configuration("--partitions must be between 1 and 65536, got \(partitions)")
        }
        _ = try job.zoneRules()
        let sets = try job.fileSets()
        var tasks: [PartPlan.Task] = []
        for kind in Self.taskOrder {
            guard let set = fileSet(sets, kind) else { continue }
            for (i, file) in set.files.enumerated() {
                tasks.append(.init(task: tasks.count, kind: kind.rawValue, file: i, path: file.path, bytes: InputCleaner.size(of: file.path)))
            }
        }
        return PartPlan(format: Int(PartFile.formatVersion), partitions: partitions, tasks: tasks)
    }

    // MARK: - resolve

    /// The task ledgers, one per task of the plan (an identical copy of one, as a retried or
    /// speculative task leaves, counts once; a differing copy or a missing task is exit 1).
    static func ledgers(_ paths: [String], tasks expected: Int?) throws -> [PartTaskLedger] {
        var byTask: [Int: (ledger: PartTaskLedger, bytes: [UInt8], path: String)] = [:]
        for path in paths {
            let ledger = try PartTaskLedger.read(path)
            let bytes = ledger.encode()
            if let seen = byTask[ledger.task] {
                guard seen.bytes == bytes else {
                    throw OpsError.runtime("\(path): a second, different ledger of map task \(ledger.task) (first: \(seen.path))")
                }
                continue
            }
            byTask[ledger.task] = (ledger, bytes, path)
        }
        let count = expected ?? byTask.count
        for k in 0..<count where byTask[k] == nil {
            throw OpsError.runtime("map task \(k): no task.bin among the files given (\(byTask.count) of \(count) tasks)")
        }
        if let extra = byTask.keys.first(where: { $0 >= count }) {
            throw OpsError.runtime("\(byTask[extra]!.path): map task \(extra) is not in this run's plan of \(count) tasks")
        }
        return (0..<count).map { byTask[$0]!.ledger }
    }

    /// SPEC §2: every file of an input shares the first file's header (exit 2 naming the odd file).
    static func checkHeaders(_ ledgers: [PartTaskLedger]) throws -> [InputKind: [String]] {
        var first: [InputKind: (header: [String], file: String)] = [:]
        // In task order: the order the in-memory run reads (and checks) the files.
        for l in ledgers {
            guard let header = l.header else { continue }
            if let f = first[l.kind] {
                guard header.map(ColumnMap.normalize) == f.header.map(ColumnMap.normalize) else {
                    throw OpsError.configuration(
                        "\(l.displayPath): header differs from \(f.file) (all files of inputs.\(l.kind.rawValue).path must share one header): "
                        + "found \(ColumnMap.describe(header)), expected \(ColumnMap.describe(f.header))")
                }
            } else {
                first[l.kind] = (header, l.displayPath)
            }
        }
        return first.mapValues(\.header)
    }

    /// `since`/`as_of` exactly as `PipelineJob.prepare` resolves them (SPEC §2/§9).
    public func resolve(plan: PartPlan, taskFiles: [String]) throws -> PartContext {
        let ledgers = try Self.ledgers(taskFiles, tasks: plan.tasks.count)
        _ = try Self.checkHeaders(ledgers)
        let zone = try job.zoneRules()
        var span = DateSpan()
        for l in ledgers { span = span.union(l.span) }
        let today = zone.localDate(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
        let asOf = pipeline.asOf ?? span.max ?? max(today, pipeline.since ?? today)
        let since = pipeline.since ?? span.min.map { min($0, asOf) } ?? asOf
        if since > asOf {
            throw OpsError.configuration("\(pipeline.filePath): since (\(since)) is after as_of (\(asOf))")
        }
        return PartContext(since: since, asOf: asOf, tasks: plan.tasks.count, partitions: plan.partitions)
    }
}

extension InputKind {
    /// The ledger order of SPEC §5: users, sales, channels, events.
    var order: Int {
        switch self {
        case .users: 0
        case .sales: 1
        case .channels: 2
        case .events: 3
        }
    }
}
