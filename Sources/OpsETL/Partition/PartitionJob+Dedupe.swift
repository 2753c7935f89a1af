import Foundation

/// Partition: the dedupe stage (SPEC §3.4 steps 2–3 on one dedup-key partition) (docs/partitioned.md).
///
/// Every row of a key lands in one dedup-key partition, so the keep rules decide exactly as one
/// pass over all rows does (`Deduplicator`), the input order they depend on given by the ordinals:
/// users keep the earliest `signup_at`, ties the first; sales the greatest `updated_at` (none
/// ranks lowest), ties the last; events the first; spend the last. A row after `as_of` is counted
/// as such and takes no part (SPEC §9).
///
/// Two passes over the map tasks' files, so memory holds one entry per key, never the rows: the
/// first decides each key's winner (its ordinal), the second copies the winners' bytes, unchanged,
/// to the partition of their *user*.
extension PartitionJob {
    /// Stage files of one partition, by source (a task or a partition): a second copy with the same
    /// bytes (a retried or speculative task) counts once, a differing one is exit 1.
    static func inputs(_ paths: [String], kind: PartFile.Kind, partition: Int, partitions: Int,
                       expected: Int, stage: String) throws -> [String] {
        var bySource: [Int: (trailer: [UInt8], path: String)] = [:]
        for path in paths {
            let trailer = try PartFile.trailer(path)
            let head = try PartRowsReader(path: path, kind: kind)
            guard head.target == partition, head.partitions == partitions else {
                throw OpsError.runtime("\(path): holds partition \(head.target) of \(head.partitions), "
                                       + "expected partition \(partition) of \(partitions)")
            }
            if let seen = bySource[head.source] {
                guard seen.trailer == trailer else {
                    throw OpsError.runtime("\(path): a second, different copy of \(kind.name) \(head.source) (first: \(seen.path))")
                }
                continue
            }
            bySource[head.source] = (trailer, path)
        }
        guard bySource.count == expected, bySource.keys.allSatisfy({ $0 >= 0 && $0 < expected }) else {
            throw OpsError.runtime("\(stage) partition \(partition): \(bySource.count) of \(expected) inputs' part-\(partition).bin given")
        }
        return (0..<expected).map { bySource[$0]!.path }
    }

    /// The keys the keep rules compare: ids as exact bytes (`IdKey`, SPEC §9), the tuple of an event
    /// without `event_id` (user, name, instant), spend's (date, channel, campaign).
    struct TupleKey: Hashable {
        let user: IdKey
        let name: Int32
        let seconds: Int64
        let nanos: Int32
    }
    struct SpendKey: Hashable {
        let date: LocalDate
        let channel: String
        let campaign: String?
    }

