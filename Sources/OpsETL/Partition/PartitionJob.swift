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

    // MARK: - map

    /// Parses and cleans one file (SPEC §3.1–§3.4 step 1): `part-<p>.bin` per partition of the
    /// dedup key, and `task.bin` (ledger, rejects, span, digest, header).
    public func map(plan: PartPlan, task k: Int, partitions: Int, outDir: String) throws {
        guard k >= 0 && k < plan.tasks.count else {
            throw OpsError.configuration("--task \(k): the plan has tasks 0…\(plan.tasks.count - 1)")
        }
        guard partitions == plan.partitions else {
            throw OpsError.configuration("--partitions \(partitions) differs from the plan's \(plan.partitions)")
        }
        let t = plan.tasks[k]
        let sets = try job.fileSets()
        guard let kind = InputKind(rawValue: t.kind), let set = fileSet(sets, kind), t.file < set.files.count,
              set.files[t.file].path == t.path else {
            throw OpsError.runtime("plan.json: task \(k) (\(t.path)) no longer matches the pipeline's inputs; run 'opsetl part plan' again")
        }
        let file = set.files[t.file]
        let spec = pipeline.inputs.spec(kind)!
        let zone = try job.zoneRules()
        let channels = ChannelNormalizer(aliases: pipeline.cleaning.channelAliases)
        let longIds = LongIds()
        let one = InputFileSet(kind: kind, files: [file])
        let chunks = job.settings.maxChunks
        let fileIndex = Int32(t.file)
        var parts = [PartBatch](repeating: PartBatch(), count: partitions)
        // The column positions of the ids, read from the file's header as the cleaner reads them.
        var shared = SharedHeader(kind: kind, spec: spec)
        let columns = try shared.columnMap(for: try CSVSource(file: file, delimiter: spec.delimiter))
        func trimmed(_ fields: [String], _ column: String) -> String {
            guard let p = columns?.position(of: column), p < fields.count else { return "" }
            return ByteTrim.trim(fields[p])
        }

        let rejects: [RejectedRow], header: [String]?, rowsRead: Int, span: DateSpan
        switch kind {
        case .users:
            let c = try InputCleaner.run(one, spec: spec, maxChunks: chunks) { map, f in
                UsersSink(map: map, file: f, zone: zone, channels: channels, longIds: longIds)
            }
            for (i, r) in c.rows.enumerated() {
                parts[PartBatch.partition(of: r.id, partitions: partitions)].users.append(.init(
                    ordinal: .init(file: fileIndex, index: Int32(i)), id: r.id, signupAt: r.signupAt, signupDate: r.signupDate,
                    channel: r.channel, country: r.country))
            }
            (rejects, header, rowsRead, span) = (c.rejects, c.header, c.rowsRead, c.span)
        case .sales:
            // No user is known yet: every row keeps its original fields (an `unknown_user` reject
            // needs them), and analyze drops them once the user is found.
            let none = KnownUsers(keys: [])
            let statuses = StatusMatcher(excludeStatuses: pipeline.cleaning.excludeStatuses)
            let c = try InputCleaner.run(one, spec: spec, maxChunks: chunks) { map, f in
                SalesSink(map: map, file: f, zone: zone, users: none, longIds: longIds, statuses: statuses)
            }
            for (i, r) in c.rows.enumerated() {
                let origin = c.origins[i]!
                let order = trimmed(origin.fields, "order_id")
                parts[PartBatch.partition(of: order, partitions: partitions)].sales.append(.init(
                    ordinal: .init(file: fileIndex, index: Int32(i)), orderId: order, userId: trimmed(origin.fields, "user_id"),
                    orderedAt: r.orderedAt, orderedDate: r.orderedDate, amount: r.amount, updatedAt: r.updatedAt,
                    excluded: r.excluded, line: Int32(origin.line), fields: origin.fields))
            }
            (rejects, header, rowsRead, span) = (c.rejects, c.header, c.rowsRead, c.span)
        case .events:
            let none = KnownUsers(keys: [])
            let names = EventNames()
            let c = try InputCleaner.run(one, spec: spec, maxChunks: chunks) { map, f in
                EventsSink(map: map, file: f, zone: zone, users: none, longIds: longIds, names: names)
            }
            let nameList = names.names
            for (i, r) in c.rows.enumerated() {
                let origin = c.origins[i]!
                let user = trimmed(origin.fields, "user_id")
                let id = trimmed(origin.fields, "event_id")
                // SPEC §3.4: keyed by event_id where present, else by the tuple, whose duplicates share the user.
                let key = id.isEmpty ? user : id
                parts[PartBatch.partition(of: key, partitions: partitions)].events.append(.init(
                    ordinal: .init(file: fileIndex, index: Int32(i)), eventId: id.isEmpty ? nil : id, userId: user,
                    name: nameList[Int(r.name)], at: r.at, line: Int32(origin.line), fields: origin.fields))
            }
            (rejects, header, rowsRead, span) = (c.rejects, c.header, c.rowsRead, c.span)
        case .channels:
            let c = try InputCleaner.run(one, spec: spec, maxChunks: chunks) { map, f in
                ChannelsSink(map: map, file: f, zone: zone, channels: channels)
            }
            // Spend is small and keyed by (date, channel, campaign): all of it goes to partition 0.
            for (i, r) in c.rows.enumerated() {
                parts[0].spend.append(.init(ordinal: .init(file: fileIndex, index: Int32(i)), row: r))
            }
            (rejects, header, rowsRead, span) = (c.rejects, c.header, c.rowsRead, c.span)
        }
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        for p in parts.indices {
            var w = PartWriter()
            w.int(k)
            w.int(p)
            w.int(partitions)
            parts[p].encode(into: &w)
            parts[p] = PartBatch()   // written: freed before the next is encoded
            try PartFile.write(.mapPartition, payload: w.bytes, to: Self.partFile(outDir, p))
        }
        let ledger = PartTaskLedger(
            task: k, kind: kind, file: t.file, displayPath: file.displayPath, rowsRead: rowsRead,
            rejects: rejects.map { var r = $0; r.file = t.file; return r },
            header: header, span: span, digest: try FileDigest(path: file.path, displayPath: file.displayPath),
            usedAliasKeys: channels.usedAliasKeys.sorted())
        try ledger.write(to: "\(outDir)/task.bin")
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
