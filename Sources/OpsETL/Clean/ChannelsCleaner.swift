/// Clean, channels (ad spend) input: record → `SpendRow` or a reject (SPEC §3.1, §3.3, §3.4 step 1).
/// Grain: one row per channel-spend record (typically date × channel × campaign).

/// A spend record whose values all parsed.
public struct SpendRow: Sendable, Equatable {
    /// Local date of the `date` value.
    public var date: LocalDate
    /// Normalised and aliased; `unknown` when null.
    public var channel: String
    /// Trimmed, case-sensitive; nil when null.
    public var campaign: String?
    /// In 1/10 000 of the currency unit; never negative (`negative_spend` is a reject).
    public var spend: Int64
    public var impressions: Int64?
    public var clicks: Int64?
}

final class ChannelsSink: CleaningSink {
    private let reader: FieldReader
    private let file: Int
    private let zone: ZoneRules
    private let values: ValueReader
    private let channels: ChannelNormalizer
    private let date, channel, spend: Int
    private let campaign, impressions, clicks: Int?
    @exclusivity(unchecked) private(set) var rows: [SpendRow] = []
    @exclusivity(unchecked) private(set) var rejects: [RejectedRow] = []
    @exclusivity(unchecked) private(set) var span = DateSpan()

    init(map: ColumnMap, file: Int, zone: ZoneRules, channels: ChannelNormalizer, values: ValueReader = ValueReader()) {
        reader = FieldReader(map: map)
        self.values = values
        self.file = file
        self.zone = zone
        self.channels = channels
        date = map.position(of: "date")!
        channel = map.position(of: "channel")!
        spend = map.position(of: "spend")!
        campaign = map.position(of: "campaign")
        impressions = map.position(of: "impressions")
        clicks = map.position(of: "clicks")
    }

    func consume(_ row: RawRow) {
        if let reason = reader.checkShape(row) ?? reader.checkMissing(row) {
            rejects.append(makeReject(row, file: file, reason: reason))
            return
        }
        guard let at = values.timestamp(reader.value(row, date), zone: zone) else {
            rejects.append(makeReject(row, file: file, reason: "bad_timestamp:date"))
            return
        }
        guard let money = values.money(reader.value(row, spend)) else {
            rejects.append(makeReject(row, file: file, reason: "bad_number:spend"))
            return
        }
        guard money >= 0 else {
            rejects.append(makeReject(row, file: file, reason: "negative_spend"))
            return
        }
        // Counts in canonical order: impressions, then clicks (SPEC §9: first bad value wins).
        let shown = count(row, impressions)
        guard case .ok(let shownCount) = shown else {
            rejects.append(makeReject(row, file: file, reason: "bad_number:impressions"))
            return
        }
        guard case .ok(let clickCount) = count(row, clicks) else {
            rejects.append(makeReject(row, file: file, reason: "bad_number:clicks"))
            return
        }
        let day = zone.localDate(of: at)
        span.include(day)
        rows.append(SpendRow(
            date: day,
            channel: channels.normalize(reader.value(row, channel)),
            campaign: reader.text(row, campaign),
            spend: money,
            impressions: shownCount,
            clicks: clickCount))
    }

    private enum CountValue { case ok(Int64?), bad }

    /// A count column: null when absent or empty, `.bad` when present but not a count.
    private func count(_ row: RawRow, _ column: Int?) -> CountValue {
        let bytes = reader.value(row, column)
        if bytes.isEmpty { return .ok(nil) }
        return values.count(bytes).map { .ok($0) } ?? .bad
    }

    func take() -> (rows: [Row], keys: [IdKey]) {
        defer { rows = [] }
        return (rows, [])
    }

    func rebaseLines(firstLine: Int) {
        for i in rejects.indices { rejects[i].line += firstLine }
    }
}
