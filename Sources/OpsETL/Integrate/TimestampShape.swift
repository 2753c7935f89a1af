/// Integrate: guesses the `timestamp_formats` pattern (SPEC §3.3) that would read a rejected
/// timestamp, for the reject diagnosis (`RejectDiagnosis`) — never for reading data.
///
/// Shapes, each optionally followed by a time (`T` or a space, `H:mm` or `HH:mm`, `:ss`, `.S…`)
/// and an offset (`Z`, `±HH:MM`, `±HHMM`, after an optional space):
/// - `20250102`, `202501021030`, `20250102103000` → `YYYYMMDD`, `YYYYMMDDHHmm`, `YYYYMMDDHHmmss`;
/// - `2025.01.02`, `2025-1-2`, `2025/1/02` → year first with that separator;
/// - `2025年1月2日` → `YYYY年M月D日`;
/// - `01/02/2025`, `13.01.2025`, `1-31-2025` → day and month before the year. A part above 12 is
///   the day; when both are 12 or less the order cannot be told from one value: a `/` (the US
///   habit) suggests month first, `.` and `-` (the European one) day first, and the other order is
///   named too.
/// A zero-padded part (`01`) gets the 2-digit token (`MM`, `DD`, `HH`): the export pads. Any other
/// gets the 1-or-2-digit token (`M`, `D`, `H`), which reads `1` and `12` alike — a `12` alone does
/// not show whether the export pads.
struct TimestampShape: Equatable {
    let pattern: String
    /// The pattern with day and month swapped, when one value cannot tell them apart.
    let otherOrder: String?

    private enum Run: Equatable {
        case digits(String)
        case char(Character)
    }

    static func guess(_ text: String) -> TimestampShape? {
        var runs: [Run] = []
        for c in text {
            if c.isASCII, c.isNumber {
                if case .digits(let d)? = runs.last { runs[runs.count - 1] = .digits(d + String(c)) } else { runs.append(.digits(String(c))) }
            } else {
                runs.append(.char(c))
            }
        }
        var i = 0
        func digits(_ counts: ClosedRange<Int>) -> String? {
            guard i < runs.count, case .digits(let d) = runs[i], counts.contains(d.count) else { return nil }
            i += 1
            return d
        }
        func char(_ allowed: Set<Character>) -> Character? {
            guard i < runs.count, case .char(let c) = runs[i], allowed.contains(c) else { return nil }
            i += 1
            return c
        }
        func width(_ d: String, _ one: String) -> String { d.count == 2 && d.hasPrefix("0") ? one + one : one }

        var date: String
        var other: String?
        if let run = digits(8...8) ?? digits(12...12) ?? digits(14...14) {
            date = ["YYYYMMDD", "YYYYMMDDHHmm", "YYYYMMDDHHmmss"][(run.count - 8) / 3]
            if run.count > 8 { return i == runs.count ? TimestampShape(pattern: date, otherOrder: nil) : nil }
        } else if digits(4...4) != nil {
            if char(["年"]) != nil {
                guard let m = digits(1...2), char(["月"]) != nil, let d = digits(1...2), char(["日"]) != nil else { return nil }
                date = "YYYY年" + width(m, "M") + "月" + width(d, "D") + "日"
            } else {
                guard let sep = char(["-", "/", "."]), let m = digits(1...2), char([sep]) != nil, let d = digits(1...2)
                else { return nil }
                date = "YYYY" + String(sep) + width(m, "M") + String(sep) + width(d, "D")
            }
        } else {
            guard let a = digits(1...2), let sep = char(["-", "/", "."]), let b = digits(1...2), char([sep]) != nil,
                  digits(4...4) != nil, let first = Int(a), let second = Int(b) else { return nil }
            let s = String(sep)
            let monthFirst = "\(width(a, "M"))\(s)\(width(b, "D"))\(s)YYYY"
            let dayFirst = "\(width(a, "D"))\(s)\(width(b, "M"))\(s)YYYY"
            switch (first <= 12, second <= 12) {
            case (true, false): date = monthFirst
            case (false, true): date = dayFirst
            case (true, true):
                date = sep == "/" ? monthFirst : dayFirst
                other = sep == "/" ? dayFirst : monthFirst
            case (false, false): return nil
            }
        }

        // The time, then the offset.
        var time = ""
        func digitsNext() -> Bool {
            guard i < runs.count, case .digits = runs[i] else { return false }
            return true
        }
        let sep = char(["T", " "])
        if sep != nil, !digitsNext() { i -= 1 }                   // `2025.01.02 +08:00`: a space before the offset
        if (sep != nil && digitsNext()) || (date.hasSuffix("日") && digitsNext()) {
            if let sep { time += String(sep) }
            guard let h = digits(1...2), char([":"]) != nil, digits(2...2) != nil else { return nil }
            time += width(h, "H") + ":mm"
            if char([":"]) != nil {
                guard digits(2...2) != nil else { return nil }
                time += ":ss"
                if char(["."]) != nil {
                    guard let f = digits(1...9) else { return nil }
                    time += ".\(String(repeating: "S", count: f.count))"
                }
            }
        }
        if i < runs.count {
            let space = char([" "]) != nil
            if char(["Z"]) != nil {
                // `Z` itself
            } else if char(["+", "-"]) != nil {
                if digits(4...4) == nil {
                    guard digits(2...2) != nil, char([":"]) != nil, digits(2...2) != nil else { return nil }
                }
            } else {
                return nil
            }
            time += (space ? " " : "") + "Z"
        }
        guard i == runs.count else { return nil }
        return TimestampShape(pattern: date + time, otherOrder: other.map { $0 + time })
    }
}
