import Foundation

/// Partition: the merge stage (docs/partitioned.md): the partials, task ledgers and dedupe counts of a
/// partitioned run become the `PipelineJob.Prepared` of that run — the quality ledger of SPEC §5,
/// the rejects, the digests, the warnings, and the analyses' partials merged — and
/// `PipelineJob.run` then gates, finishes the analyses, advises and publishes exactly as `opsetl run`
/// does (lock, atomic publish, marker, `.failed` on a gate failure).
///
/// No row is rebuilt here: what the merge holds is the partials (sums per cohort, period, channel
/// and segment; the funnel's step durations), the rejects and the spend rows.
extension PartitionJob {
    /// The stage files given to `merge`, sorted by what they are.
    struct MergeInputs {
        var ledgers: [PartTaskLedger]
        var counts: [PartCounts]
        var partials: [PartPartial]
    }

    func mergeInputs(_ paths: [String], context: PartContext) throws -> MergeInputs {
        var taskPaths: [String] = []
        var counts: [Int: (c: PartCounts, path: String)] = [:]
        var partials: [Int: (checksum: [UInt8], partial: PartPartial, path: String)] = [:]
        let sets = try job.fileSets()
        let hasSpend = pipeline.inputs.channels != nil && sets.channels != nil
        for path in paths {
            var (kind, reader) = try PartFile.read(path)
            switch kind {
            case .task: taskPaths.append(path)
            case .dedupeCounts:
                let c = try PartCounts.decode(&reader)
                if let seen = counts[c.partition], seen.c != c {
                    throw OpsError.runtime("\(path): a second, different copy of dedupe counts \(c.partition) (first: \(seen.path))")
                }
                counts[c.partition] = (c, path)
            case .partial:
                let (q, n) = try PartPartial.header(&reader)
                guard n == context.partitions, q >= 0, q < n else {
                    throw OpsError.runtime("\(path): holds partition \(q) of \(n), this run has \(context.partitions) partitions")
                }
                // Each partial once, by its partition (an identical second copy is ignored).
                if let seen = partials[q] {
                    guard seen.checksum == reader.checksum else {
                        throw OpsError.runtime("\(path): a second, different partial of partition \(q) (first: \(seen.path))")
                    }
                    continue
                }
                let partial = try PartPartial.decode(&reader, partition: q, partitions: n, pipeline: pipeline, context: context,
                                                     hasSpendInput: hasSpend)
                partials[q] = (reader.checksum, partial, path)
            default:
                throw OpsError.runtime("\(path): is a \(kind.name) file; merge takes partials, task.bin and counts.bin files")
            }
        }
        let ledgers = try Self.ledgers(taskPaths, tasks: context.tasks)
        for p in 0..<context.partitions where counts[p] == nil {
            throw OpsError.runtime("dedupe partition \(p): no counts.bin among the files given (\(counts.count) of \(context.partitions))")
        }
        if let extra = counts.keys.first(where: { $0 >= context.partitions }) {
            throw OpsError.runtime("\(counts[extra]!.path): dedupe partition \(extra) is not one of this run's \(context.partitions)")
        }
        for q in 0..<context.partitions where partials[q] == nil {
            throw OpsError.runtime("analyze partition \(q): no partial among the files given (\(partials.count) of \(context.partitions))")
        }
        return MergeInputs(ledgers: ledgers, counts: (0..<context.partitions).map { counts[$0]!.c },
                           partials: (0..<context.partitions).map { partials[$0]!.partial })
    }

