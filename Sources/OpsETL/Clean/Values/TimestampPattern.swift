/// Clean/Values: one `inputs.X.timestamp_formats` pattern (`"MM/DD/YYYY"`, `"YYYY年M月D日 HH:mm"`),
/// compiled once when the pipeline is loaded, then matched against trimmed field bytes.
///
/// SPEC §2 and §3.3 "Timestamps": `YYYY` a 4-digit year, `MM`/`DD`/`HH`/`mm`/`ss` 2 digits,
/// `M`/`D`/`H` 1 or 2 digits, `S…` a fraction of exactly that many digits (`SSS` = milliseconds),
/// `Z` any offset form of §3.3 (`Z`, `±HH:MM`, `±HHMM`); every other character is literal. The
/// pattern must match the whole value. Without `HH`/`H` the value is local midnight; without `Z`
/// it is local time in the pipeline's zone (DST as in SPEC §9). The date range of SPEC §9 applies
/// as to every timestamp.
///
/// A pattern is well formed when its letters form only those tokens, each field appears once,
/// it has a year, a month and a day, minutes only with an hour, seconds only with minutes and a
/// fraction only with seconds, and a 1-or-2-digit token is not followed directly by a digit token
/// (`"YYYYMD"` could not be read one way). Matching is a walk over the compiled tokens: no
/// String, no formatter, no backtracking.
public struct TimestampPattern: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case year
        /// `digits` 2, or 1 meaning "1 or 2" (`M`, `D`, `H`).
        case month(digits: Int), day(digits: Int), hour(digits: Int)
        case minute, second
        case fraction(digits: Int)
        case offset
        case literal([UInt8])

        var isNumeric: Bool {
            switch self {
            case .literal, .offset: false
            default: true
            }
        }

        var isVariable: Bool {
            switch self {
            case .month(1), .day(1), .hour(1): true
            default: false
            }
        }
    }

    /// The pattern as written (for messages).
    public let text: String
    let tokens: [Token]
    /// True when the pattern has `HH`/`H` (else local midnight) and when it has `Z` (else local time).
    let hasTime: Bool
    let hasOffset: Bool

    /// Why a pattern is not well formed, worded for `inputs.X.timestamp_formats[i]: …`.
    public struct Problem: Error, Equatable {
        public let message: String
    }

    public init(_ text: String) throws(Problem) {
        self.text = text
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else {
            throw Problem(message: "an empty pattern; expected tokens such as \"MM/DD/YYYY\" or \"YYYYMMDD\"")
        }
        var tokens: [Token] = []
        var seen: Set<String> = []
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            var run = 1
            while i + run < scalars.count, scalars[i + run] == c { run += 1 }
            let letters = String(repeating: Character(c), count: run)
            let token: Token?
            let field: String
            switch (c, run) {
            case ("Y", 4): token = .year; field = "YYYY"
            case ("M", 1), ("M", 2): token = .month(digits: run); field = "month"
            case ("D", 1), ("D", 2): token = .day(digits: run); field = "day"
            case ("H", 1), ("H", 2): token = .hour(digits: run); field = "hour"
            case ("m", 2): token = .minute; field = "mm"
            case ("s", 2): token = .second; field = "ss"
            case ("S", 1...9): token = .fraction(digits: run); field = "S"
            case ("Z", 1): token = .offset; field = "Z"
            case ("Y", _), ("M", _), ("D", _), ("H", _), ("m", _), ("s", _), ("S", _), ("Z", _):
                throw Problem(message: "\"\(letters)\" is not a token; the tokens are YYYY, MM, M, DD, D, HH, H, mm, ss, "
                              + "S to SSSSSSSSS (a fraction) and Z (an offset); other characters are literal")
            default:
                token = nil; field = ""
            }
            if let token {
                guard seen.insert(field).inserted else {
                    throw Problem(message: "\"\(letters)\" repeats a field already in the pattern; expected each of year, month, "
                                  + "day, hour, minute, second, fraction and offset at most once")
                }
                if token.isNumeric, let last = tokens.last, last.isVariable {
                    throw Problem(message: "\"\(letters)\" follows a 1-or-2-digit token directly, so the digits could be split "
                                  + "two ways; put a separator between them or use the 2-digit token (MM, DD, HH)")
                }
                tokens.append(token)
                i += run
            } else {
                // A literal: one scalar's UTF-8 bytes, merged with a literal before it.
                let bytes = Array(String(c).utf8)
                if case .literal(let previous)? = tokens.last {
                    tokens[tokens.count - 1] = .literal(previous + bytes)
                } else {
                    tokens.append(.literal(bytes))
                }
                i += 1
            }
        }
        func require(_ field: String, _ what: String) throws(Problem) {
            guard seen.contains(field) else { throw Problem(message: "no \(what); a pattern needs YYYY, MM or M, and DD or D") }
        }
        try require("YYYY", "year (YYYY)")
        try require("month", "month (MM or M)")
        try require("day", "day (DD or D)")
        if seen.contains("mm") && !seen.contains("hour") { throw Problem(message: "minutes (mm) without an hour (HH or H)") }
        if seen.contains("ss") && !seen.contains("mm") { throw Problem(message: "seconds (ss) without minutes (mm)") }
        if seen.contains("S") && !seen.contains("ss") { throw Problem(message: "a fraction (S…) without seconds (ss)") }
        self.tokens = tokens
        hasTime = seen.contains("hour")
        hasOffset = seen.contains("Z")
    }

    /// The instant the whole (trimmed) value stands for, or nil when the pattern does not match it,
    /// the date or time is impossible, or its local date is outside SPEC §9's range.
    public func parse(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneRules) -> Instant? {
        guard let instant = parseAnyDate(b, zone: zone), TimestampParser.inRange(instant, zone: zone) else { return nil }
        return instant
    }

    /// `parse` without the date range (for the reject diagnosis).
    func parseAnyDate(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneRules) -> Instant? {
        let n = b.count
        var i = 0
        var year: Int64 = 0, month: Int64 = 0, day: Int64 = 0, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var nanos: Int32 = 0
        var offset: Int64 = 0
        for token in tokens {
            switch token {
            case .year:
                guard let v = TimestampParser.digits(b, i, 4) else { return nil }
                year = v; i += 4
            case .month(let w):
                guard let (v, next) = Self.number(b, i, w) else { return nil }
                month = v; i = next
            case .day(let w):
                guard let (v, next) = Self.number(b, i, w) else { return nil }
                day = v; i = next
            case .hour(let w):
                guard let (v, next) = Self.number(b, i, w), v <= 23 else { return nil }
                hour = v; i = next
            case .minute:
                guard let v = TimestampParser.digits(b, i, 2), v <= 59 else { return nil }
                minute = v; i += 2
            case .second:
                guard let v = TimestampParser.digits(b, i, 2), v <= 59 else { return nil }
                second = v; i += 2
            case .fraction(let w):
                guard let v = TimestampParser.digits(b, i, w) else { return nil }
                var f = v
                for _ in w..<9 { f *= 10 }
                nanos = Int32(f); i += w
            case .offset:
                guard let (seconds, next) = TimestampParser.offset(b, at: i) else { return nil }
                offset = seconds; i = next
            case .literal(let bytes):
                guard i + bytes.count <= n else { return nil }
                for (k, byte) in bytes.enumerated() where b[i + k] != byte { return nil }
                i += bytes.count
            }
        }
        guard i == n, let date = LocalDate(year: Int(year), month: Int(month), day: Int(day)) else { return nil }
        let local = Int64(date.days) * 86_400 + hour * 3_600 + minute * 60 + second
        return hasOffset ? Instant(seconds: local - offset, nanos: nanos) : zone.instant(fromLocalSeconds: local, nanos: nanos)
    }

    /// `width` 2: exactly two digits; 1: one digit, and a second one when it follows.
    @inline(__always)
    static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ width: Int) -> (Int64, Int)? {
        if width == 2 {
            guard let v = TimestampParser.digits(b, i, 2) else { return nil }
            return (v, i + 2)
        }
        guard let first = TimestampParser.digits(b, i, 1) else { return nil }
        if let second = TimestampParser.digits(b, i + 1, 1) { return (first * 10 + second, i + 2) }
        return (first, i + 1)
    }
}

/// An input's compiled `timestamp_formats` and the built-in forms after them (SPEC §3.3).
public struct TimestampFormats: Sendable, Equatable {
    public var patterns: [TimestampPattern]

    public init(_ patterns: [TimestampPattern] = []) { self.patterns = patterns }

    /// The patterns in order, then the built-in forms; without patterns exactly `TimestampParser.parse`.
    @inline(__always)
    public func parse(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneRules) -> Instant? {
        if patterns.isEmpty { return TimestampParser.parse(b, zone: zone) }
        for pattern in patterns {
            if let instant = pattern.parse(b, zone: zone) { return instant }
        }
        return TimestampParser.parse(b, zone: zone)
    }
}
