import Foundation

/// Dedupe: the keep rules of SPEC §3.4 step 3, after dropping rows dated after `as_of` (step 2).
///
/// Input order is sorted file path, then row order, which is the order of `rows`.
/// A row both after `as_of` and duplicated counts as `after_as_of` (SPEC §9), so the date
/// filter runs first and filtered rows take no part in deduplication. Survivors keep
/// input order (the kept row's own position), so output never depends on hashing order.
///
/// Keys are `IdKey`s (two integers) in an open-addressing table of row indices, and the
/// survivors are compacted in place: millions of rows cost one pass and no second copy.
public enum Deduplicator {
    /// Users: key `user_id`; keep the earliest `signup_at`, ties the first in input order.
    /// `asOf` nil means "not known yet" — the default `as_of` is the latest date of all
    /// inputs, which no signup can be after, so nothing is dropped then.
    public static func users(_ input: CleanedInput<UserRow>, asOf: LocalDate?) -> DedupedInput<UserRow> {
        var input = input
        return users(&input, asOf: asOf)
    }

    /// The same, taking the rows out of `input`.
    static func users(_ input: inout CleanedInput<UserRow>, asOf: LocalDate?) -> DedupedInput<UserRow> {
        dedupe(&input, asOf: asOf, date: { $0.signupDate }, hash: { r, _ in r.key.mixed },
                      same: { a, _, b, _ in a.key == b.key },
                      replaces: { candidate, best in candidate.signupAt < best.signupAt })
    }

    /// Sales: key `order_id`; keep the greatest `updated_at` (a row without one ranks lowest),
    /// ties the last in input order — so a later export's status wins.
    public static func sales(_ input: CleanedInput<SaleRow>, asOf: LocalDate) -> DedupedInput<SaleRow> {
        var input = input
        return sales(&input, asOf: asOf)
    }

    /// The same, taking the rows out of `input` (no copy of millions of rows).
    static func sales(_ input: inout CleanedInput<SaleRow>, asOf: LocalDate) -> DedupedInput<SaleRow> {
        dedupe(&input, asOf: asOf, date: { $0.orderedDate }, hash: { _, k in k.mixed },
               same: { _, ka, _, kb in ka == kb }) { candidate, best in
            switch (candidate.updatedAt, best.updatedAt) {
            case (nil, _): return best.updatedAt == nil
            case (.some, nil): return true
            case let (c?, b?): return c >= b
            }
        }
    }

    /// Channels: key (local date, normalised channel, campaign with null = null); keep the last.
    public static func channels(_ input: CleanedInput<SpendRow>, asOf: LocalDate) -> DedupedInput<SpendRow> {
        var input = input
        return dedupe(&input, asOf: asOf, date: { $0.date },
                      hash: { r, _ in UInt64(truncatingIfNeeded: SpendKey(date: r.date, channel: r.channel, campaign: r.campaign).hashValue) },
                      same: { a, _, b, _ in a.date == b.date && a.channel == b.channel && a.campaign == b.campaign },
                      replaces: { _, _ in true })
    }

    /// Events: key `event_id` where present, else (user, event, occurred_at as an instant);
    /// keep the first. The two kinds of key never match each other.
    public static func events(_ input: CleanedInput<EventRow>, asOf: LocalDate, zone: ZoneRules) -> DedupedInput<EventRow> {
        var input = input
        return events(&input, asOf: asOf, zone: zone)
    }

    static func events(_ input: inout CleanedInput<EventRow>, asOf: LocalDate, zone: ZoneRules) -> DedupedInput<EventRow> {
        // Rows carry no date: when no row's date is after as_of (the usual case) none is computed.
        let mayBeAfter = input.span.max.map { $0 > asOf } ?? false
        return dedupe(&input, asOf: mayBeAfter ? asOf : nil, date: { zone.localDate(of: $0.at) }, hash: { row, key in
            var h = key.mixed
            if key.isTuple {
                let at = row.at
                h ^= UInt64(bitPattern: at.seconds) &* 0x9E37_79B9_7F4A_7C15
                h ^= (UInt64(UInt32(bitPattern: at.nanos)) << 32 | UInt64(UInt32(bitPattern: row.name))) &* 0xC2B2_AE3D_27D4_EB4F
                h ^= h >> 29
            }
            return h
        }, same: { a, ka, b, kb in
            // The tuple compares the user's id (its key), the name and the instant.
            ka == kb && (!ka.isTuple || a == b || (a.name == b.name && a.at == b.at))
        }, replaces: { _, _ in false })
    }

    private struct SpendKey: Hashable {
        let date: LocalDate
        let channel: String
        let campaign: String?
    }