    /// `dedupe`: survivors of dedup-key partition `p`, re-keyed by user into `part-<q>.bin`, and `counts.bin`.
    public func dedupe(context: PartContext, partition p: Int, partitions: Int, inputs: [String], outDir: String) throws {
        guard partitions == context.partitions else {
            throw OpsError.configuration("--partitions \(partitions) differs from the context's \(context.partitions)")
        }
        let files = try Self.inputs(inputs, kind: .mapPartition, partition: p, partitions: partitions, expected: context.tasks,
                                    stage: "dedupe")
        let asOf = context.asOf
        let zone = try job.zoneRules()
        var counts = PartCounts(partition: p)
        let longIds = LongIds()
        var names: [[UInt8]: Int32] = [:]

        // Pass 1: each key's winner. Rows of one input arrive in input order (files by task, rows in order).
        var users: [IdKey: (ordinal: Int64, at: Instant)] = [:]
        var sales: [IdKey: (ordinal: Int64, updated: Instant?)] = [:]
        var eventIds: [IdKey: Int64] = [:]
        var tuples: [TupleKey: Int64] = [:]
        var spend: [SpendKey: Int64] = [:]
        var after = [Int](repeating: 0, count: 5), candidates = [Int](repeating: 0, count: 5)
        for path in files {
            var reader = try PartRowsReader(path: path, kind: .mapPartition)
            try reader.forEachBlock { kind, n, r in
                try r.bytes.withUnsafeBufferPointer { all in
                    func key(_ range: Range<Int>) -> IdKey { IdKey(UnsafeBufferPointer(rebasing: all[range]), longIds: longIds) }
                    let k = Int(kind.rawValue)
                    for _ in 0..<n {
                        switch kind {
                        case .users:
                            let u = try PartRows.readUser(&r)
                            guard u.signupDate <= asOf else { after[k] += 1; continue }
                            candidates[k] += 1
                            let id = key(u.id)
                            if let best = users[id] {
                                if u.signupAt < best.at || (u.signupAt == best.at && u.ordinal < best.ordinal) {
                                    users[id] = (u.ordinal, u.signupAt)
                                }
                            } else {
                                users[id] = (u.ordinal, u.signupAt)
                            }
                        case .sales:
                            let s = try PartRows.readSale(&r)
                            guard s.orderedDate <= asOf else { after[k] += 1; continue }
                            candidates[k] += 1
                            let id = key(s.orderId)
                            if let best = sales[id] {
                                if Self.saleReplaces(s.updatedAt, s.ordinal, best.updated, best.ordinal) { sales[id] = (s.ordinal, s.updatedAt) }
                            } else {
                                sales[id] = (s.ordinal, s.updatedAt)
                            }
                        case .events:
                            let e = try PartRows.readEvent(&r)
                            guard zone.localDate(of: e.at) <= asOf else { after[k] += 1; continue }
                            candidates[k] += 1
                            if let idRange = e.eventId {
                                let id = key(idRange)
                                if let best = eventIds[id] { if e.ordinal < best { eventIds[id] = e.ordinal } } else { eventIds[id] = e.ordinal }
                            } else {
                                let nameBytes = Array(all[e.name])
                                let name = names[nameBytes] ?? {
                                    let n = Int32(names.count)
                                    names[nameBytes] = n
                                    return n
                                }()
                                let t = TupleKey(user: key(e.userId), name: name, seconds: e.at.seconds, nanos: e.at.nanos)
                                if let best = tuples[t] { if e.ordinal < best { tuples[t] = e.ordinal } } else { tuples[t] = e.ordinal }
                            }
                        case .spend:
                            let s = try PartRows.readSpend(&r)
                            guard s.row.date <= asOf else { after[k] += 1; continue }
                            candidates[k] += 1
                            let key = SpendKey(date: s.row.date, channel: s.row.channel, campaign: s.row.campaign)
                            if let best = spend[key] { if s.ordinal > best { spend[key] = s.ordinal } } else { spend[key] = s.ordinal }
                        }
                    }
                }
            }
        }
        let kinds: [(PartRows.Kind, InputKind, Int)] = [(.users, .users, users.count), (.sales, .sales, sales.count),
                                                        (.events, .events, eventIds.count + tuples.count), (.spend, .channels, spend.count)]
        for (rows, input, kept) in kinds {
            let k = Int(rows.rawValue)
            counts.afterAsOf[input] = after[k]
            counts.duplicates[input] = candidates[k] - kept
        }
        // The winners by ordinal; the key tables are freed before the second pass writes.
        var winners = [Set<Int64>](repeating: [], count: 5)
        winners[1] = Set(users.values.map(\.ordinal))
        users = [:]
        winners[2] = Set(sales.values.map(\.ordinal))
        sales = [:]
        winners[3] = Set(eventIds.values)
        winners[3].formUnion(tuples.values)
        eventIds = [:]
        tuples = [:]
        winners[4] = Set(spend.values)
        spend = [:]

        // Pass 2: the winners' bytes to the partition of their user (a user's kept row, sales and events
        // meet in one analyze partition); spend to partition 0.
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let flush = max(64 << 10, (16 << 20) / max(1, partitions))
        var writers: [PartRowsWriter] = []
        do {
            for q in 0..<partitions {
                writers.append(try PartRowsWriter(path: Self.partFile(outDir, q), kind: .dedupePartition, source: p, target: q,
                                                  partitions: partitions, flushBytes: flush))
            }
            for path in files {
                var reader = try PartRowsReader(path: path, kind: .mapPartition)
                try reader.forEachBlock { kind, n, r in
                    try r.bytes.withUnsafeBytes { raw in
                        let all = raw.bindMemory(to: UInt8.self)
                        let won = winners[Int(kind.rawValue)]
                        for _ in 0..<n {
                            let start = r.offset
                            let ordinal: Int64, user: Range<Int>?
                            switch kind {
                            case .users:
                                let u = try PartRows.readUser(&r)
                                (ordinal, user) = (u.ordinal, u.id)
                            case .sales:
                                let s = try PartRows.readSale(&r)
                                (ordinal, user) = (s.ordinal, s.userId)
                            case .events:
                                let e = try PartRows.readEvent(&r)
                                (ordinal, user) = (e.ordinal, e.userId)
                            case .spend:
                                (ordinal, user) = (try PartRows.readSpend(&r).ordinal, nil)
                            }
                            // A winner is never after as_of (those took no part), so membership is enough.
                            guard won.contains(ordinal) else { continue }
                            let q = user.map { PartRows.partition(of: UnsafeBufferPointer(rebasing: all[$0]), partitions: partitions) } ?? 0
                            let end = r.offset
                            try writers[q].row(kind) { $0.raw(UnsafeRawBufferPointer(rebasing: raw[start..<end])) }
                        }
                    }
                }
            }
            for q in writers.indices { try writers[q].finish() }
        } catch {
            for q in writers.indices { writers[q].abandon() }
            throw error
        }
        try PartFile.write(.dedupeCounts, payload: counts.encode(), to: "\(outDir)/counts.bin")
    }

    /// SPEC §3.4: a sale replaces the kept one when its `updated_at` is greater (none ranks lowest),
    /// or equal and it comes later in input order.
    static func saleReplaces(_ c: Instant?, _ co: Int64, _ b: Instant?, _ bo: Int64) -> Bool {
        switch (c, b) {
        case (nil, nil): co > bo
        case (nil, .some): false
        case (.some, nil): true
        case let (x?, y?): x > y || (x == y && co > bo)
        }
    }
}
