/// Clean, users input: record → `UserRow` or a reject (SPEC §3.1, §3.3, §3.4 step 1).
/// Grain: one row per users-file record.

/// A users record whose values all parsed.
public struct UserRow: Sendable, Equatable {
    /// Trimmed, case-sensitive (SPEC §9).
    public var id: String
    /// The same id as an `IdKey` (what deduplication and the sales/events lookups compare).
    public var key: IdKey
    public var signupAt: Instant
    public var signupDate: LocalDate
    /// Normalised and aliased; `unknown` when null.
    public var channel: String
    public var country: String?
}

final class UsersSink: CleaningSink {
    private let reader: FieldReader
    private let file: Int
    private let zone: ZoneRules
    private let values: ValueReader
    private let channels: ChannelNormalizer
    private let longIds: LongIds
    private let idColumn, signupColumn: Int
    private let channelColumn, countryColumn: Int?
    @exclusivity(unchecked) private(set) var rows: [UserRow] = []
    @exclusivity(unchecked) private(set) var rejects: [RejectedRow] = []
    @exclusivity(unchecked) private(set) var span = DateSpan()

    init(map: ColumnMap, file: Int, zone: ZoneRules, channels: ChannelNormalizer, longIds: LongIds,
         values: ValueReader = ValueReader()) {
        reader = FieldReader(map: map)
        self.values = values
        self.file = file
        self.zone = zone
        self.channels = channels
        self.longIds = longIds
        idColumn = map.position(of: "user_id")!
        signupColumn = map.position(of: "signup_at")!
        channelColumn = map.position(of: "channel")
        countryColumn = map.position(of: "country")
    }

    func consume(_ row: RawRow) {
        if let reason = reader.checkShape(row) ?? reader.checkMissing(row) {
            rejects.append(makeReject(row, file: file, reason: reason))
            return
        }
        guard let signup = values.timestamp(reader.value(row, signupColumn), zone: zone) else {
            rejects.append(makeReject(row, file: file, reason: "bad_timestamp:signup_at"))
            return
        }
        let date = zone.localDate(of: signup)
        span.include(date)
        let id = reader.value(row, idColumn)
        rows.append(UserRow(
            id: String(decoding: id, as: UTF8.self),
            key: IdKey(id, longIds: longIds),
            signupAt: signup,
            signupDate: date,
            channel: channels.normalize(reader.value(row, channelColumn)),
            country: reader.text(row, countryColumn)))
    }

    func take() -> (rows: [Row], keys: [IdKey]) {
        defer { rows = [] }
        return (rows, [])
    }

    func rebaseLines(firstLine: Int) {
        for i in rejects.indices { rejects[i].line += firstLine }
    }
}