    /// Drops rows after `asOf`, keeps one survivor per key (`replaces(candidate, currentBest)` says
    /// whether a later row wins) and compacts the survivors, in input order, in place. Rows are
    /// compared by `same(row, key, row, key)`, where the keys are `input.keys` (or a dummy when
    /// the rows carry their own); the keys are freed.
    private static func dedupe<Row>(_ input: inout CleanedInput<Row>, asOf: LocalDate?, date: (Row) -> LocalDate,
                                    hash: (Row, IdKey) -> UInt64, same: (Row, IdKey, Row, IdKey) -> Bool,
                                    replaces: (Row, Row) -> Bool) -> DedupedInput<Row> {
        var rows = input.rows
        input.rows = []
        let keys = input.keys
        input.keys = []
        let n = rows.count
        // Rows are spread over groups by their hash; each group walks the rows in input order with
        // its own table, so every row of a key meets the others in one table, the keep rules hold
        // as in a single pass, and groups run on every core without a lock. Groups are small
        // enough that their tables stay in cache (random probes into one big table would miss
        // it on nearly every row). Only dropped rows are marked, so threads rarely write.
        var dropped = [Bool](repeating: false, count: n)
        let groups = n < 1 << 18 ? 1 : min(256, max(2, n / 500_000))
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let counts: [(after: Int, candidates: Int)] = rows.withUnsafeBufferPointer { rows in
            keys.withUnsafeBufferPointer { keys in
                dropped.withUnsafeMutableBufferPointer { dropped in
                    nonisolated(unsafe) let (rows, keys, dropped) = (rows, keys, dropped)
                    let keyed = keys.count == n
                    let none = IdKey(a: 0, b: 0)
                    var group = [UInt8](repeating: 0, count: groups > 1 ? n : 0)
                    if groups > 1 {
                        group.withUnsafeMutableBufferPointer { group in
                            nonisolated(unsafe) let group = group
                            _ = try? parallelMap(cores) { c -> Void in
                                for i in (n * c / cores)..<(n * (c + 1) / cores) {
                                    group[i] = UInt8(Int(hash(rows[i], keyed ? keys[i] : none) >> 56) % groups)
                                }
                            }
                        }
                    }
                    return group.withUnsafeBufferPointer { group in
                        nonisolated(unsafe) let group = group
                        return (try? parallelMap(groups) { g -> (after: Int, candidates: Int) in
                            var table = RowIndexTable(capacity: n / groups + n / (4 * groups) + 16)
                            var after = 0, candidates = 0
                            func visit(_ i: Int) {
                                let row = rows[i]
                                if let asOf, date(row) > asOf {
                                    after += 1
                                    dropped[i] = true
                                    return
                                }
                                candidates += 1
                                let key = keyed ? keys[i] : none
                                let h = hash(row, key)
                                let found = table.insert(i, hash: h, equals: { same(rows[$0], keyed ? keys[$0] : none, row, key) },
                                                         rehash: { hash(rows[$0], keyed ? keys[$0] : none) })
                                if let current = found {
                                    if replaces(row, rows[current]) {
                                        table.replace(current, with: i, hash: h)
                                        dropped[current] = true
                                    } else {
                                        dropped[i] = true
                                    }
                                }
                            }
                            if groups == 1 {
                                for i in 0..<n { visit(i) }
                            } else {
                                // This group's rows, in input order: 8 group bytes at a time, and
                                // byte by byte only in words where some byte may equal g.
                                let byte = UInt8(g)
                                let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
                                let raw = UnsafeRawPointer(group.baseAddress!)
                                var i = 0
                                while i + 8 <= n {
                                    let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
                                    if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 {
                                        for j in i..<(i + 8) where group[j] == byte { visit(j) }
                                    }
                                    i += 8
                                }
                                while i < n {
                                    if group[i] == byte { visit(i) }
                                    i += 1
                                }
                            }
                            return (after, candidates)
                        }) ?? []
                    }
                }
            }
        }
        let after = counts.reduce(0) { $0 + $1.after }
        let candidates = counts.reduce(0) { $0 + $1.candidates }
        var origins: [Int: RowOrigin] = [:]
        let originRows = input.origins.keys.sorted()
        var next = 0
        var kept = 0
        rows.withUnsafeMutableBufferPointer { rows in
            for i in 0..<n where !dropped[i] {
                while next < originRows.count && originRows[next] < i { next += 1 }
                if next < originRows.count && originRows[next] == i { origins[kept] = input.origins[i] }
                rows[kept] = rows[i]
                kept += 1
            }
        }
        rows.removeLast(n - kept)
        return DedupedInput(input, rows: rows, origins: origins, afterAsOf: after, duplicates: candidates - kept)
    }
}
