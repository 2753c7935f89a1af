/// Dedupe: the keep rules of SPEC §3.4 step 3, after dropping rows dated after `as_of` (step 2).
///
/// Input order is sorted file path, then row order, which is the order of `rows`.
/// A row both after `as_of` and duplicated counts as `after_as_of` (SPEC §9), so the date
/// filter runs first and filtered rows take no part in deduplication. Survivors keep
/// input order (the kept row's own position), so output never depends on hashing order.
public enum Deduplicator {
    /// Users: key `user_id`; keep the earliest `signup_at`, ties the first in input order.
    /// `asOf` nil means "not known yet" — the default `as_of` is the latest date of all
    /// inputs, which no signup can be after, so nothing is dropped then.
    public static func users(_ input: CleanedInput<UserRow>, asOf: LocalDate?) -> DedupedInput<UserRow> {
        let (rows, after) = dropAfter(input.rows, asOf: asOf) { $0.signupDate }
        let kept = keep(rows, key: { $0.id }) { candidate, best in candidate.signupAt < best.signupAt }
        return DedupedInput(input, rows: kept, afterAsOf: after, duplicates: rows.count - kept.count)
    }

    /// Sales: key `order_id`; keep the greatest `updated_at` (a row without one ranks lowest),
    /// ties the last in input order — so a later export's status wins.
    public static func sales(_ input: CleanedInput<SaleRow>, asOf: LocalDate) -> DedupedInput<SaleRow> {
        let (rows, after) = dropAfter(input.rows, asOf: asOf) { $0.orderedDate }
        let kept = keep(rows, key: { $0.orderId }) { candidate, best in
            switch (candidate.updatedAt, best.updatedAt) {
            case (nil, _): return best.updatedAt == nil
            case (.some, nil): return true
            case let (c?, b?): return c >= b
            }
        }
        return DedupedInput(input, rows: kept, afterAsOf: after, duplicates: rows.count - kept.count)
    }

    /// Channels: key (local date, normalised channel, campaign with null = null); keep the last.
    public static func channels(_ input: CleanedInput<SpendRow>, asOf: LocalDate) -> DedupedInput<SpendRow> {
        let (rows, after) = dropAfter(input.rows, asOf: asOf) { $0.date }
        let kept = keep(rows, key: { SpendKey(date: $0.date, channel: $0.channel, campaign: $0.campaign) }) { _, _ in true }
        return DedupedInput(input, rows: kept, afterAsOf: after, duplicates: rows.count - kept.count)
    }

    /// Events: key `event_id` where present, else (user, event, occurred_at as an instant);
    /// keep the first. The two kinds of key never match each other.
    public static func events(_ input: CleanedInput<EventRow>, asOf: LocalDate) -> DedupedInput<EventRow> {
        let (rows, after) = dropAfter(input.rows, asOf: asOf) { $0.date }
        let kept = keep(rows, key: { row -> EventKey in
            if let id = row.eventId { return .id(id) }
            return .tuple(user: row.user, unknownUser: row.unknownUserId, name: row.name, at: row.at)
        }) { _, _ in false }
        return DedupedInput(input, rows: kept, afterAsOf: after, duplicates: rows.count - kept.count)
    }

    private struct SpendKey: Hashable {
        let date: LocalDate
        let channel: String
        let campaign: String?
    }

    private enum EventKey: Hashable {
        case id(String)
        case tuple(user: Int32, unknownUser: String?, name: String, at: Instant)
    }

    private static func dropAfter<Row>(_ rows: [Row], asOf: LocalDate?, date: (Row) -> LocalDate) -> ([Row], Int) {
        guard let asOf else { return (rows, 0) }
        let kept = rows.filter { date($0) <= asOf }
        return (kept, rows.count - kept.count)
    }

    /// One survivor per key: `replaces(candidate, currentBest)` says whether a later row wins.
    /// Survivors are returned in the input order of their own positions.
    private static func keep<Row, Key: Hashable>(_ rows: [Row], key: (Row) -> Key, replaces: (Row, Row) -> Bool) -> [Row] {
        var best = [Key: Int](minimumCapacity: rows.count)
        for i in rows.indices {
            let k = key(rows[i])
            if let current = best[k] {
                if replaces(rows[i], rows[current]) { best[k] = i }
            } else {
                best[k] = i
            }
        }
        if best.count == rows.count { return rows }
        var winner = [Bool](repeating: false, count: rows.count)
        for i in best.values { winner[i] = true }
        return rows.indices.compactMap { winner[$0] ? rows[$0] : nil }
    }
}
