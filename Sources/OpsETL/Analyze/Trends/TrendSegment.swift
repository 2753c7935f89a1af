/// Analyze, trends: one segment of `trends.csv` and `kpi_changes.csv` (SPEC §4.4) — `all`, an
/// acquisition channel, or a user country — with its name and the row order of SPEC §7.
public enum TrendSegment: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Every kept user, all spend.
    case all
    /// The users of one acquisition channel and that channel's own spend.
    case channel(String)
    /// The users of one country (a null country is `unknown`); spend is null (SPEC §4.4).
    case country(String)

    /// The country segment of a user's (trimmed) country value; null is `unknown` (SPEC §4.4).
    public static func country(of value: String?) -> TrendSegment { .country(value ?? "unknown") }

    /// As written in the `segment` column: `all`, the channel name, `country:<country>`.
    public var name: String {
        switch self {
        case .all: "all"
        case .channel(let c): c
        case .country(let c): "country:\(c)"
        }
    }

    public var description: String { name }

    /// SPEC §7: `all` first, then the channels, then the countries, names in UTF-8 byte order.
    public static func < (a: TrendSegment, b: TrendSegment) -> Bool {
        switch (a, b) {
        case (.all, .all): false
        case (.all, _): true
        case (_, .all): false
        case (.channel(let x), .channel(let y)), (.country(let x), .country(let y)):
            x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.channel, .country): true
        case (.country, .channel): false
        }
    }
}
