import Foundation

/// Partition: the merge stage (docs/partitioned.md): the partials, task ledgers and dedupe counts of a
/// partitioned run become the `PipelineJob.Prepared` the in-memory run would have built (SPEC
/// §3.4 steps 4–5, §3.5, §5), and `PipelineJob.run` then gates, analyses, advises and publishes
/// exactly as `opsetl run` does (lock, atomic publish, marker, `.failed` on a gate failure).
///
/// Rows are put back in input order by their ordinals, and the kept users numbered in that order,
/// so the integration (unknown users, excluded statuses, the event stream and its name numbering)
/// runs the same code over the same rows as the in-memory run.
extension PartitionJob {
    /// The stage files given to `merge`, sorted by what they are.
    struct MergeInputs {
        var ledgers: [PartTaskLedger]
        var counts: [PartCounts]
        var partials: [PartBatch]
    }

    static func mergeInputs(_ paths: [String], context: PartContext) throws -> MergeInputs {
        var taskPaths: [String] = [], partialPaths: [String] = []
        var counts: [Int: (c: PartCounts, path: String)] = [:]
        for path in paths {
            let (kind, reader) = try PartFile.read(path)
            switch kind {
            case .task: taskPaths.append(path)
            case .partial: partialPaths.append(path)
            case .dedupeCounts:
                var r = reader
                let c = try PartCounts.decode(&r)
                if let seen = counts[c.partition], seen.c != c {
                    throw OpsError.runtime("\(path): a second, different copy of dedupe counts \(c.partition) (first: \(seen.path))")
                }
                counts[c.partition] = (c, path)
            default:
                throw OpsError.runtime("\(path): is a \(kind.name) file; merge takes partials, task.bin and counts.bin files")
            }
        }
        let ledgers = try ledgers(taskPaths, tasks: context.tasks)
        for p in 0..<context.partitions where counts[p] == nil {
            throw OpsError.runtime("dedupe partition \(p): no counts.bin among the files given (\(counts.count) of \(context.partitions))")
        }
        if let extra = counts.keys.first(where: { $0 >= context.partitions }) {
            throw OpsError.runtime("\(counts[extra]!.path): dedupe partition \(extra) is not one of this run's \(context.partitions)")
        }
        // Each partial once, by its partition (an identical second copy is ignored).
        var partials: [Int: (bytes: [UInt8], batch: PartBatch, path: String)] = [:]
        for path in partialPaths {
            var r = try PartFile.read(path, expecting: .partial).reader
            _ = try r.int()
            let q = try r.int(), n = try r.int()
            guard n == context.partitions, q >= 0, q < n else {
                throw OpsError.runtime("\(path): holds partition \(q) of \(n), this run has \(context.partitions) partitions")
            }
            let body = r.checksum
            if let seen = partials[q] {
                guard seen.bytes == body else { throw OpsError.runtime("\(path): a second, different partial of partition \(q) (first: \(seen.path))") }
                continue
            }
            partials[q] = (body, try PartBatch.decode(from: &r), path)
        }
        for q in 0..<context.partitions where partials[q] == nil {
            throw OpsError.runtime("analyze partition \(q): no partial among the files given (\(partials.count) of \(context.partitions))")
        }
        return MergeInputs(ledgers: ledgers, counts: (0..<context.partitions).map { counts[$0]!.c },
                           partials: (0..<context.partitions).map { partials[$0]!.batch })
    }

