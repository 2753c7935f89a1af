import Foundation

/// Partition: the map stage (docs/partitioned.md): one input file parsed and cleaned exactly as `run`
/// does (SPEC §3.1–§3.4 step 1), each chunk's kept rows written to the partition of their
/// deduplication key as soon as the chunk is parsed — so a map task holds a few chunks, never the
/// file — and the step-1 rejects, counts, span, header and digest to `task.bin`.
///
/// Users go to the partition of `user_id`, sales of `order_id`, events of `event_id` or, for rows
/// without one, of `user_id` (every duplicate of the tuple shares it); spend rows all to partition 0.
extension PartitionJob {
    /// The kept users' ids from the users map tasks' `users.bin` files (`part map --users`), for the
    /// sales and events map tasks: their rows of these users need not carry their fields.
    public static func knownUsers(_ paths: [String]) throws -> KnownUsers.Shared {
        let longIds = LongIds()
        var keys: [IdKey] = []
        for path in paths {
            var r = try PartFile.read(path, expecting: .userIds).reader
            let n = try r.count(minBytes: 4)
            keys.reserveCapacity(keys.count + n)
            for _ in 0..<n {
                let span = try r.span()
                keys.append(r.bytes.withUnsafeBufferPointer { IdKey(UnsafeBufferPointer(rebasing: $0[span]), longIds: longIds) })
            }
            guard r.atEnd else { throw PartFile.corrupt(path, "bytes after the ids") }
        }
        return KnownUsers.Shared(users: KnownUsers(keys: keys), longIds: longIds)
    }

    /// Parses and cleans task `k`'s file into `outDir/part-<p>.bin` (p < `partitions`) and
    /// `outDir/task.bin`; a users task also writes `outDir/users.bin`, the ids it keeps (SPEC §3.4:
    /// every id with a signup on or before an explicit `as_of`). `known`: the kept users (from every
    /// users task), when the driver has them — then only rows of other ids carry their fields.
    public func map(plan: PartPlan, task k: Int, partitions: Int, outDir: String, known: KnownUsers.Shared? = nil) throws {
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
        let writers = Writers(try PartRowsWriter.openAll(outDir, kind: .mapPartition, source: k, partitions: partitions))
        do {
            var mapper = Mapper(job: job, kind: kind, spec: spec, fileIndex: t.file, partitions: partitions, known: known)
            let ledger = try mapper.run(file: file, task: k, writers: writers)
            for p in writers.all.indices { try writers.all[p].finish() }
            if kind == .users {
                var w = PartWriter()
                w.strings(mapper.userIds)
                try PartFile.write(.userIds, payload: w.bytes, to: "\(outDir)/users.bin")
            }
            try ledger.write(to: "\(outDir)/task.bin")
        } catch {
            for p in writers.all.indices { writers.all[p].abandon() }
            throw error
        }
    }

    /// The partition files of one map task, shared with the queue that encodes its chunks.
    final class Writers: @unchecked Sendable {
        var all: [PartRowsWriter]
        init(_ all: [PartRowsWriter]) { self.all = all }
    }

    /// The first error of work done on another queue.
    final class FirstError: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?

        var happened: Bool { lock.withLock { error != nil } }
        func record(_ e: any Error) { lock.withLock { if error == nil { error = e } } }
        func check() throws { if let e = lock.withLock({ error }) { throw e } }
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
        let known: KnownUsers.Shared?
        /// A users task: the ids it keeps (`users.bin`).
        var userIds: [String] = []

        init(job: PipelineJob, kind: InputKind, spec: InputSpec, fileIndex: Int, partitions: Int, known: KnownUsers.Shared?) {
            self.known = known
            self.job = job
            self.kind = kind
            self.spec = spec
            self.fileIndex = fileIndex
            self.partitions = partitions
        }

