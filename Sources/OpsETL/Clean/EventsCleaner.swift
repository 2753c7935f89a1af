/// Clean, events input: record → `EventRow` or a reject (SPEC §3.1, §3.3, §3.4 step 1).
/// Grain: one row per product-analytics event record.

/// An events record whose values all parsed.
public struct EventRow: Sendable, Equatable {
    /// Trimmed; nil when the column is absent or the value null (then the row dedups by its tuple).
    public var eventId: String?
    /// Dense index of the kept user, or -1 when the user is not a kept user.
    public var user: Int32
    /// The raw (trimmed) user id, kept only for unknown users so their tuples stay distinct.
    public var unknownUserId: String?
    /// Trimmed, case kept (SPEC §3.5).
    public var name: String
    public var at: Instant
    public var date: LocalDate
    /// Kept only for rows of unknown users, which may become `unknown_user` rejects after dedup.
    public var origin: RowOrigin?
}

final class EventsSink: CleaningSink {
    private let reader: FieldReader
    private let file: Int
    private let zone: ZoneRules
    private let users: KnownUsers
    private let user, event, occurred: Int
    private let eventId: Int?
    private(set) var rows: [EventRow] = []
    private(set) var rejects: [RejectedRow] = []
    private(set) var span = DateSpan()

    init(map: ColumnMap, file: Int, zone: ZoneRules, users: KnownUsers) {
        reader = FieldReader(map: map)
        self.file = file
        self.zone = zone
        self.users = users
        user = map.position(of: "user_id")!
        event = map.position(of: "event")!
        occurred = map.position(of: "occurred_at")!
        eventId = map.position(of: "event_id")
    }

    func consume(_ row: RawRow) {
        if let reason = reader.checkShape(row) ?? reader.checkMissing(row) {
            rejects.append(makeReject(row, file: file, reason: reason))
            return
        }
        guard let at = TimestampParser.parse(reader.value(row, occurred), zone: zone) else {
            rejects.append(makeReject(row, file: file, reason: "bad_timestamp:occurred_at"))
            return
        }
        let date = zone.localDate(of: at)
        span.include(date)
        let userId = reader.text(row, user)!
        let index = users.index(of: userId)
        rows.append(EventRow(
            eventId: reader.text(row, eventId),
            user: index ?? -1,
            unknownUserId: index == nil ? userId : nil,
            name: reader.text(row, event)!,
            at: at,
            date: date,
            origin: index == nil ? RowOrigin(file: file, line: row.relativeLine, fields: row.strings) : nil))
    }

    func rebaseLines(firstLine: Int) {
        for i in rejects.indices { rejects[i].line += firstLine }
        for i in rows.indices where rows[i].origin != nil { rows[i].origin!.line += firstLine }
    }
}
