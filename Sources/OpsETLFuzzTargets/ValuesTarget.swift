import Foundation
import OpsETL

/// Fuzz target `values`: one field's bytes through every value parser of Clean/Values.
///
/// Each parser is checked against a reference written independently from SPEC §3.3/§9 (regular
/// expressions and plain arithmetic, slow but obvious): the byte-level parser must accept exactly
/// what the reference accepts and produce the same value. Plus the properties of trimming and
/// channel normalisation (idempotent, no edge or double whitespace, lower case).
/// Fields reach the parsers as validated UTF-8, so semantic checks run on valid UTF-8 only;
/// other bytes still go through every parser (they must not crash).
enum ValuesTarget {
    private static let utc = ZoneRules(identifier: "UTC")!
    private static let newYork = ZoneRules(identifier: "America/New_York")!
    private static let channels = ChannelNormalizer(aliases: [:])
    /// `timestamp_formats` and the other number settings (SPEC §2): they must never crash, and the
    /// settings' reader at its defaults must read exactly what the fast path reads.
    private static let patterns = TimestampFormats(["MM/DD/YYYY", "YYYY年M月D日 H:mm", "YYYYMMDDHHmmss.SSSZ", "D.M.YYYY Z"]
        .map { try! TimestampPattern($0) })
    private static let comma = MoneyFormat(decimalSeparator: UInt8(ascii: ","), roundMoney: true)

    static func check(_ raw: UnsafeRawBufferPointer) -> [String] {
        let bytes = Array(raw)
        return bytes.withUnsafeBufferPointer { all in
            let field = ByteTrim.trim(all)
            let timestamp = TimestampParser.parse(field, zone: utc)
            let local = TimestampParser.parse(field, zone: newYork)
            let money = MoneyParser.parse(field)
            let count = CountParser.parse(field)
            let channel = channels.normalize(all)
            _ = patterns.parse(field, zone: newYork)
            _ = comma.readMoney(field)
            _ = comma.readCount(field)
            let settingsMoney = MoneyFormat.standard.readMoney(field).value
            let settingsCount = MoneyFormat.standard.readCount(field).value
            guard let text = String(validating: bytes, as: UTF8.self) else { return [] }
            var violations: [String] = []
            let trimmed = String(decoding: field, as: UTF8.self)
            violations += checkTrim(text, trimmed)
            violations += checkTimestamp(trimmed, timestamp, local)
            violations += checkMoney(trimmed, money)
            violations += checkCount(trimmed, count)
            violations += checkChannel(text, channel)
            if settingsMoney != money { violations.append("money \(trimmed.debugDescription): MoneyFormat.standard differs from MoneyParser") }
            if settingsCount != count { violations.append("count \(trimmed.debugDescription): MoneyFormat.standard differs from CountParser") }
            return violations
        }
    }

    // MARK: - Trimming

    private static func referenceTrim(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)
        while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    private static func checkTrim(_ text: String, _ trimmed: String) -> [String] {
        let expected = referenceTrim(text)
        return trimmed == expected ? [] : ["trim(\(text.debugDescription)) = \(trimmed.debugDescription), expected \(expected.debugDescription)"]
    }

    // MARK: - Timestamps

    private static let epoch = try! NSRegularExpression(pattern: "^(?:[0-9]{10}|[0-9]{13})$")
    private static let datetime = try! NSRegularExpression(pattern:
        "^([0-9]{4})([-/])([0-9]{2})\\2([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?)?(?:(Z)|([+-])([0-9]{2}):?([0-9]{2}))?$")

    private static func groups(_ re: NSRegularExpression, _ s: String) -> [String?]? {
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
    }

    /// SPEC §9: local dates 1900-01-01 (day −25 567) to 2199-12-31 (day 84 005), in days since 1970-01-01.
    static let firstDay: Int64 = -25_567, lastDay: Int64 = 84_005

