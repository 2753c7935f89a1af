/// Clean, sales input: record → `SaleRow` or a reject (SPEC §3.1, §3.3, §3.4 step 1).
/// Grain: one row per sales-file record, across every file of the glob.
///
/// A row is a few integers: the user's dense index, two instants,
/// the amount in 1/10 000 units and one bit for an excluded status. Rows of unknown users keep
/// their original fields on the side (`origins`), in case they become `unknown_user` rejects;
/// the order id's `IdKey` is kept beside the row (`keys`) only until deduplication.

/// A sales record whose values all parsed.
public struct SaleRow: Sendable, Equatable {
    public var orderedAt: Instant
    /// Dense index of the kept user, or -1 when the user is not a kept user.
    public var user: Int32
    /// In 1/10 000 of the currency unit (`MoneyParser.scale`).
    public var amount: Int64
    public var updatedAt: Instant?
    public var orderedDate: LocalDate
    /// The status is one of `exclude_statuses` (compared case-insensitively, SPEC §3.3).
    public var excluded: Bool
}

final class SalesSink: CleaningSink {
    private let reader: FieldReader
    private let file: Int
    private let zone: ZoneRules
    private let values: ValueReader
    private let users: KnownUsers
    private let longIds: LongIds
    private let statuses: StatusMatcher
    private let order, user, ordered, amount: Int
    private let status, updated: Int?
    @exclusivity(unchecked) private(set) var rows: [SaleRow] = []
    /// The trimmed `order_id` of each row.
    @exclusivity(unchecked) private(set) var keys: [IdKey] = []
    @exclusivity(unchecked) private(set) var rejects: [RejectedRow] = []
    @exclusivity(unchecked) private(set) var origins: [(row: Int, origin: RowOrigin)] = []
    @exclusivity(unchecked) private(set) var span = DateSpan()
    /// Every row's keys and the fields of unknown users' rows, when made for a partition map task (`keepFields`).
    let raw: RawFieldLog?
    /// `ordered_at` and `updated_at`, read with memory of the value before (same answers as
    /// `values.timestamp`). One memory for both: an order is mostly updated on the day it was placed,
    /// while the next row is another order on another day.
    @exclusivity(unchecked) private var timestamps: TimestampColumn

    init(map: ColumnMap, file: Int, zone: ZoneRules, users: KnownUsers, longIds: LongIds, statuses: StatusMatcher,
         values: ValueReader = ValueReader(), keepFields: Bool = false) {
        raw = keepFields ? RawFieldLog() : nil
        reader = FieldReader(map: map)
        self.values = values
        self.file = file
        self.zone = zone
        self.users = users
        self.longIds = longIds
        self.statuses = statuses
        order = map.position(of: "order_id")!
        user = map.position(of: "user_id")!
        ordered = map.position(of: "ordered_at")!
        amount = map.position(of: "amount")!
        status = map.position(of: "status")
        updated = map.position(of: "updated_at")
        timestamps = TimestampColumn(values: values, zone: zone)
    }

    func consume(_ row: RawRow) {
        if let reason = reader.checkShape(row) ?? reader.checkMissing(row) {
            rejects.append(makeReject(row, file: file, reason: reason))
            return
        }
        guard let orderTime = timestamps.parse(reader.value(row, ordered)) else {
            rejects.append(makeReject(row, file: file, reason: "bad_timestamp:ordered_at"))
            return
        }
        guard let money = values.money(reader.value(row, amount)) else {
            rejects.append(makeReject(row, file: file, reason: "bad_number:amount"))
            return
        }
        var updateTime: Instant?
        let updatedBytes = reader.value(row, updated)
        if !updatedBytes.isEmpty {
            guard let u = timestamps.parse(updatedBytes) else {
                rejects.append(makeReject(row, file: file, reason: "bad_timestamp:updated_at"))
                return
            }
            updateTime = u
        }
        let date = timestamps.localDate(of: orderTime)
        span.include(date)
        let index = users.index(of: IdKey(reader.value(row, user), longIds: longIds))
        if let raw {
            // A partition map task: every row's keys, and the fields of rows of other users.
            raw.append(row, keys: reader.value(row, order), reader.value(row, user), fields: index == nil)
        } else if index == nil {
            origins.append((rows.count, RowOrigin(file: file, line: row.relativeLine, fields: row.strings)))
        }
        keys.append(IdKey(reader.value(row, order), longIds: longIds))
        rows.append(SaleRow(
            orderedAt: orderTime,
            user: index ?? -1,
            amount: money,
            updatedAt: updateTime,
            orderedDate: date,
            excluded: statuses.isExcluded(reader.value(row, status))))
    }

    func take() -> (rows: [SaleRow], keys: [IdKey]) {
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
