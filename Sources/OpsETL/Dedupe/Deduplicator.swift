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
    static func sales(_ input: inout CleanedInput<SaleRow>, asOf: LocalDate,
                      passEntries: Int = passEntries) -> DedupedInput<SaleRow> {
        dedupe(&input, asOf: asOf, date: { $0.orderedDate }, hash: { _, k in k.mixed },
               same: { _, ka, _, kb in ka == kb }, passEntries: passEntries) { candidate, best in
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

    static func events(_ input: inout CleanedInput<EventRow>, asOf: LocalDate, zone: ZoneRules,
                       passEntries: Int = passEntries) -> DedupedInput<EventRow> {
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
        }, passEntries: passEntries, replaces: { _, _ in false })
    }

    private struct SpendKey: Hashable {
        let date: LocalDate
        let channel: String
        let campaign: String?
    }

    /// Rows of a pass of hash groups (8 bytes each): at most 64 MB beside the input's arrays.
    static let passEntries = 1 << 23

    /// Drops rows after `asOf`, keeps one survivor per key (`replaces(candidate, currentBest)` says
    /// whether a later row wins) and compacts the survivors, in input order, in place. Rows are
    /// compared by `same(row, key, row, key)`, where the keys are `input.keys` (or a dummy when
    /// the rows carry their own); the keys are freed.
    ///
    /// Rows are spread over hash groups of ~64 K rows, so a group's table (≤ 1 MB) stays in the
    /// core's cache; every row of a key falls in one group. One pass over the rows, in order on
    /// every core, drops those after `asOf` and counts the groups; then groups are taken in passes
    /// of at most `passEntries` rows: each core streams its share of the rows again and writes the
    /// pass's (32 hash bits, index) entries into each group's slice, in input order, and each group
    /// walks its slice with its table. A row's own fields are read again only when 32 hash bits
    /// match (a duplicate, as a rule), so the rows and keys are read in order, never at random, and
    /// the keep rules hold as in a single pass. Groups run on every core without a lock; a row is
    /// marked dropped by the one thread that owns it.
    private static func dedupe<Row>(_ input: inout CleanedInput<Row>, asOf: LocalDate?, date: (Row) -> LocalDate,
                                    hash: (Row, IdKey) -> UInt64, same: (Row, IdKey, Row, IdKey) -> Bool,
                                    passEntries: Int = passEntries, replaces: (Row, Row) -> Bool) -> DedupedInput<Row> {
        var rows = input.rows
        input.rows = []
        let keys = input.keys
        input.keys = []
        let n = rows.count
        precondition(n < Int(UInt32.max), "more rows than a row index holds")
        var dropped = [Bool](repeating: false, count: n)
        let groups = n < 1 << 18 ? 1 : min(4096, n / 65_536)
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let counts: (after: Int, candidates: Int) = rows.withUnsafeBufferPointer { rows in
            keys.withUnsafeBufferPointer { keys in
                dropped.withUnsafeMutableBufferPointer { dropped in
                    nonisolated(unsafe) let (rows, keys, dropped) = (rows, keys, dropped)
                    let keyed = keys.count == n
                    let none = IdKey(a: 0, b: 0)
                    // The low 32 bits of the hash pick the group, the high 32 are the table's.
                    @inline(__always) func hashed(_ i: Int) -> (group: Int, hash: UInt32) {
                        let h = hash(rows[i], keyed ? keys[i] : none)
                        return (Int(((h & 0xFFFF_FFFF) &* UInt64(groups)) >> 32), UInt32(truncatingIfNeeded: h >> 32))
                    }
                    let parts = groups == 1 ? 1 : cores
                    let range = { (c: Int) in (n * c / parts)..<(n * (c + 1) / parts) }
                    // Pass 1: rows after as_of (they take no part), and each core's count per group.
                    let tally: [(after: Int, sizes: [Int])] = (try? parallelMap(parts) { c in
                        var sizes = [Int](repeating: 0, count: groups)
                        var after = 0
                        for i in range(c) {
                            if let asOf, date(rows[i]) > asOf {
                                dropped[i] = true
                                after += 1
                            } else {
                                sizes[hashed(i).group] += 1
                            }
                        }
                        return (after, sizes)
                    }) ?? []
                    let sizes = (0..<groups).map { g in tally.reduce(0) { $0 + $1.sizes[g] } }
                    let candidates = sizes.reduce(0, +)
                    var entries = [UInt64](repeating: 0, count: min(candidates, max(passEntries, sizes.max() ?? 0)))
                    entries.withUnsafeMutableBufferPointer { entries in
                        nonisolated(unsafe) let entries = entries
                        var first = 0
                        while first < groups {
                            // This pass: groups first..<last, group g's slice from start[g - first].
                            var last = first, total = 0
                            var start: [Int] = [0]
                            while last < groups && (last == first || total + sizes[last] <= entries.count) {
                                total += sizes[last]
                                start.append(total)
                                last += 1
                            }
                            let (lo, hi) = (first, last)
                            if groups > 1 {
                                _ = try? parallelMap(parts) { c -> Void in
                                    // Core c writes after the cores before it: each slice stays in input order.
                                    var at = (lo..<hi).map { g in start[g - lo] + tally[..<c].reduce(0) { $0 + $1.sizes[g] } }
                                    for i in range(c) where !dropped[i] {
                                        let (g, h) = hashed(i)
                                        if g >= lo && g < hi {
                                            entries[at[g - lo]] = UInt64(h) << 32 | UInt64(i)
                                            at[g - lo] += 1
                                        }
                                    }
                                }
                            } else {
                                var at = 0
                                for i in 0..<n where !dropped[i] {
                                    entries[at] = UInt64(hashed(i).hash) << 32 | UInt64(i)
                                    at += 1
                                }
                            }
                            let workers = min(hi - lo, cores)
                            let largest = sizes[lo..<hi].max() ?? 0
                            _ = try? parallelMap(workers) { w -> Void in
                                var table = RowIndexTable(capacity: largest)
                                for g in stride(from: lo + w, to: hi, by: workers) {
                                    if g > lo + w { table.removeAll() }
                                    for e in entries[start[g - lo]..<start[g - lo + 1]] {
                                        let i = Int(e & 0xFFFF_FFFF)
                                        let h = UInt32(truncatingIfNeeded: e >> 32)
                                        // The rows themselves are read only when the hash bits match.
                                        let found = table.insert(i, hash: h, equals: {
                                            same(rows[$0], keyed ? keys[$0] : none, rows[i], keyed ? keys[i] : none)
                                        })
                                        if let current = found {
                                            if replaces(rows[i], rows[current]) {
                                                table.replace(current, with: i, hash: h)
                                                dropped[current] = true
                                            } else {
                                                dropped[i] = true
                                            }
                                        }
                                    }
                                }
                            }
                            first = last
                        }
                    }
                    return (tally.reduce(0) { $0 + $1.after }, candidates)
                }
            }
        }
        let (after, candidates) = counts
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
