/// Clean, sales input: record → `SaleRow` or a reject (SPEC §3.1, §3.3, §3.4 step 1).
/// Grain: one row per sales-file record, across every file of the glob.

/// A sales record whose values all parsed.
public struct SaleRow: Sendable, Equatable {
    public var orderId: String
    /// Dense index of the kept user, or -1 when the user is not a kept user.
    public var user: Int32
    public var orderedAt: Instant
    public var orderedDate: LocalDate
    /// In 1/10 000 of the currency unit (`MoneyParser.scale`).
    public var amount: Int64
    /// Trimmed and lower-cased (statuses compare case-insensitively).
    public var status: String?
    public var updatedAt: Instant?
    /// Kept only for rows of unknown users, which may become `unknown_user` rejects after dedup.
    public var origin: RowOrigin?
}

final class SalesSink: CleaningSink {
    private let reader: FieldReader
    private let file: Int
    private let zone: ZoneRules
    private let users: KnownUsers
    private let order, user, ordered, amount: Int
    private let status, updated: Int?
    private(set) var rows: [SaleRow] = []
    private(set) var rejects: [RejectedRow] = []
    private(set) var span = DateSpan()

    init(map: ColumnMap, file: Int, zone: ZoneRules, users: KnownUsers) {
        reader = FieldReader(map: map)
        self.file = file
        self.zone = zone
        self.users = users
        order = map.position(of: "order_id")!
        user = map.position(of: "user_id")!
        ordered = map.position(of: "ordered_at")!
        amount = map.position(of: "amount")!
        status = map.position(of: "status")
        updated = map.position(of: "updated_at")
    }

    func consume(_ row: RawRow) {
        if let reason = reader.checkShape(row) ?? reader.checkMissing(row) {
            rejects.append(makeReject(row, file: file, reason: reason))
            return
        }
        guard let orderedAt = TimestampParser.parse(reader.value(row, ordered), zone: zone) else {
            rejects.append(makeReject(row, file: file, reason: "bad_timestamp:ordered_at"))
            return
        }
        guard let money = MoneyParser.parse(reader.value(row, amount)) else {
            rejects.append(makeReject(row, file: file, reason: "bad_number:amount"))
            return
        }
        var updatedAt: Instant?
        let updatedBytes = reader.value(row, updated)
        if !updatedBytes.isEmpty {
            guard let u = TimestampParser.parse(updatedBytes, zone: zone) else {
                rejects.append(makeReject(row, file: file, reason: "bad_timestamp:updated_at"))
                return
            }
            updatedAt = u
        }
        let date = zone.localDate(of: orderedAt)
        span.include(date)
        let userId = reader.text(row, user)!
        let index = users.index(of: userId)
        rows.append(SaleRow(
            orderId: reader.text(row, order)!,
            user: index ?? -1,
            orderedAt: orderedAt,
            orderedDate: date,
            amount: money,
            status: reader.text(row, status)?.lowercased(),
            updatedAt: updatedAt,
            origin: index == nil ? RowOrigin(file: file, line: row.relativeLine, fields: row.strings) : nil))
    }

    func rebaseLines(firstLine: Int) {
        for i in rejects.indices { rejects[i].line += firstLine }
        for i in rows.indices where rows[i].origin != nil { rows[i].origin!.line += firstLine }
    }
}
