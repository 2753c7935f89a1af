import Foundation

/// Integrate: what is wrong with one rejected value, in plain words, and the setting that would
/// read it — `more than 4 decimals; cleaning.round_money rounds it` (SPEC §5: the gate names each
/// input's most frequent reason "with an example value and its line"; issue 11 §7).
///
/// The reason codes stay the SPEC's (`bad_number:amount`); this only explains the example. It is
/// worked out afterwards from the example's text and the input's settings — the cleaners' hot
/// paths stay untouched — by re-reading the value the slow way:
/// - money and counts through `MoneyFormat.read…`, which says `tooManyDecimals` or `outOfRange`,
///   and once more with the other decimal separator (a decimal comma, or a point under `,`);
/// - timestamps: a value that parses but is dated outside 1900–2199 says so; otherwise its shape is
///   guessed (`01/02/2025`, `2025年1月2日`, `20250102`, `2025.01.02`, with or without a time) into
///   a `timestamp_formats` pattern, which is kept only when it really reads the value. `01/02/2025`
///   could be either order: both are named.
///
/// Each case has a key and `{placeholders}` like the report's string tables (`Report/Strings`,
/// where the report takes its English and Chinese words); `english` is the gate's one line, and a
/// test keeps it equal to `en.json`.
public struct RejectDiagnosis: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case tooManyDecimals = "diagnosis_too_many_decimals"
        case moneyOutOfRange = "diagnosis_money_out_of_range"
        case countOutOfRange = "diagnosis_count_out_of_range"
        case decimalComma = "diagnosis_decimal_comma"
        case decimalPoint = "diagnosis_decimal_point"
        case notMoney = "diagnosis_not_money"
        case notCount = "diagnosis_not_count"
        case negativeSpend = "diagnosis_negative_spend"
        case beforeRange = "diagnosis_before_range"
        case afterRange = "diagnosis_after_range"
        case timestampPattern = "diagnosis_timestamp_pattern"
        case timestampEitherOrder = "diagnosis_timestamp_either_order"
        case impossibleTimestamp = "diagnosis_impossible_timestamp"
        case unknownTimestamp = "diagnosis_unknown_timestamp"
    }

    public let kind: Kind
    /// The `{placeholders}` of the wording.
    public let values: [String: String]

    /// The English wording (the gate's line; the report's `en.json` has the same text).
    public static let english: [Kind: String] = [
        .tooManyDecimals: "more than 4 decimals; cleaning.round_money rounds it",
        .moneyOutOfRange: "out of range: beyond 64 bits in units of 1/10 000 (at most 922337203685477.5807)",
        .countOutOfRange: "out of range: beyond 64 bits (at most 9223372036854775807)",
        .decimalComma: "a decimal comma; {setting}: \",\" reads it",
        .decimalPoint: "a decimal point, but {setting} is \",\"",
        .notMoney: "not an amount opsetl reads",
        .notCount: "not a count opsetl reads (a whole number of 0 or more)",
        .negativeSpend: "spend below 0",
        .beforeRange: "dated {date}, before 1900-01-01: a placeholder such as Go's zero time or Excel's day 0, not an event",
        .afterRange: "dated {date}, after 2199-12-31, the last date opsetl reads",
        .timestampPattern: "not a timestamp form opsetl reads; add {setting}: [{pattern}]",
        .timestampEitherOrder: "not a timestamp form opsetl reads; add {setting}: [{pattern}] (or [{other}] if the day comes first: the value reads either way)",
        .impossibleTimestamp: "not a real date or time of day (a month, day or hour out of range)",
        .unknownTimestamp: "not a timestamp form opsetl reads; {setting} can describe it",
    ]

    public var englishText: String { ReportStringsFill.fill(Self.english[kind] ?? "", values) }

    init(_ kind: Kind, _ values: [String: String] = [:]) {
        self.kind = kind
        self.values = values
    }

    /// The diagnosis of `value` (as read, untrimmed) rejected for `reason` in input `kind`; nil
    /// when the reason names no value or nothing plainer can be said.
    public static func diagnose(reason: String, value: String, kind: InputKind, pipeline: Pipeline) -> RejectDiagnosis? {
        let spec = pipeline.inputs.spec(kind)
        let trimmed = ByteTrim.trim(value)
        let input = "inputs.\(kind.rawValue)"
        let format = MoneyFormat(decimalSeparator: spec?.decimalSeparator ?? UInt8(ascii: "."),
                                 roundMoney: pipeline.cleaning.roundMoney)
        if reason == "negative_spend" { return RejectDiagnosis(.negativeSpend) }
        if reason.hasPrefix("bad_number:") {
            let column = String(reason.dropFirst("bad_number:".count))
            let isCount = column == "impressions" || column == "clicks"
            return number(trimmed, isCount: isCount, format: format, setting: "\(input).decimal_separator")
        }
        if reason.hasPrefix("bad_timestamp:") {
            let zone = ZoneRules(identifier: pipeline.timezone) ?? ZoneRules(identifier: "UTC")!
            return timestamp(trimmed, zone: zone, formats: spec?.timestampFormats ?? TimestampFormats(),
                             setting: "\(input).timestamp_formats")
        }
        return nil
    }

    // MARK: Numbers

    static func number(_ text: String, isCount: Bool, format: MoneyFormat, setting: String) -> RejectDiagnosis? {
        let read = { (f: MoneyFormat) in Self.bytes(text) { isCount ? f.readCount($0) : f.readMoney($0) } }
        switch read(format) {
        case .outOfRange: return RejectDiagnosis(isCount ? .countOutOfRange : .moneyOutOfRange)
        case .tooManyDecimals: return RejectDiagnosis(.tooManyDecimals)
        case .value: return nil
        case .bad: break
        }
        let comma = format.decimalSeparator == UInt8(ascii: ",")
        let other = MoneyFormat(decimalSeparator: comma ? UInt8(ascii: ".") : UInt8(ascii: ","), roundMoney: true)
        if !isCount, read(other) != .bad {
            return RejectDiagnosis(comma ? .decimalPoint : .decimalComma, ["setting": setting])
        }
        return RejectDiagnosis(isCount ? .notCount : .notMoney)
    }

    // MARK: Timestamps

    static func timestamp(_ text: String, zone: ZoneRules, formats: TimestampFormats, setting: String) -> RejectDiagnosis? {
        // A value that reads but is dated outside 1900–2199 (SPEC §9).
        let parsed = Self.bytes(text) { b in
            formats.patterns.lazy.compactMap { $0.parseAnyDate(b, zone: zone) }.first
                ?? TimestampParser.parseAnyDate(b, zone: zone)
        }
        if let parsed { return outOfRange(parsed, zone: zone) }
        guard let guess = TimestampShape.guess(text) else {
            return RejectDiagnosis(.unknownTimestamp, ["setting": setting])
        }
        // Kept only when the guessed pattern really reads the value.
        guard let pattern = try? TimestampPattern(guess.pattern),
              let instant = Self.bytes(text, { pattern.parseAnyDate($0, zone: zone) }) else {
            return RejectDiagnosis(.impossibleTimestamp)
        }
        if let range = outOfRange(instant, zone: zone) { return range }
        let quoted = PipelineJSON.Path.quoted(guess.pattern)
        if let other = guess.otherOrder {
            return RejectDiagnosis(.timestampEitherOrder, ["setting": setting, "pattern": quoted,
                                                           "other": PipelineJSON.Path.quoted(other)])
        }
        return RejectDiagnosis(.timestampPattern, ["setting": setting, "pattern": quoted])
    }

    static func outOfRange(_ instant: Instant, zone: ZoneRules) -> RejectDiagnosis? {
        let date = zone.localDate(of: instant)
        if date < LocalDate.firstReadable { return RejectDiagnosis(.beforeRange, ["date": date.description]) }
        if date > LocalDate.lastReadable { return RejectDiagnosis(.afterRange, ["date": date.description]) }
        return nil
    }

    static func bytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        Array(text.utf8).withUnsafeBufferPointer(body)
    }
}

/// `{placeholder}` filling shared by the gate's English and the report's tables.
enum ReportStringsFill {
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = template
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }
}
