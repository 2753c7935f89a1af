import Foundation

/// Support: the `timezone` setting as written → what it names (SPEC §2 `timezone`, §9 "Time zones").
///
/// Only three kinds of text are zones: an IANA name (`Asia/Shanghai`, `Etc/UTC`), `UTC` or
/// `GMT`, and a fixed offset written `UTC+8`, `UTC+08:00` or `UTC-05:30` (no daylight saving).
/// Everything else is refused with a message that says what to write instead, because the
/// two traps here shift every timestamp silently:
/// - abbreviations are ambiguous — `CST` is China Standard Time to a team in Shanghai and US
///   Central Time to Foundation (which accepts it), a one-day shift for evening signups;
/// - `GMT+8` is read by POSIX and IANA (`Etc/GMT+8`) as 8 hours *behind* UTC, the opposite of
///   what everyone who writes it means; `UTC+8` says the same thing without that history.
public enum ZoneName: Sendable, Equatable {
    /// An IANA name, or `UTC` / `GMT`.
    case named(String)
    /// A fixed offset from UTC in seconds (local − UTC).
    case fixed(seconds: Int32)

    /// Why `text` is not a zone; `message` completes "timezone: …".
    public struct Problem: Error, Sendable, Equatable {
        public let message: String
    }

    /// Offsets in use on Earth run from UTC−12:00 to UTC+14:00.
    static let offsetRange: ClosedRange<Int32> = -12 * 3_600 ... 14 * 3_600

    /// Parses the setting; see the type's summary for what is accepted.
    public static func parse(_ text: String) -> Result<ZoneName, Problem> {
        if text == "UTC" || text == "GMT" { return .success(.named(text)) }
        if text.hasPrefix("UTC+") || text.hasPrefix("UTC-") {
            guard let seconds = offsetSeconds(text.dropFirst(3)) else {
                return .failure(Problem(message: "\(quoted(text)) is not a UTC offset; expected UTC+8, UTC+08:00 or UTC-05:30 "
                                                 + "(from UTC-12:00 to UTC+14:00), or an IANA name such as Asia/Shanghai"))
            }
            return .success(.fixed(seconds: seconds))
        }
        if text.hasPrefix("GMT+") || text.hasPrefix("GMT-") {
            // The IANA links GMT+0 and GMT-0 mean UTC and are harmless; every other GMT±N is the trap.
            if text == "GMT+0" || text == "GMT-0" { return .success(.named(text)) }
            guard let seconds = offsetSeconds(text.dropFirst(3)) else {
                return .failure(Problem(message: "\(quoted(text)) is not accepted; write a fixed offset such as \"UTC+8\" "
                                                 + "or an IANA name such as Asia/Shanghai"))
            }
            let utc = "UTC" + text.dropFirst(3)
            let hours = Int(seconds.magnitude) / 3_600
            return .failure(Problem(message: "\(quoted(text)) is not accepted: the sign of GMT offsets is reversed in IANA "
                + "names (Etc/GMT\(seconds < 0 ? "-" : "+")\(hours) is \(hours) hour\(hours == 1 ? "" : "s") "
                + "\(seconds < 0 ? "ahead of" : "behind") UTC); write \(quoted(utc)) for \(describe(seconds))"))
        }
        if isAbbreviation(text) {
            let meanings = abbreviations[text] ?? []
            let hint = meanings.isEmpty
                ? "write an IANA name such as Asia/Shanghai or America/Chicago, or a fixed offset such as UTC+8"
                : "it may mean " + listed(meanings.map(quoted)) + "; write the IANA name you mean"
                    + " (or a fixed offset such as UTC+8)"
            return .failure(Problem(message: "\(quoted(text)) is a time-zone abbreviation, not a time zone: \(hint)"))
        }
        guard !text.isEmpty, TimeZone(identifier: text) != nil else {
            var message = "\(quoted(text)) is not a known IANA time zone; expected a name such as UTC, Europe/Berlin or "
                + "Asia/Shanghai, or a fixed offset such as UTC+8"
            if let guess = PipelineJSON.Spelling.suggestion(for: text, among: ["UTC"] + TimeZone.knownTimeZoneIdentifiers) {
                message += " (did you mean \(quoted(guess))?)"
            }
            return .failure(Problem(message: message))
        }
        return .success(.named(text))
    }

