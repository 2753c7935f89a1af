import Foundation

/// Partition: the map stage (docs/partitioned.md): one input file parsed and cleaned exactly as `run`
/// does (SPEC §3.1–§3.4 step 1), each chunk's kept rows written to the partition of their
/// deduplication key as soon as the chunk is parsed — so a map task holds a few chunks, never the
/// file — and the step-1 rejects, counts, span, header and digest to `task.bin`.
///
/// Users go to the partition of `user_id`, sales of `order_id`, events of `event_id` or, for rows
/// without one, of `user_id` (every duplicate of the tuple shares it); spend rows all to partition 0.
extension PartitionJob {
    /// Parses and cleans task `k`'s file into `outDir/part-<p>.bin` (p < `partitions`) and `outDir/task.bin`.
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
        var writers = try PartRowsWriter.openAll(outDir, kind: .mapPartition, source: k, partitions: partitions)
        do {
            var mapper = Mapper(job: job, kind: kind, spec: spec, fileIndex: t.file, partitions: partitions)
            let ledger = try mapper.run(file: file, task: k, writers: &writers)
            for p in writers.indices { try writers[p].finish() }
            try ledger.write(to: "\(outDir)/task.bin")
        } catch {
            for p in writers.indices { writers[p].abandon() }
            throw error
        }
    }

    /// One map task's parse: the sinks of `run`, with every sales/events row's fields kept as bytes.
    struct Mapper {
        /// Pieces of 2 MiB rather than `run`'s 8: a map task holds a few pieces and their rows, and
        /// two tasks run at once, so smaller pieces keep its memory small at little cost in speed.
        static let chunkBytes = 2 << 20

        let job: PipelineJob
        let kind: InputKind
        let spec: InputSpec
        let fileIndex: Int
        let partitions: Int
        var rejects: [RejectedRow] = []
        var rowsRead = 0
        var span = DateSpan()
        /// Rows of the file kept so far: the next row's index in its ordinal.
        var rowIndex: Int32 = 0

        init(job: PipelineJob, kind: InputKind, spec: InputSpec, fileIndex: Int, partitions: Int) {
            self.job = job
            self.kind = kind
            self.spec = spec
            self.fileIndex = fileIndex
            self.partitions = partitions
        }

        mutating func run(file: InputFileSet.File, task k: Int, writers: inout [PartRowsWriter]) throws -> PartTaskLedger {
            let pipeline = job.pipeline
            let zone = try job.zoneRules()
            let channels = ChannelNormalizer(aliases: pipeline.cleaning.channelAliases)
            let longIds = LongIds()
            let values = ValueReader(spec: spec, cleaning: pipeline.cleaning)
            let chunks = job.settings.maxChunks
            let source = try CSVSource(file: file, spec: spec, kind: kind)
            var shared = SharedHeader(kind: kind, spec: spec)
            let (fileIndex, partitions) = (self.fileIndex, self.partitions)
            let fileNumber = Int32(fileIndex)
            if let map = try shared.columnMap(for: source) {
                let share = min(source.reader.gzip ? Int.max : source.size, Self.chunkBytes) / 32 + 1024
                let none = KnownUsers(keys: [])
                switch kind {
                case .users:
                    try scan(source, chunks: chunks, share: share, make: {
                        UsersSink(map: map, file: fileIndex, zone: zone, channels: channels, longIds: longIds, values: values)
                    }) { sink, rows, first in
                        for (i, r) in rows.enumerated() {
                            let o = PartRows.ordinal(file: fileNumber, index: first + Int32(i))
                            try writers[PartRows.partition(of: r.id, partitions: partitions)].row(.users) { w in
                                PartRows.writeUser(&w, ordinal: o, id: r.id, signupAt: r.signupAt, signupDate: r.signupDate,
                                                   channel: r.channel, country: r.country)
                            }
                        }
                    }
                case .channels:
                    try scan(source, chunks: chunks, share: share, make: {
                        ChannelsSink(map: map, file: fileIndex, zone: zone, channels: channels, values: values)
                    }) { _, rows, first in
                        // Spend is small and keyed by (date, channel, campaign): all of it goes to partition 0.
                        for (i, r) in rows.enumerated() {
                            let o = PartRows.ordinal(file: fileNumber, index: first + Int32(i))
                            try writers[0].row(.spend) { PartRows.writeSpend(&$0, ordinal: o, row: r) }
                        }
                    }
                case .sales:
                    let statuses = StatusMatcher(excludeStatuses: pipeline.cleaning.excludeStatuses)
                    let (orderColumn, userColumn) = (map.position(of: "order_id")!, map.position(of: "user_id")!)
                    try scan(source, chunks: chunks, share: share, make: {
                        SalesSink(map: map, file: fileIndex, zone: zone, users: none, longIds: longIds, statuses: statuses,
                                  values: values, keepFields: true)
                    }) { sink, rows, first in
                        let raw = sink.raw!
                        precondition(raw.count == rows.count, "map: every sales row keeps its fields")
                        try raw.bytes.withUnsafeBufferPointer { all in
                            for (i, r) in rows.enumerated() {
                                let list = raw.list(i)
                                let order = ByteTrim.trim(Self.field(orderColumn, list, all))
                                let user = ByteTrim.trim(Self.field(userColumn, list, all))
                                let o = PartRows.ordinal(file: fileNumber, index: first + Int32(i))
                                try writers[PartRows.partition(of: order, partitions: partitions)].row(.sales) { w in
                                    w.i64(o)
                                    w.i32(raw.lines[i])
                                    w.bytes(order)
                                    w.bytes(user)
                                    w.instant(r.orderedAt)
                                    w.date(r.orderedDate)
                                    w.i64(r.amount)
                                    w.bool(r.updatedAt != nil)
                                    if let u = r.updatedAt { w.instant(u) }
                                    w.bool(r.excluded)
                                    w.raw(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(all)[list]))
                                }
                            }
                        }
                    }
                case .events:
                    let names = EventNames()
                    let userColumn = map.position(of: "user_id")!
                    let idColumn = map.position(of: "event_id")
                    try scan(source, chunks: chunks, share: share, make: {
                        EventsSink(map: map, file: fileIndex, zone: zone, users: none, longIds: longIds, names: names,
                                   values: values, keepFields: true)
                    }) { sink, rows, first in
                        let raw = sink.raw!
                        precondition(raw.count == rows.count, "map: every events row keeps its fields")
                        var nameList = names.names
                        try raw.bytes.withUnsafeBufferPointer { all in
                            for (i, r) in rows.enumerated() {
                                let list = raw.list(i)
                                let user = ByteTrim.trim(Self.field(userColumn, list, all))
                                let id = idColumn.map { ByteTrim.trim(Self.field($0, list, all)) }
                                let hasId = (id?.count ?? 0) > 0
                                // SPEC §3.4: keyed by event_id where present, else by the tuple, whose duplicates share the user.
                                let key = hasId ? id! : user
                                let o = PartRows.ordinal(file: fileNumber, index: first + Int32(i))
                                if Int(r.name) >= nameList.count { nameList = names.names }
                                try writers[PartRows.partition(of: key, partitions: partitions)].row(.events) { w in
                                    w.i64(o)
                                    w.i32(raw.lines[i])
                                    w.bool(hasId)
                                    if hasId { w.bytes(id!) }
                                    w.bytes(user)
                                    w.string(nameList[Int(r.name)])
                                    w.instant(r.at)
                                    w.raw(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(all)[list]))
                                }
                            }
                        }
                    }
                }
            }
            // The size and SHA-256 of the very bytes parsed (SPEC §9), from the one read of the file.
            let digest = try source.reader.finish()
            return PartTaskLedger(task: k, kind: kind, file: fileIndex, displayPath: file.displayPath, rowsRead: rowsRead,
                                  rejects: rejects, header: shared.first?.header, span: span, digest: digest,
                                  usedAliasKeys: channels.usedAliasKeys.sorted())
        }

        /// Scans the file, handing each chunk's rows (and the index of its first row) to `each` as soon
        /// as the chunk is parsed, in file order.
        private mutating func scan<Sink: CleaningSink>(_ source: CSVSource, chunks: Int, share: Int, make: () -> Sink,
                                                      each: (Sink, [Sink.Row], Int32) throws -> Void) throws {
            try CSVScanner.scan(source, chunkBytes: Self.chunkBytes, maxChunks: chunks, makeSink: { _ in
                let sink = make()
                sink.reserve(rows: share)
                return sink
            }) { chunk in
                chunk.sink.rebaseLines(firstLine: chunk.firstLine)
                let part = chunk.sink.take()
                try each(chunk.sink, part.rows, rowIndex)
                rowIndex += Int32(part.rows.count)
                rejects.append(contentsOf: chunk.sink.rejects)
                rowsRead += chunk.rows
                span = span.union(chunk.sink.span)
            }
        }

        /// Field `p` of a field list (as `RawFieldLog` writes it); empty when the row is shorter.
        @inline(__always)
        static func field(_ p: Int, _ list: Range<Int>, _ all: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            func u32(_ at: Int) -> Int {
                Int(UInt32(all[at]) | UInt32(all[at + 1]) << 8 | UInt32(all[at + 2]) << 16 | UInt32(all[at + 3]) << 24)
            }
            let count = u32(list.lowerBound + 4)
            guard p < count else { return UnsafeBufferPointer(start: nil, count: 0) }
            var at = list.lowerBound + 8
            for _ in 0..<p { at += 4 + u32(at) }
            let n = u32(at)
            return UnsafeBufferPointer(rebasing: all[(at + 4)..<(at + 4 + n)])
        }
    }
}