    /// SPEC §3.3/§9 from scratch: the instant in UTC (naive times read as UTC), nil for a reject —
    /// including a value whose UTC date is outside 1900–2199. `nearRangeEnd`: within two days of
    /// either end, where the zone decides (New York may differ from UTC there).
    static func referenceTimestamp(_ s: String) -> (seconds: Int64, nanos: Int32, hasOffset: Bool, nearRangeEnd: Bool)? {
        guard let r = referenceAnyDate(s) else { return nil }
        let day = r.seconds >= 0 ? r.seconds / 86_400 : (r.seconds - 86_399) / 86_400
        guard day >= firstDay, day <= lastDay else { return nil }
        return (r.seconds, r.nanos, r.hasOffset, day < firstDay + 2 || day > lastDay - 2)
    }

    static func referenceAnyDate(_ s: String) -> (seconds: Int64, nanos: Int32, hasOffset: Bool)? {
        if groups(epoch, s) != nil {
            let v = Int64(s)!
            return s.count == 10 ? (v, 0, true) : (v / 1000, Int32(v % 1000) * 1_000_000, true)
        }
        guard let g = groups(datetime, s) else { return nil }
        let year = Int(g[1]!)!, month = Int(g[3]!)!, day = Int(g[4]!)!
        let hour = g[5].map { Int($0)! } ?? 0, minute = g[6].map { Int($0)! } ?? 0, second = g[7].map { Int($0)! } ?? 0
        guard (1...12).contains(month), day >= 1, day <= daysIn(year, month), hour <= 23, minute <= 59, second <= 59 else { return nil }
        var nanos: Int32 = 0
        if let f = g[8] { nanos = Int32(f.padding(toLength: 9, withPad: "0", startingAt: 0))! }
        var offset = 0
        if let sign = g[10] {
            let oh = Int(g[11]!)!, om = Int(g[12]!)!
            guard oh <= 23, om <= 59 else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == "-" ? -1 : 1)
        }
        let days = daysSinceEpoch(year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return (seconds, nanos, g[9] != nil || g[10] != nil)
    }