    /// `+8`, `-5`, `+08`, `+08:00`, `-05:30` → seconds; nil for anything else or out of range.
    static func offsetSeconds(_ text: Substring) -> Int32? {
        let u = Array(text.utf8)
        guard let sign = u.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        func digits(_ s: ArraySlice<UInt8>) -> Int32? {
            guard !s.isEmpty, s.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return s.reduce(0) { $0 * 10 + Int32($1 - UInt8(ascii: "0")) }
        }
        let body = u.dropFirst()
        let hours: Int32, minutes: Int32
        if let colon = body.firstIndex(of: UInt8(ascii: ":")) {
            guard body.distance(from: body.startIndex, to: colon) == 2, u.count - colon - 1 == 2,
                  let h = digits(body[..<colon]), let m = digits(u[(colon + 1)...]) else { return nil }
            (hours, minutes) = (h, m)
        } else {
            guard (1...2).contains(body.count), let h = digits(body) else { return nil }
            (hours, minutes) = (h, 0)
        }
        guard minutes < 60 else { return nil }
        let seconds = (hours * 3_600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        return offsetRange.contains(seconds) ? seconds : nil
    }

    /// Two to five capital letters (`CST`, `IST`, `AEST`, `PRC`), which is how abbreviations and
    /// the old country-code links of tzdata look; `UTC` and `GMT` are handled before.
    static func isAbbreviation(_ text: String) -> Bool {
        (2...5).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    /// What the common abbreviations may mean, most common reading first (SPEC §9: `CST` names
    /// `Asia/Shanghai` and `America/Chicago`).
    static let abbreviations: [String: [String]] = [
        "CST": ["Asia/Shanghai", "America/Chicago"], "CDT": ["America/Chicago"],
        "EST": ["America/New_York"], "EDT": ["America/New_York"],
        "MST": ["America/Denver", "America/Phoenix"], "MDT": ["America/Denver"],
        "PST": ["America/Los_Angeles", "Asia/Manila"], "PDT": ["America/Los_Angeles"],
        "AKST": ["America/Anchorage"], "HST": ["Pacific/Honolulu"],
        "AST": ["America/Halifax", "Asia/Riyadh"], "IST": ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"],
        "BST": ["Europe/London", "Asia/Dhaka"], "WET": ["Europe/Lisbon"], "CET": ["Europe/Paris", "Europe/Berlin"],
        "CEST": ["Europe/Paris", "Europe/Berlin"], "EET": ["Europe/Athens", "Europe/Helsinki"],
        "MSK": ["Europe/Moscow"], "TRT": ["Europe/Istanbul"], "GST": ["Asia/Dubai"], "PKT": ["Asia/Karachi"],
        "ICT": ["Asia/Bangkok", "Asia/Ho_Chi_Minh"], "WIB": ["Asia/Jakarta"], "SGT": ["Asia/Singapore"],
        "HKT": ["Asia/Hong_Kong"], "PHT": ["Asia/Manila"], "JST": ["Asia/Tokyo"], "KST": ["Asia/Seoul"],
        "AEST": ["Australia/Sydney", "Australia/Brisbane"], "AEDT": ["Australia/Sydney"], "ACST": ["Australia/Adelaide"],
        "AWST": ["Australia/Perth"], "NZST": ["Pacific/Auckland"], "NZDT": ["Pacific/Auckland"],
        "BRT": ["America/Sao_Paulo"], "ART": ["America/Argentina/Buenos_Aires"], "SAST": ["Africa/Johannesburg"],
        "WAT": ["Africa/Lagos"], "EAT": ["Africa/Nairobi"], "UCT": ["UTC"], "PRC": ["Asia/Shanghai"],
        "ROC": ["Asia/Taipei"], "ROK": ["Asia/Seoul"], "NZ": ["Pacific/Auckland"], "GB": ["Europe/London"],
    ]

    /// `28800` → "8 hours ahead of UTC", `-19800` → "5 h 30 min behind UTC".
    static func describe(_ seconds: Int32) -> String {
        let h = Int(seconds.magnitude) / 3_600, m = Int(seconds.magnitude) % 3_600 / 60
        let amount = m == 0 ? "\(h) hour\(h == 1 ? "" : "s")" : "\(h) h \(m) min"
        return seconds == 0 ? "UTC itself" : "\(amount) \(seconds < 0 ? "behind" : "ahead of") UTC"
    }

    /// `a`, `a or b`, `a, b or c`.
    static func listed(_ items: [String]) -> String {
        items.count <= 2 ? items.joined(separator: " or ") : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    private static func quoted(_ text: some StringProtocol) -> String { PipelineJSON.Path.quoted(String(text)) }
}
