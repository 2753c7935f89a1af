import Foundation

/// Partition: the dedupe stage (SPEC §3.4 steps 2–3 on one dedup-key partition) and the analyze
/// stage (SPEC §3.4 step 4 on one user partition) (docs/partitioned.md).
///
/// Every row of a key lands in one dedup-key partition, and rows are walked in input order (by
/// ordinal), so the keep rules decide exactly as one pass over all rows does (`Deduplicator`):
/// users keep the earliest `signup_at`, ties the first; sales the greatest `updated_at` (none
/// ranks lowest), ties the last; events the first; spend the last. A row after `as_of` is counted
/// as such and takes no part (SPEC §9).
extension PartitionJob {
    /// Reads stage files of `kind`, checking each names `partition` of `partitions` in its payload header.
    static func batches(_ paths: [String], kind: PartFile.Kind, partition: Int, partitions: Int) throws -> [(source: Int, batch: PartBatch)] {
        var seen: [Int: (bytes: [UInt8], path: String)] = [:]
        var out: [(source: Int, batch: PartBatch)] = []
        for path in paths {
            var r = try PartFile.read(path, expecting: kind).reader
            let source = try r.int(), target = try r.int(), count = try r.int()
            guard target == partition, count == partitions else {
                throw OpsError.runtime("\(path): holds partition \(target) of \(count), expected partition \(partition) of \(partitions)")
            }
            let body = r.checksum
            if let s = seen[source] {
                guard s.bytes == body else { throw OpsError.runtime("\(path): a second, different copy of \(kind.name) \(source) (first: \(s.path))") }
                continue
            }
            seen[source] = (body, path)
            out.append((source, try PartBatch.decode(from: &r)))
        }
        return out.sorted { $0.source < $1.source }
    }

    /// `dedupe`: survivors of dedup-key partition `p`, re-keyed by user into `part-<q>.bin`, and `counts.bin`.
    public func dedupe(context: PartContext, partition p: Int, partitions: Int, inputs: [String], outDir: String) throws {
        guard partitions == context.partitions else {
            throw OpsError.configuration("--partitions \(partitions) differs from the context's \(context.partitions)")
        }
        var found = try Self.batches(inputs, kind: .mapPartition, partition: p, partitions: partitions)
        guard found.count == context.tasks else {
            throw OpsError.runtime("dedupe partition \(p): \(found.count) of \(context.tasks) map tasks' part-\(p).bin given")
        }
        var all = PartBatch()
        // Each input is freed once appended: the partition is never held twice.
        for i in found.indices {
            all.append(found[i].batch)
            found[i].batch = PartBatch()
        }
        all.sort()
        let asOf = context.asOf
        let zone = try job.zoneRules()
        var counts = PartCounts(partition: p)

        func keep<Row, Key: Hashable>(_ rows: [Row], kind: InputKind, date: (Row) -> LocalDate, key: (Row) -> Key,
                                      replaces: (Row, Row) -> Bool) -> [Row] {
            var best: [Key: Int] = [:]
            var kept = [Bool](repeating: false, count: rows.count)
            var after = 0, candidates = 0
            for (i, row) in rows.enumerated() {
                if date(row) > asOf {
                    after += 1
                    continue
                }
                candidates += 1
                let k = key(row)
                if let current = best[k] {
                    if replaces(row, rows[current]) {
                        kept[current] = false
                        kept[i] = true
                        best[k] = i
                    }
                } else {
                    best[k] = i
                    kept[i] = true
                }
            }
            counts.afterAsOf[kind] = after
            counts.duplicates[kind] = candidates - best.count
            return rows.indices.filter { kept[$0] }.map { rows[$0] }
        }

        // Ids and names compare as bytes (SPEC §9: exact after trimming), as `IdKey` and `EventNames`
        // compare them; `String` equality would merge canonically equivalent spellings.
        struct TupleKey: Hashable {
            let user: [UInt8]
            let name: [UInt8]
            let at: Instant
        }
        struct SpendKey: Hashable {
            let date: LocalDate
            let channel: String
            let campaign: String?
        }
        enum EventKey: Hashable {
            case id([UInt8])
            case tuple(TupleKey)
        }
        var out = PartBatch()
        out.users = keep(all.users, kind: .users, date: \.signupDate, key: { Array($0.id.utf8) }) { c, b in c.signupAt < b.signupAt }
        out.sales = keep(all.sales, kind: .sales, date: \.orderedDate, key: { Array($0.orderId.utf8) }) { c, b in
            switch (c.updatedAt, b.updatedAt) {
            case (nil, _): return b.updatedAt == nil
            case (.some, nil): return true
            case let (x?, y?): return x >= y
            }
        }
        out.events = keep(all.events, kind: .events, date: { zone.localDate(of: $0.at) }, key: { e -> EventKey in
            e.eventId.map { EventKey.id(Array($0.utf8)) } ?? .tuple(TupleKey(user: Array(e.userId.utf8), name: Array(e.name.utf8), at: e.at))
        }, replaces: { _, _ in false })
        out.spend = keep(all.spend, kind: .channels, date: \.row.date,
                         key: { SpendKey(date: $0.row.date, channel: $0.row.channel, campaign: $0.row.campaign) }, replaces: { _, _ in true })

        all = PartBatch()
        // Re-keyed by user: a user's kept row, sales and events meet in one analyze partition.
        var parts = [PartBatch](repeating: PartBatch(), count: partitions)
        for u in out.users { parts[PartBatch.partition(of: u.id, partitions: partitions)].users.append(u) }
        for s in out.sales { parts[PartBatch.partition(of: s.userId, partitions: partitions)].sales.append(s) }
        for e in out.events { parts[PartBatch.partition(of: e.userId, partitions: partitions)].events.append(e) }
        parts[0].spend = out.spend
        out = PartBatch()
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        for q in parts.indices {
            var w = PartWriter()
            w.int(p)
            w.int(q)
            w.int(partitions)
            parts[q].encode(into: &w)
            parts[q] = PartBatch()
            try PartFile.write(.dedupePartition, payload: w.bytes, to: Self.partFile(outDir, q))
        }
        try PartFile.write(.dedupeCounts, payload: counts.encode(), to: "\(outDir)/counts.bin")
    }

    /// `analyze`: user partition `q`. Its users are exactly the kept users whose id hashes to `q`,
    /// so a sale or event here whose user is not among them is an unknown user (SPEC §3.4 step 4)
    /// and keeps its original fields for the reject; every other row drops them.
    public func analyze(context: PartContext, partition q: Int, inputs: [String], outFile: String) throws {
        var found = try Self.batches(inputs, kind: .dedupePartition, partition: q, partitions: context.partitions)
        guard found.count == context.partitions else {
            throw OpsError.runtime("analyze partition \(q): \(found.count) of \(context.partitions) dedupe outputs' part-\(q).bin given")
        }
        var all = PartBatch()
        for i in found.indices {
            all.append(found[i].batch)
            found[i].batch = PartBatch()
        }
        all.sort()
        let known = Set(all.users.map { Array($0.id.utf8) })
        for i in all.sales.indices where known.contains(Array(all.sales[i].userId.utf8)) { all.sales[i].fields = nil }
        for i in all.events.indices where known.contains(Array(all.events[i].userId.utf8)) { all.events[i].fields = nil }
        var w = PartWriter()
        w.int(q)
        w.int(q)
        w.int(context.partitions)
        all.encode(into: &w)
        let dir = URL(fileURLWithPath: outFile).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try PartFile.write(.partial, payload: w.bytes, to: outFile)
    }
}
