import Foundation

/// Report: numbers as a reader of the report's language expects them — grouping, decimal mark,
/// percentages, multiples, money in the pipeline's `currency`, durations and dates.
///
/// Everything starts from the exact value and is rounded once, half away from zero
/// (`FixedPoint`, SPEC §9), so the report never disagrees with the CSV tables beyond rounding.
/// The separators and patterns come from the language's string table.
public struct NumberStyle: Sendable {
    let strings: ReportStrings
    /// ISO 4217 code from the pipeline (`CNY`).
    public let currency: String

    public init(strings: ReportStrings, currency: String) {
        self.strings = strings
        self.currency = currency
    }

    /// `1234567.891` → `1,234,567.89` with `decimals` places.
    public func number(_ value: Decimal, decimals: Int) -> String {
        group(FixedPoint.format(value, decimals: decimals))
    }

    public func count(_ value: Int) -> String { number(Decimal(value), decimals: 0) }

    /// A rate as a percentage: 0.332754 → `33.3%`.
    public func percent(_ rate: Decimal, decimals: Int = 1) -> String {
        strings.format("format_percent", ["value": number(rate * 100, decimals: decimals)])
    }

    /// A difference of two rates in percentage points: 0.0828 → `8.28 pp` (`8.28 个百分点`) — never
    /// `8.28%`, which would read as a relative change.
    public func points(_ rate: Decimal, decimals: Int = 2) -> String {
        strings.format("format_points", ["value": number(rate * 100, decimals: decimals)])
    }

    /// A goal's gap (or any difference) as a reader reads it: a rate metric's in percentage points,
    /// the others like the metric.
    public func difference(_ value: MetricValue, named name: String) -> String {
        if case .rate(let v) = value, !Self.isMultiple(name) {
            return v.map { points($0) } ?? strings["not_available"]
        }
        return metric(value, named: name)
    }

    /// ROAS is read as a multiple (`5.93`), not as a percentage.
    static func isMultiple(_ name: String) -> Bool { name.hasPrefix("roas.") || name == "trend.roas" }

    /// A multiple such as a ROAS compared with another: 1.6 → `1.6×`.
    public func times(_ value: Decimal, decimals: Int = 1) -> String {
        strings.format("format_times", ["value": number(value, decimals: decimals)])
    }

    /// Money with the currency's symbol where it has a well-known one (`¥1,234.56`, `-$5.00`),
    /// otherwise the code after the amount (`1,234.56 CHF`).
    public func money(_ value: Decimal, decimals: Int = 2) -> String {
        let magnitude = number(value < 0 ? -value : value, decimals: decimals)
        let sign = value < 0 && magnitude.contains(where: { $0 != "0" && $0.isNumber }) ? "-" : ""
        if let symbol = Self.symbols[currency.uppercased()] { return sign + symbol + magnitude }
        return sign + magnitude + " " + currency
    }

    /// A headline metric's value as a reader reads it: ROAS as a plain multiple with 2 decimals,
    /// other rates as percentages with 2, money with the currency, counts grouped; `n/a` for null.
    public func metric(_ value: MetricValue, named name: String) -> String {
        switch value {
        case .rate(let v):
            guard let v else { return strings["not_available"] }
            return Self.isMultiple(name) ? number(v, decimals: 2) : percent(v, decimals: 2)
        case .money(let v): return v.map { money($0) } ?? strings["not_available"]
        case .count(let v): return v.map { number($0, decimals: 0) } ?? strings["not_available"]
        }
    }

    /// A duration in the largest unit that keeps it readable: `45 s`, `12.5 min`, `3.2 h`, `2.1 d`.
    public func duration(seconds: Decimal) -> String {
        switch seconds {
        case ..<60: strings.format("duration_seconds", ["value": number(seconds, decimals: 0)])
        case ..<3600: strings.format("duration_minutes", ["value": number(seconds / 60, decimals: 1)])
        case ..<86400: strings.format("duration_hours", ["value": number(seconds / 3600, decimals: 1)])
        default: strings.format("duration_days", ["value": number(seconds / 86400, decimals: 1)])
        }
    }

    /// A date as the language writes it in prose (`2025-06-30`, `2025年6月30日`).
    public func date(_ date: LocalDate) -> String {
        let (y, m, d) = date.components
        return strings.format("format_date", [
            "year": String(y), "month": String(m), "day": String(d),
            "month2": Self.twoDigits(m), "day2": Self.twoDigits(d),
        ])
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// Inserts the grouping separator every three integer digits and swaps in the decimal mark.
    private func group(_ plain: String) -> String {
        var text = plain[...]
        var sign = ""
        if text.hasPrefix("-") { sign = "-"; text = text.dropFirst() }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var grouped = ""
        for (i, ch) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { grouped += strings["number_group"] }
            grouped.append(ch)
        }
        if parts.count > 1 { grouped += strings["number_decimal"] + parts[1] }
        return sign + grouped
    }

    private static let symbols: [String: String] = [
        "USD": "$", "CNY": "¥", "RMB": "¥", "JPY": "¥", "EUR": "€", "GBP": "£", "KRW": "₩", "INR": "₹",
        "HKD": "HK$", "TWD": "NT$", "SGD": "S$", "AUD": "A$", "CAD": "C$",
    ]
}