    /// `PipelineJob.Prepared` from the stage files.
    func prepared(context: PartContext, files: [String]) throws -> PipelineJob.Prepared {
        var timings = StageTimings()
        var inputs = try timings.measure("merge_read") { try Self.mergeInputs(files, context: context) }
        let headers = try Self.checkHeaders(inputs.ledgers)
        let zone = try job.zoneRules()
        let sets = try job.fileSets()
        let (since, asOf) = (context.since, context.asOf)

        var all = PartBatch()
        // Each partial is freed once appended: the rows are never held twice.
        for i in inputs.partials.indices {
            all.append(inputs.partials[i])
            inputs.partials[i] = PartBatch()
        }
        all.sort()
        func ledgers(_ kind: InputKind) -> [PartTaskLedger] { inputs.ledgers.filter { $0.kind == kind } }
        func cleaned<Row: Sendable>(_ kind: InputKind, _: Row.Type) -> CleanedInput<Row> {
            let ls = ledgers(kind)
            return CleanedInput<Row>(kind: kind, files: fileSet(sets, kind)?.files ?? [], header: headers[kind], rows: [],
                                     rejects: ls.flatMap(\.rejects), origins: [:], keys: [], rowsRead: ls.reduce(0) { $0 + $1.rowsRead },
                                     span: ls.reduce(DateSpan()) { $0.union($1.span) })
        }
        func deduped<Row: Sendable>(_ kind: InputKind, rows: [Row], origins: [Int: RowOrigin] = [:]) -> DedupedInput<Row> {
            DedupedInput(cleaned(kind, Row.self), rows: rows, origins: origins,
                         afterAsOf: inputs.counts.reduce(0) { $0 + ($1.afterAsOf[kind] ?? 0) },
                         duplicates: inputs.counts.reduce(0) { $0 + ($1.duplicates[kind] ?? 0) })
        }

        let (data, quality) = try timings.measure("merge_integrate") { () throws -> (IntegratedData, QualityReport) in
            let longIds = LongIds()
            // Ids and names as bytes, as the in-memory run compares them (`IdKey`, `EventNames`).
            var index: [[UInt8]: Int32] = [:]
            index.reserveCapacity(all.users.count)
            let users = all.users.enumerated().map { i, u -> UserRow in
                index[Array(u.id.utf8)] = Int32(i)
                var id = u.id
                let key = id.withUTF8 { IdKey($0, longIds: longIds) }
                return UserRow(id: u.id, key: key, signupAt: u.signupAt, signupDate: u.signupDate, channel: u.channel, country: u.country)
            }
            func origin(_ ordinal: PartBatch.Ordinal, line: Int32, fields: [String]?) throws -> RowOrigin {
                guard let fields else {
                    throw OpsError.runtime("partial: a row of an unknown user at file \(ordinal.file) line \(line) lacks its fields "
                                           + "(partials of another run?)")
                }
                return RowOrigin(file: Int(ordinal.file), line: Int(line), fields: fields)
            }
            var salesOrigins: [Int: RowOrigin] = [:]
            var sales: [SaleRow] = []
            sales.reserveCapacity(all.sales.count)
            for s in all.sales {
                let user = index[Array(s.userId.utf8)]
                if user == nil { salesOrigins[sales.count] = try origin(s.ordinal, line: s.line, fields: s.fields) }
                sales.append(SaleRow(orderedAt: s.orderedAt, user: user ?? -1, amount: s.amount, updatedAt: s.updatedAt,
                                     orderedDate: s.orderedDate, excluded: s.excluded))
            }
            all.sales = []
            var eventsInput: DedupedInput<EventRow>?
            var names: [String] = []
            if pipeline.inputs.events != nil && sets.events != nil {
                var numbers: [[UInt8]: Int32] = [:]
                var origins: [Int: RowOrigin] = [:]
                var rows: [EventRow] = []
                rows.reserveCapacity(all.events.count)
                for e in all.events {
                    let user = index[Array(e.userId.utf8)]
                    if user == nil { origins[rows.count] = try origin(e.ordinal, line: e.line, fields: e.fields) }
                    let n: Int32
                    let bytes = Array(e.name.utf8)
                    if let known = numbers[bytes] { n = known } else {
                        n = Int32(names.count)
                        numbers[bytes] = n
                        names.append(e.name)
                    }
                    rows.append(EventRow(at: e.at, name: n, user: user ?? -1))
                }
                all.events = []
                eventsInput = deduped(.events, rows: rows, origins: origins)
            }
            var channels: DedupedInput<SpendRow>?
            if pipeline.inputs.channels != nil && sets.channels != nil {
                channels = deduped(.channels, rows: all.spend.map(\.row))
            }
            var integrate = Integrator.Inputs(users: deduped(.users, rows: users), sales: deduped(.sales, rows: sales, origins: salesOrigins),
                                              channels: channels, events: eventsInput, eventNames: names)
            return Integrator.run(&integrate, cleaning: pipeline.cleaning, zone: zone, since: since, asOf: asOf)
        }

        var digests: [InputKind: [FileDigest]] = [:]
        var latest: [InputKind: LocalDate] = [:]
        for set in sets.all {
            let ls = ledgers(set.kind).sorted { $0.file < $1.file }
            digests[set.kind] = ls.map(\.digest)
            latest[set.kind] = ls.reduce(DateSpan()) { $0.union($1.span) }.max
        }
        for q in quality.inputs where q.rowsRead == 0 && (pipeline.inputs.spec(q.kind)?.minRows ?? 1) == 0 {
            job.logger.warning("input \(q.kind.rawValue) has no data rows")
        }
        let usedAliasKeys = Set(inputs.ledgers.flatMap(\.usedAliasKeys))
        let gate = QualityGate.evaluate(quality, pipeline: pipeline, asOf: asOf, latest: latest)
        let warnings = gate.noValidRow ? [] : DataWarning.find(pipeline: pipeline, data: data, usedAliasKeys: usedAliasKeys)
        return PipelineJob.Prepared(data: data, quality: quality, digests: digests, timings: timings,
                                    outputDirectory: job.resolveOutputDirectory(asOf: asOf), latestDates: latest, gate: gate,
                                    warnings: warnings)
    }

    /// `merge`: publishes the run's outputs from the stage files (exit 3 after `<dir>.failed` when the gate fails).
    public func merge(context: PartContext, files: [String]) throws -> PipelineJob.Outcome {
        try job.run(execution: { Self.execution(context, driver: "external") }) { try prepared(context: context, files: files) }
    }

    /// `summary.json`'s `execution` section of a partitioned run.
    static func execution(_ context: PartContext, driver: String) -> JSONValue {
        .object([("mode", .string("partitioned")), ("driver", .string(driver)), ("partitions", .int(context.partitions)),
                 ("tasks", .int(context.tasks))])
    }
}
