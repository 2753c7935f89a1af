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
        return dedupe(&input, asOf: asOf, date: { $0.signupDate }, hash: { $0.key.mixed },
                      same: { $0.key == $1.key }, replaces: { candidate, best in candidate.signupAt < best.signupAt })
    }

    /// Sales: key `order_id`; keep the greatest `updated_at` (a row without one ranks lowest),
    /// ties the last in input order — so a later export's status wins.
    public static func sales(_ input: CleanedInput<SaleRow>, asOf: LocalDate) -> DedupedInput<SaleRow> {
        var input = input
        return sales(&input, asOf: asOf)
    }

    /// The same, taking the rows out of `input` (no copy of millions of rows).
    static func sales(_ input: inout CleanedInput<SaleRow>, asOf: LocalDate) -> DedupedInput<SaleRow> {
        dedupe(&input, asOf: asOf, date: { $0.orderedDate }, hash: { $0.key.mixed }, same: { $0.key == $1.key }) { candidate, best in
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
                      hash: { UInt64(truncatingIfNeeded: SpendKey(date: $0.date, channel: $0.channel, campaign: $0.campaign).hashValue) },
                      same: { $0.date == $1.date && $0.channel == $1.channel && $0.campaign == $1.campaign },
                      replaces: { _, _ in true })
    }

    /// Events: key `event_id` where present, else (user, event, occurred_at as an instant);
    /// keep the first. The two kinds of key never match each other.
    public static func events(_ input: CleanedInput<EventRow>, asOf: LocalDate) -> DedupedInput<EventRow> {
        var input = input
        return events(&input, asOf: asOf)
    }

    static func events(_ input: inout CleanedInput<EventRow>, asOf: LocalDate) -> DedupedInput<EventRow> {
        dedupe(&input, asOf: asOf, date: { $0.date }, hash: { row in
            var h = row.key.mixed
            if row.isTuple {
                h ^= UInt64(bitPattern: row.at.seconds) &* 0x9E37_79B9_7F4A_7C15
                h ^= (UInt64(UInt32(bitPattern: row.at.nanos)) << 32 | UInt64(UInt32(bitPattern: row.name))) &* 0xC2B2_AE3D_27D4_EB4F
                h ^= h >> 29
            }
            return h
        }, same: { a, b in
            // The tuple compares the user's id (its key), the name and the instant.
            a.key == b.key && (!a.isTuple || (a.name == b.name && a.at == b.at))
        }, replaces: { _, _ in false })
    }

    private struct SpendKey: Hashable {
        let date: LocalDate
        let channel: String
        let campaign: String?
    }

    /// Drops rows after `asOf`, keeps one survivor per key (`replaces(candidate, currentBest)` says
    /// whether a later row wins) and compacts the survivors, in input order, in place.
    private static func dedupe<Row>(_ input: inout CleanedInput<Row>, asOf: LocalDate?, date: (Row) -> LocalDate,
                                    hash: (Row) -> UInt64, same: (Row, Row) -> Bool,
                                    replaces: (Row, Row) -> Bool) -> DedupedInput<Row> {
        var rows = input.rows
        input.rows = []
        let n = rows.count
        var winner = [Bool](repeating: false, count: n)
        var table = RowIndexTable(capacity: n)
        var after = 0
        var candidates = 0
        rows.withUnsafeBufferPointer { rows in
            for i in 0..<n {
                let row = rows[i]
                if let asOf, date(row) > asOf {
                    after += 1
                    continue
                }
                candidates += 1
                let h = hash(row)
                if let current = table.insert(i, hash: h, equals: { same(rows[$0], row) }) {
                    if replaces(row, rows[current]) {
                        table.replace(current, with: i, hash: h)
                        winner[current] = false
                        winner[i] = true
                    }
                } else {
                    winner[i] = true
                }
            }
        }
        var origins: [Int: RowOrigin] = [:]
        var kept = 0
        rows.withUnsafeMutableBufferPointer { rows in
            for i in 0..<n where winner[i] {
                if let o = input.origins[i] { origins[kept] = o }
                rows[kept] = rows[i]
                kept += 1
            }
        }
        rows.removeLast(n - kept)
        return DedupedInput(input, rows: rows, origins: origins, afterAsOf: after, duplicates: candidates - kept)
    }
}
