/// Clean, events input: record → `EventRow` or a reject (SPEC §3.1, §3.3, §3.4 step 1).
/// Grain: one row per product-analytics event record.
///
/// A row is a few integers: the user's dense index, the event name's number and the instant.
/// Rows of unknown users keep their original fields on the side.

/// An events record whose values all parsed, in 16 bytes.
///
/// The instant's seconds share a word with the name's number (40 bits hold ±17 000 years of
/// seconds, every 4-digit year of SPEC §3.3; 24 bits hold 16 million names). Its deduplication
/// key — the trimmed `event_id`, or the user id's key marked as a tuple key (the tuple is then
/// that key, the name and the instant, SPEC §3.4, §9) — is kept beside it until deduplication.
public struct EventRow: Sendable, Equatable {
    private var secondsAndName: UInt64
    private var nanos: Int32
    /// Dense index of the kept user, or -1 when the user is not a kept user.
    public var user: Int32

    init(at: Instant, name: Int32, user: Int32) {
        secondsAndName = UInt64(bitPattern: at.seconds) << 24 | UInt64(UInt32(bitPattern: name) & 0xFF_FFFF)
        nanos = at.nanos
        self.user = user
    }

    public var at: Instant { Instant(seconds: Int64(bitPattern: secondsAndName) >> 24, nanos: nanos) }
    /// Number of the (trimmed, case-kept) name in the run's `EventNames`.
    public var name: Int32 { Int32(truncatingIfNeeded: secondsAndName & 0xFF_FFFF) }
}

final class EventsSink: CleaningSink {
    private let reader: FieldReader
    private let file: Int
    private let zone: ZoneRules
    private let values: ValueReader
    private let users: KnownUsers
    private let longIds: LongIds
    private let names: EventNames
    @exclusivity(unchecked) private var cache = EventNames.Cache()
    /// `occurred_at`, read with memory of the row before (same answers as `values.timestamp`).
    @exclusivity(unchecked) private var occurredAt: TimestampColumn
    private let user, event, occurred: Int
    private let eventId: Int?
    @exclusivity(unchecked) private(set) var rows: [EventRow] = []
    @exclusivity(unchecked) private(set) var keys: [IdKey] = []
    @exclusivity(unchecked) private(set) var rejects: [RejectedRow] = []
    @exclusivity(unchecked) private(set) var origins: [(row: Int, origin: RowOrigin)] = []
    @exclusivity(unchecked) private(set) var span = DateSpan()
    /// Every row's keys and the fields of unknown users' rows, when made for a partition map task (`keepFields`).
    let raw: RawFieldLog?

    init(map: ColumnMap, file: Int, zone: ZoneRules, users: KnownUsers, longIds: LongIds, names: EventNames,
         values: ValueReader = ValueReader(), keepFields: Bool = false) {
        raw = keepFields ? RawFieldLog() : nil
        reader = FieldReader(map: map)
        self.values = values
        self.file = file
        self.zone = zone
        self.users = users
        self.longIds = longIds
        self.names = names
        user = map.position(of: "user_id")!
        event = map.position(of: "event")!
        occurred = map.position(of: "occurred_at")!
        eventId = map.position(of: "event_id")
        occurredAt = TimestampColumn(values: values, zone: zone)
    }

    func consume(_ row: RawRow) {
        if let reason = reader.checkShape(row) ?? reader.checkMissing(row) {
            rejects.append(makeReject(row, file: file, reason: reason))
            return
        }
        guard let at = occurredAt.parse(reader.value(row, occurred)) else {
            rejects.append(makeReject(row, file: file, reason: "bad_timestamp:occurred_at"))
            return
        }
        let date = occurredAt.localDate(of: at)
        span.include(date)
        let userKey = IdKey(reader.value(row, user), longIds: longIds)
        let index = users.index(of: userKey)
        if let raw {
            // A partition map task: every row's keys, and the fields of rows of other users.
            raw.append(row, keys: reader.value(row, user), reader.value(row, eventId), fields: index == nil)
        } else if index == nil {
            origins.append((rows.count, RowOrigin(file: file, line: row.relativeLine, fields: row.strings)))
        }
        let idBytes = reader.value(row, eventId)
        keys.append(idBytes.isEmpty ? userKey.asTuple : IdKey(idBytes, longIds: longIds))
        rows.append(EventRow(at: at, name: cache.number(of: reader.value(row, event), in: names), user: index ?? -1))
    }

    func take() -> (rows: [EventRow], keys: [IdKey]) {
        defer { rows = []; keys = [] }
        return (rows, keys)
    }

    func adopt(rows: [Row], keys: [IdKey]) {
        self.rows = rows
        self.keys = keys
    }

    func reserve(rows n: Int) {
        raw?.reserve(rows: n)
        HugePages.reserve(&rows, n)
        HugePages.reserve(&keys, n)
    }

    func rebaseLines(firstLine: Int) {
        raw?.rebase(firstLine: firstLine)
        for i in rejects.indices { rejects[i].line += firstLine }
        for i in origins.indices { origins[i].origin.line += firstLine }
    }
}