    private static func daysIn(_ y: Int, _ m: Int) -> Int {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    /// Days from 1970-01-01 by counting whole years and months (no clever formula on purpose).
    private static func daysSinceEpoch(_ y: Int, _ m: Int, _ d: Int) -> Int {
        func yearDays(_ y: Int) -> Int { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365 }
        // Whole 400-year cycles have 146 097 days; fold so the loops stay short.
        var year = y, shift = 0
        while year < 1970 { year += 400; shift -= 146_097 }
        var days = shift
        for yy in 1970..<year { days += yearDays(yy) }
        for mm in 1..<m { days += daysIn(year, mm) }
        return days + d - 1
    }

    private static func checkTimestamp(_ s: String, _ got: Instant?, _ local: Instant?) -> [String] {
        let expected = referenceTimestamp(s)
        switch (got, expected) {
        case (nil, nil):
            // Outside the range in UTC, a value may still be inside it in New York (SPEC §9: local dates).
            let near = referenceAnyDate(s).map { r in r.seconds / 86_400 < firstDay + 2 || r.seconds / 86_400 > lastDay - 2 } ?? false
            return local == nil || near ? [] : ["timestamp \(s.debugDescription) rejected in UTC but accepted in America/New_York"]
        case (let g?, let e?):
            var out: [String] = []
            if g.seconds != e.seconds || g.nanos != e.nanos {
                out.append("timestamp \(s.debugDescription) = \(g), expected \(e.seconds)s \(e.nanos)ns")
            }
            if local == nil {
                // Near either end of the range the zone may move the local date outside it (SPEC §9).
                if !e.nearRangeEnd { out.append("timestamp \(s.debugDescription) accepted in UTC, rejected in America/New_York") }
            } else if e.hasOffset, local != g {
                out.append("timestamp \(s.debugDescription) has an explicit offset but depends on the zone")
            }
            return out
        case (let g?, nil):
            return ["timestamp \(s.debugDescription) accepted (\(g)) but SPEC §3.3 rejects it"]
        case (nil, _?):
            return ["timestamp \(s.debugDescription) rejected but SPEC §3.3 accepts it"]
        }
    }

    // MARK: - Money and counts

    private static let number = "(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
    private static let symbol = "(?:\\$|¥|￥|€|£)"
    private static let moneyPattern = try! NSRegularExpression(pattern:
        "^(?:([+-]?)\(symbol)?(\(number)(?:\\.[0-9]{1,4})?)|\(symbol)([+-])(\(number)(?:\\.[0-9]{1,4})?)|([+-]?)(\(number)(?:\\.[0-9]{1,4})?)\(symbol))$")
    private static let countPattern = try! NSRegularExpression(pattern: "^\(number)$")

    /// Units of 1/10 000 of a plain `digits[.fraction]` string with commas removed; nil on Int64 overflow.
    private static func units(_ n: String) -> Int64? {
        let parts = n.replacingOccurrences(of: ",", with: "").split(separator: ".", omittingEmptySubsequences: false)
        var whole: Int64 = 0
        for c in parts[0] {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c.wholeNumberValue!))
            if o1 || o2 { return nil }
            whole = a
        }
        let fraction = parts.count > 1 ? Int64(String(parts[1]).padding(toLength: 4, withPad: "0", startingAt: 0))! : 0
        let (scaled, o1) = whole.multipliedReportingOverflow(by: 10_000)
        let (v, o2) = scaled.addingReportingOverflow(fraction)
        return o1 || o2 ? nil : v
    }

    private static func checkMoney(_ s: String, _ got: Int64?) -> [String] {
        var expected: Int64?
        var grammatical = false
        if let g = groups(moneyPattern, s) {
            grammatical = true
            let (sign, digits) = g[2] != nil ? (g[1]!, g[2]!) : g[4] != nil ? (g[3]!, g[4]!) : (g[5]!, g[6]!)
            expected = units(digits).map { sign == "-" ? -$0 : $0 }
        }
        if got == expected { return [] }
        if got == nil, grammatical, expected == nil { return [] }   // both refuse an overflowing amount
        return ["money \(s.debugDescription) = \(got.map(String.init) ?? "reject"), expected \(expected.map(String.init) ?? "reject")"]
    }

    private static func checkCount(_ s: String, _ got: Int64?) -> [String] {
        var expected: Int64?
        if groups(countPattern, s) != nil {
            expected = 0
            for c in s where c != "," {
                let (m, o1) = expected!.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c.wholeNumberValue!))
                expected = o1 || o2 ? nil : a
                if expected == nil { break }
            }
        }
        return got == expected ? [] : ["count \(s.debugDescription) = \(got.map(String.init) ?? "reject"), expected \(expected.map(String.init) ?? "reject")"]
    }

    // MARK: - Channels

    private static func checkChannel(_ text: String, _ got: String) -> [String] {
        var out: [String] = []
        let again = channels.normalize(got)
        if again != got { out.append("channel \(text.debugDescription) → \(got.debugDescription) → \(again.debugDescription): not idempotent") }
        if referenceTrim(text).isEmpty {
            if got != ChannelNormalizer.unknown { out.append("blank channel \(text.debugDescription) → \(got.debugDescription), expected unknown") }
            return out
        }
        if referenceTrim(got) != got { out.append("channel \(text.debugDescription) → \(got.debugDescription) keeps edge whitespace") }
        let scalars = Array(got.unicodeScalars)
        for (a, b) in zip(scalars, scalars.dropFirst()) where a.properties.isWhitespace && b.properties.isWhitespace {
            out.append("channel \(text.debugDescription) → \(got.debugDescription) keeps a whitespace run")
            break
        }
        if got.lowercased() != got { out.append("channel \(text.debugDescription) → \(got.debugDescription) is not lower case") }
        return out
    }
}