        mutating func run(file: InputFileSet.File, task k: Int, writers: Writers) throws -> PartTaskLedger {
            let pipeline = job.pipeline
            let zone = try job.zoneRules()
            let channels = ChannelNormalizer(aliases: pipeline.cleaning.channelAliases)
            let longIds = known?.longIds ?? LongIds()
            let values = ValueReader(spec: spec, cleaning: pipeline.cleaning)
            let asOf = pipeline.asOf
            let chunks = job.settings.maxChunks
            let source = try CSVSource(file: file, spec: spec, kind: kind)
            var shared = SharedHeader(kind: kind, spec: spec)
            let (fileIndex, partitions) = (self.fileIndex, self.partitions)
            let fileNumber = Int32(fileIndex)
            if let map = try shared.columnMap(for: source) {
                let share = min(source.reader.gzip ? Int.max : source.size, Self.chunkBytes) / 32 + 1024
                let none = known?.users ?? KnownUsers(keys: [])
                var ids: [String] = []
                switch kind {
                case .users:
                    try scan(source, chunks: chunks, share: share, make: {
                        UsersSink(map: map, file: fileIndex, zone: zone, channels: channels, longIds: longIds, values: values)
                    }) { sink, rows, first in
                        for (i, r) in rows.enumerated() {
                            // SPEC §3.4 step 2: a signup after an explicit as_of is not a kept user.
                            if asOf.map({ r.signupDate <= $0 }) ?? true { ids.append(r.id) }
                            let o = PartRows.ordinal(file: fileNumber, index: first + Int32(i))
                            try writers.all[PartRows.partition(of: r.id, partitions: partitions)].row(.users) { w in
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
                            try writers.all[0].row(.spend) { PartRows.writeSpend(&$0, ordinal: o, row: r) }
                        }
                    }
                case .sales:
                    let statuses = StatusMatcher(excludeStatuses: pipeline.cleaning.excludeStatuses)
                    try scan(source, chunks: chunks, share: share, make: {
                        SalesSink(map: map, file: fileIndex, zone: zone, users: none, longIds: longIds, statuses: statuses,
                                  values: values, keepFields: true)
                    }) { sink, rows, first in
                        let raw = sink.raw!
                        precondition(raw.count == rows.count, "map: every sales row keeps its keys")
                        try raw.bytes.withUnsafeBufferPointer { all in
                            for (i, r) in rows.enumerated() {
                                var entry = Entry(raw.entry(i), all)
                                let order = entry.key(), user = entry.key()
                                let o = PartRows.ordinal(file: fileNumber, index: first + Int32(i))
                                try writers.all[PartRows.partition(of: order, partitions: partitions)].row(.sales) { w in
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
                                    w.raw(entry.rest)   // the fields flag, and the fields of an unknown user
                                }
                            }
                        }
                    }
                case .events:
                    let names = EventNames()
                    try scan(source, chunks: chunks, share: share, make: {
                        EventsSink(map: map, file: fileIndex, zone: zone, users: none, longIds: longIds, names: names,
                                   values: values, keepFields: true)
                    }) { sink, rows, first in
                        let raw = sink.raw!
                        precondition(raw.count == rows.count, "map: every events row keeps its keys")
                        var nameList = names.names
                        try raw.bytes.withUnsafeBufferPointer { all in
                            for (i, r) in rows.enumerated() {
                                var entry = Entry(raw.entry(i), all)
                                let user = entry.key(), id = entry.key()
                                let hasId = !id.isEmpty
                                // SPEC §3.4: keyed by event_id where present, else by the tuple, whose duplicates share the user.
                                let key = hasId ? id : user
                                let o = PartRows.ordinal(file: fileNumber, index: first + Int32(i))
                                if Int(r.name) >= nameList.count { nameList = names.names }
                                try writers.all[PartRows.partition(of: key, partitions: partitions)].row(.events) { w in
                                    w.i64(o)
                                    w.i32(raw.lines[i])
                                    w.bool(hasId)
                                    if hasId { w.bytes(id) }
                                    w.bytes(user)
                                    w.string(nameList[Int(r.name)])
                                    w.instant(r.at)
                                    w.raw(entry.rest)
                                }
                            }
                        }
                    }
                }
                userIds = ids
            }
            // The size and SHA-256 of the very bytes parsed (SPEC §9), from the one read of the file.
            let digest = try source.reader.finish()
            return PartTaskLedger(task: k, kind: kind, file: fileIndex, displayPath: file.displayPath, rowsRead: rowsRead,
                                  rejects: rejects, header: shared.first?.header, span: span, digest: digest,
                                  usedAliasKeys: channels.usedAliasKeys.sorted())
        }

        /// Scans the file, handing each chunk's rows (and the index of its first row) to `each` as soon
        /// as the chunk is parsed, in file order. With more than one thread `each` runs on a queue of
        /// its own, so encoding a chunk overlaps parsing the next ones (at most 8 chunks wait).
        private mutating func scan<Sink: CleaningSink>(_ source: CSVSource, chunks: Int, share: Int, make: () -> Sink,
                                                      each: @escaping (Sink, [Sink.Row], Int32) throws -> Void) throws {
            let encoder = DispatchQueue(label: "opsetl.part.map.encode")
            let inFlight = DispatchSemaphore(value: 8)
            let failure = FirstError()
            defer { encoder.sync {} }
            try CSVScanner.scan(source, chunkBytes: Self.chunkBytes, maxChunks: chunks, makeSink: { _ in
                let sink = make()
                sink.reserve(rows: share)
                return sink
            }, closingPieces: true) { chunk in
                chunk.sink.rebaseLines(firstLine: chunk.firstLine)
                let part = chunk.sink.take()
                let first = rowIndex
                rowIndex += Int32(part.rows.count)
                rejects.append(contentsOf: chunk.sink.rejects)
                rowsRead += chunk.rows
                span = span.union(chunk.sink.span)
                if chunks <= 1 {
                    try each(chunk.sink, part.rows, first)
                    return
                }
                try failure.check()
                nonisolated(unsafe) let work = { try each(chunk.sink, part.rows, first) }
                inFlight.wait()
                encoder.async {
                    defer { inFlight.signal() }
                    guard !failure.happened else { return }
                    do { try work() } catch { failure.record(error) }
                }
            }
            encoder.sync {}
            try failure.check()
        }

        /// One row's `RawFieldLog` entry: its two keys, then the rest (the fields flag and fields).
        struct Entry {
            let all: UnsafeBufferPointer<UInt8>
            var at: Int
            let end: Int

            init(_ range: Range<Int>, _ all: UnsafeBufferPointer<UInt8>) {
                self.all = all
                at = range.lowerBound
                end = range.upperBound
            }

            @inline(__always) mutating func key() -> UnsafeBufferPointer<UInt8> {
                let n = Int(UInt32(all[at]) | UInt32(all[at + 1]) << 8 | UInt32(all[at + 2]) << 16 | UInt32(all[at + 3]) << 24)
                defer { at += 4 + n }
                return UnsafeBufferPointer(rebasing: all[(at + 4)..<(at + 4 + n)])
            }

            var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(all)[at..<end]) }
        }
    }
}
