import Foundation

/// Partition: the dedupe stage (SPEC §3.4 steps 2–3 on one dedup-key partition) (docs/partitioned.md).
///
/// Every row of a key lands in one dedup-key partition, and the map tasks' files, read in task
/// order, give each input's rows in input order (by ordinal), so the keep rules decide exactly as
/// one pass over all rows does: sales and events go through `Deduplicator` itself; users keep the
/// earliest `signup_at`, ties the first; spend the last. A row after `as_of` is counted as such and
/// takes no part (SPEC §9).
///
/// Two passes over the files, so memory holds a row's values and key (16–56 bytes), never its
/// bytes: the first numbers every row, notes its length and its user's partition and decides the
/// winners (a bit per row); the second copies the winners' bytes, unchanged, to the partition of
/// their *user*.
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

    /// Spend's key (SPEC §3.4): date, channel, campaign (null = null).
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
        var names = NameNumbers()

        // Pass 1: each key's winner. Rows of one input arrive in input order (files by task, rows in
        // order), so sales and events go through `Deduplicator` itself — the very keep rules of
        // `run` — with each row's sequence number in the field dedupe never reads (its user).
        var after = [Int](repeating: 0, count: 5), duplicates = [Int](repeating: 0, count: 5)
        // Every row read gets a number g, in read order: the winners are a bit per g, and the second
        // pass needs for each g only its length and its user's partition, noted here.
        var g = 0
        var lengths: [UInt32] = [], targets: [UInt16] = []
        var users: [IdKey: (seq: Int32, at: Instant)] = [:]
        var userCandidates = 0
        var saleRows: [SaleRow] = [], saleKeys: [IdKey] = []
        var eventRows: [EventRow] = [], eventKeys: [IdKey] = []
        var spend: [SpendKey: Int32] = [:]
        var spendCandidates = 0
        // Room for as many rows as the files could hold (a row takes at least 40 bytes), reserved once:
        // room never written costs no memory, while growing by doubling would hold two copies at a time.
        // (Both the sales' and the events' arrays: the room of the input a partition does not hold is never touched.)
        let most = Self.mostRows(files)
        saleRows.reserveCapacity(most)
        saleKeys.reserveCapacity(most)
        eventRows.reserveCapacity(most)
        eventKeys.reserveCapacity(most)
        lengths.reserveCapacity(most)
        targets.reserveCapacity(most)
        for path in files {
            var reader = try PartRowsReader(path: path, kind: .mapPartition)
            try reader.forEachBlock { kind, n, r in
                try r.bytes.withUnsafeBufferPointer { all in
                    func key(_ range: Range<Int>) -> IdKey { IdKey(UnsafeBufferPointer(rebasing: all[range]), longIds: longIds) }
                    let k = Int(kind.rawValue)
                    for _ in 0..<n {
                        let number = Int32(g)
                        g += 1
                        let start = r.offset
                        var user: Range<Int>?
                        defer {
                            lengths.append(UInt32(r.offset - start))
                            targets.append(UInt16(user.map { PartRows.partition(of: UnsafeBufferPointer(rebasing: all[$0]), partitions: partitions) } ?? 0))
                        }
                        switch kind {
                        case .users:
                            // SPEC §3.4: the earliest signup_at, ties the first.
                            let u = try PartRows.readUser(&r)
                            user = u.id
                            guard u.signupDate <= asOf else { after[k] += 1; continue }
                            userCandidates += 1
                            let id = key(u.id)
                            if let best = users[id] {
                                if u.signupAt < best.at { users[id] = (number, u.signupAt) }
                            } else {
                                users[id] = (number, u.signupAt)
                            }
                        case .sales:
                            let s = try PartRows.readSale(&r)
                            user = s.userId
                            saleRows.append(SaleRow(orderedAt: s.orderedAt, user: number, amount: s.amount, updatedAt: s.updatedAt,
                                                    orderedDate: s.orderedDate, excluded: s.excluded))
                            saleKeys.append(key(s.orderId))
                        case .events:
                            let e = try PartRows.readEvent(&r)
                            user = e.userId
                            var name: Int32 = 0
                            // Only a tuple key compares names: number them by their bytes.
                            if e.eventId == nil { name = names.number(UnsafeBufferPointer(rebasing: all[e.name])) }
                            eventRows.append(EventRow(at: e.at, name: name, user: number))
                            eventKeys.append(e.eventId.map { key($0) } ?? key(e.userId).asTuple)
                        case .spend:
                            // SPEC §3.4: the last row of a (date, channel, campaign).
                            let s = try PartRows.readSpend(&r)
                            guard s.row.date <= asOf else { after[k] += 1; continue }
                            spendCandidates += 1
                            spend[SpendKey(date: s.row.date, channel: s.row.channel, campaign: s.row.campaign)] = number
                        }
                    }
                }
            }
        }
        // The winners, as one bit per row of each kind, in the order the second pass reads them.
        var winners = [UInt64](repeating: 0, count: g / 64 + 1)
        func win(_ k: Int, _ i: Int32) { winners[Int(i) >> 6] |= 1 << UInt64(Int(i) & 63) }
        for (_, best) in users { win(1, best.seq) }
        duplicates[1] = userCandidates - users.count
        users = [:]
        let noFiles: [InputFileSet.File] = []
        if !saleRows.isEmpty {
            var input = CleanedInput<SaleRow>(kind: .sales, files: noFiles, header: nil, rows: saleRows, rejects: [], origins: [:],
                                              keys: saleKeys, rowsRead: saleRows.count, span: DateSpan())
            saleRows = []
            saleKeys = []
            let kept = Deduplicator.sales(&input, asOf: asOf)
            for row in kept.rows { win(2, row.user) }
            (after[2], duplicates[2]) = (kept.afterAsOf, kept.duplicates)
        }
        if !eventRows.isEmpty {
            // A span ending after as_of makes `Deduplicator` check every row's date.
            var input = CleanedInput<EventRow>(kind: .events, files: noFiles, header: nil, rows: eventRows, rejects: [], origins: [:],
                                               keys: eventKeys, rowsRead: eventRows.count,
                                               span: DateSpan(min: nil, max: LocalDate(days: asOf.days + 1)))
            eventRows = []
            eventKeys = []
            let kept = Deduplicator.events(&input, asOf: asOf, zone: zone)
            for row in kept.rows { win(3, row.user) }
            (after[3], duplicates[3]) = (kept.afterAsOf, kept.duplicates)
        }
        for (_, number) in spend { win(4, number) }
        duplicates[4] = spendCandidates - spend.count
        spend = [:]
        for (rows, input) in [(PartRows.Kind.users, InputKind.users), (.sales, .sales), (.events, .events), (.spend, .channels)] {
            counts.afterAsOf[input] = after[Int(rows.rawValue)]
            counts.duplicates[input] = duplicates[Int(rows.rawValue)]
        }

        // Pass 2: the winners' bytes to the partition of their user (a user's kept row, sales and events
        // meet in one analyze partition); spend to partition 0.
        var writers = try PartRowsWriter.openAll(outDir, kind: .dedupePartition, source: p, partitions: partitions)
        do {
            // Rows are copied as they are, by the lengths the first pass noted.
            g = 0
            for path in files {
                var reader = try PartRowsReader(path: path, kind: .mapPartition, verify: false)
                try reader.forEachBlock { kind, n, r in
                    try r.bytes.withUnsafeBytes { raw in
                        for _ in 0..<n {
                            let start = r.offset
                            let end = start + Int(lengths[g])
                            try r.skip(end - start)
                            if winners[g >> 6] & (1 << UInt64(g & 63)) != 0 {
                                try writers[Int(targets[g])].row(kind) { $0.raw(UnsafeRawBufferPointer(rebasing: raw[start..<end])) }
                            }
                            g += 1
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

    /// An upper bound of the rows in `files`: every row takes at least 40 bytes.
    static func mostRows(_ files: [String]) -> Int {
        files.reduce(0) { $0 + InputCleaner.size(of: $1) } / 40 + 16
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