    /// `PipelineJob.Prepared` from the stage files.
    func prepared(context: PartContext, files: [String]) throws -> PipelineJob.Prepared {
        var timings = StageTimings()
        var inputs = try timings.measure("merge_read") { try mergeInputs(files, context: context) }
        let headers = try Self.checkHeaders(inputs.ledgers)
        let zone = try job.zoneRules()
        let sets = try job.fileSets()
        let (since, asOf) = (context.since, context.asOf)
        let hasSpend = pipeline.inputs.channels != nil && sets.channels != nil
        let hasEvents = pipeline.inputs.events != nil && sets.events != nil

        let (analyses, facts, spend, quality) = timings.measure("merge_partials") { () -> (AnalysisPartials, DataFacts, [SpendRow], QualityReport) in
            var analyses = AnalysisPartials.empty(pipeline: pipeline, since: since, asOf: asOf, hasSpendInput: hasSpend)
            var facts: DataFacts?
            var spendRows: [(ordinal: Int64, row: SpendRow)] = []
            var unknown: [InputKind: [RejectedRow]] = [:]
            var excluded = 0, nonPositive = 0
            var ignored: [InputKind: Int] = [:]
            // Partition order, each freed once merged: the sums are independent of it.
            for i in inputs.partials.indices {
                let p = inputs.partials[i]
                analyses.merge(p.analyses)
                if facts == nil { facts = p.facts } else { facts!.merge(p.facts) }
                spendRows += p.spend
                unknown[.sales, default: []] += p.sales.rejects
                excluded += p.sales.excludedStatus
                ignored[.sales, default: 0] += p.sales.unknownUserIgnored
                if let e = p.events {
                    unknown[.events, default: []] += e.rejects
                    ignored[.events, default: 0] += e.unknownUserIgnored
                }
                nonPositive += p.nonPositiveSales
                inputs.partials[i].analyses = AnalysisPartials.empty(pipeline: pipeline, since: since, asOf: asOf, hasSpendInput: hasSpend)
            }
            spendRows.sort { $0.ordinal < $1.ordinal }
            let spend = spendRows.map(\.row)
            var allFacts = facts ?? DataFacts(eventNames: [], roiChannels: [], allChannels: [], keptSales: 0, anyPurchase: false)
            allFacts.merge(DataFacts(spend: spend, since: since, asOf: asOf))

            // SPEC §5: the ledger, input by input, as `Integrator` writes it.
            var qualities: [InputQuality] = []
            var rejects: [InputKind: [RejectedRow]] = [:]
            var headerOf: [InputKind: [String]] = [:]
            var filesOf: [InputKind: [InputFileSet.File]] = [:]
            let kinds: [InputKind] = [.users, .sales] + (hasSpend ? [.channels] : []) + (hasEvents ? [.events] : [])
            for kind in kinds {
                let ls = inputs.ledgers.filter { $0.kind == kind }
                let all = (ls.flatMap(\.rejects) + (unknown[kind] ?? [])).sorted { ($0.file, $0.line) < ($1.file, $1.line) }
                var reasons: [String: Int] = [:]
                for r in all { reasons[r.reason, default: 0] += 1 }
                qualities.append(InputQuality(
                    kind: kind, rowsRead: ls.reduce(0) { $0 + $1.rowsRead }, rejectedByReason: reasons,
                    duplicates: inputs.counts.reduce(0) { $0 + ($1.duplicates[kind] ?? 0) },
                    afterAsOf: inputs.counts.reduce(0) { $0 + ($1.afterAsOf[kind] ?? 0) },
                    excludedStatus: kind == .sales ? excluded : 0, unknownUserIgnored: ignored[kind] ?? 0))
                rejects[kind] = all
                headerOf[kind] = headers[kind]
                filesOf[kind] = fileSet(sets, kind)?.files ?? []
            }
            return (analyses, allFacts, spend,
                    QualityReport(inputs: qualities, rejects: rejects, headers: headerOf, files: filesOf, nonPositiveSales: nonPositive))
        }
        _ = zone

        var digests: [InputKind: [FileDigest]] = [:]
        var latest: [InputKind: LocalDate] = [:]
        for set in sets.all {
            let ls = inputs.ledgers.filter { $0.kind == set.kind }.sorted { $0.file < $1.file }
            digests[set.kind] = ls.map(\.digest)
            latest[set.kind] = ls.reduce(DateSpan()) { $0.union($1.span) }.max
        }
        for q in quality.inputs where q.rowsRead == 0 && (pipeline.inputs.spec(q.kind)?.minRows ?? 1) == 0 {
            job.logger.warning("input \(q.kind.rawValue) has no data rows")
        }
        let usedAliasKeys = Set(inputs.ledgers.flatMap(\.usedAliasKeys))
        let gate = QualityGate.evaluate(quality, pipeline: pipeline, asOf: asOf, latest: latest)
        let warnings = gate.noValidRow ? [] : DataWarning.find(pipeline: pipeline, facts: facts, usedAliasKeys: usedAliasKeys)
        return PipelineJob.Prepared(source: .partials(analyses, spend: spend), since: since, asOf: asOf, quality: quality,
                                    digests: digests, timings: timings, outputDirectory: job.resolveOutputDirectory(asOf: asOf),
                                    latestDates: latest, gate: gate, warnings: warnings)
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
