import Foundation

/// Path-aware typed access to a parsed pipeline file (SPEC §2, §8): `PipelineJSON.Value` → Swift values.
///
/// Every accessor knows where it is (`inputs.sales.columns.amount`, `targets[2].min`) and
/// throws a `PipelineJSON.Issue` naming that path, so the one-line error the CLI prints points the
/// analyst at the exact key to fix. The loader converts issues into `OpsError` at its edge.

extension PipelineJSON {
    /// A location in the document: `inputs.sales.columns.amount`, `targets[2].min`.
    struct Path: Equatable, Sendable, CustomStringConvertible {
        enum Component: Equatable, Sendable {
            case key(String)
            case index(Int)
        }

        var components: [Component] = []

        static let root = Path()

        func appending(_ key: String) -> Path { Path(components: components + [.key(key)]) }
        func appending(_ index: Int) -> Path { Path(components: components + [.index(index)]) }

        /// Dotted keys and `[i]` indices; a key that is not a plain identifier (an alias such as
        /// `Facebook Ads`) is written `["Facebook Ads"]` so the path stays unambiguous.
        var description: String {
            guard !components.isEmpty else { return "(top level)" }
            var out = ""
            for component in components {
                switch component {
                case .index(let i):
                    out += "[\(i)]"
                case .key(let k):
                    if Path.isPlainKey(k) {
                        out += out.isEmpty ? k : ".\(k)"
                    } else {
                        out += "[\(Path.quoted(k))]"
                    }
                }
            }
            return out
        }

        private static func isPlainKey(_ key: String) -> Bool {
            !key.isEmpty && key.utf8.allSatisfy { b in
                (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                    || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
            }
        }

        /// A string as a JSON literal, for messages (keeps the error on one line); a value longer
        /// than 200 characters is quoted up to there and the rest counted (SPEC §9).
        static func quoted(_ text: String) -> String {
            let limit = VisibleText.maxQuotedCharacters
            let shown = text.count > limit ? Substring(text).prefix(limit) : Substring(text)
            let rest = text.count > limit ? "… (\(text.count - limit) more characters)" : ""
            var out = "\""
            for scalar in shown.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let h = String(scalar.value, radix: 16, uppercase: true)
                        out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\"" + rest
        }
    }

    /// What is wrong at one path; becomes `OpsError.configuration("<file>: <path>: <message>")`.
    struct Issue: Error, Equatable, Sendable {
        var path: Path
        var message: String
    }

    /// One value of the document together with its path.
    struct Node: Sendable {
        var value: Value
        var path: Path

        func issue(_ message: String) -> Issue { Issue(path: path, message: message) }

        /// "expected a string, found a number" — `null` gets a hint, because writing `null`
        /// to mean "use the default" is a common habit and the pipeline asks for leaving the key out.
        func typeMismatch(expected: String) -> Issue {
            var message = "expected \(expected), found \(value.kindDescription)"
            switch value {
            case .null:
                message += " (leave the key out to use the default)"
            case .string(let s) where expected.contains("number") && Node.isNumberLiteral(s):
                message += " (write \(s) without quotes)"
            default:
                break
            }
            return issue(message)
        }

        private static func isNumberLiteral(_ s: String) -> Bool {
            guard !s.isEmpty, case .number? = try? Parser.parse(Array(s.utf8)) else { return false }
            return true
        }

        // MARK: Scalars

        func string() throws(Issue) -> String {
            guard case .string(let s) = value else { throw typeMismatch(expected: "a string") }
            return s
        }

        /// A string that is not empty after trimming (SPEC §9: trimming removes all Unicode whitespace).
        /// Returns the trimmed text.
        func nonEmptyTrimmedString() throws(Issue) -> String {
            let s = try string().trimmingCharacters(in: .whitespacesAndNewlines)
            guard !s.isEmpty else { throw issue("expected a non-empty string") }
            return s
        }

        func bool() throws(Issue) -> Bool {
            guard case .bool(let b) = value else { throw typeMismatch(expected: "true or false") }
            return b
        }

        /// The number exactly as written (SPEC §9: thresholds compare exactly, so `0.05` must be
        /// 5 × 10⁻², not the nearest binary double). Integers are numbers too.
        func decimal() throws(Issue) -> Decimal {
            guard case .number(let literal) = value else { throw typeMismatch(expected: "a number") }
            // Decimal keeps 38 significant digits and silently rounds beyond; refuse instead of guessing.
            guard Node.significantDigits(literal) <= 38 else {
                throw issue("\(VisibleText.clipped(literal)) has more than 38 significant digits; it cannot be held exactly")
            }
            guard let d = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else {
                throw issue("\(VisibleText.clipped(literal)) is out of range")
            }
            return d
        }

        /// A number in `range`; `expected` completes "expected …" in the message.
        func decimal(in range: ClosedRange<Decimal>, expected: String) throws(Issue) -> Decimal {
            let d = try decimal()
            guard range.contains(d) else { throw issue("\(literalText) is out of range; expected \(expected)") }
            return d
        }

        /// A whole number (`8` or `8.0`; `8.5` is an error) in `range`.
        func integer(in range: ClosedRange<Int>, expected: String) throws(Issue) -> Int {
            guard case .number = value else { throw typeMismatch(expected: "a whole number") }
            let d = try decimal()
            var rounded = Decimal()
            var copy = d
            NSDecimalRound(&rounded, &copy, 0, .plain)
            guard rounded == d else { throw issue("expected a whole number, found \(literalText)") }
            guard d >= Decimal(range.lowerBound), d <= Decimal(range.upperBound) else {
                throw issue("\(literalText) is out of range; expected \(expected)")
            }
            return NSDecimalNumber(decimal: d).intValue
        }

        /// A string that must be one of an enumeration's raw values: `"weekly" is not one of day, week, month`.
        /// The cases are passed in because some model enums are not `CaseIterable`; their order is the message's.
        func enumeration<E: RawRepresentable>(_ cases: [E]) throws(Issue) -> E where E.RawValue == String {
            let s = try string()
            if let e = cases.first(where: { $0.rawValue == s }) { return e }
            let allowed = cases.map(\.rawValue)
            var message = "\(Path.quoted(s)) is not one of \(allowed.joined(separator: ", "))"
            if let guess = Spelling.suggestion(for: s, among: allowed) { message += " (did you mean \(Path.quoted(guess))?)" }
            throw issue(message)
        }

        /// The number as the user wrote it, for messages.
        private var literalText: String {
            // SPEC §9: an error line quotes at most 200 characters of a value (a 10 000-digit number).
            if case .number(let literal) = value { return VisibleText.clipped(literal) }
            return value.kindDescription
        }

        /// Digits of the mantissa without leading and trailing zeros (trailing zeros fold into the exponent).
        static func significantDigits(_ literal: String) -> Int {
            var mantissa = Substring(literal)
            if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) { mantissa = mantissa[..<e] }
            let digits = mantissa.filter { $0.isASCII && $0.isNumber }
            let trimmed = digits.drop(while: { $0 == "0" }).reversed().drop(while: { $0 == "0" })
            return trimmed.count
        }

        // MARK: Containers

        func array() throws(Issue) -> [Node] {
            guard case .array(let elements) = value else { throw typeMismatch(expected: "an array") }
            return elements.enumerated().map { Node(value: $1, path: path.appending($0)) }
        }

        /// An object whose keys are all in `allowedKeys` (SPEC §2: unknown keys are an error,
        /// a typo must not be silently ignored). Nil `allowedKeys` accepts any key (maps such as
        /// `channel_aliases`). A key written twice is always an error: one of the two values
        /// would otherwise be dropped without a word.
        func object(allowedKeys: [String]?) throws(Issue) -> ObjectReader {
            guard case .object(let members) = value else { throw typeMismatch(expected: "an object") }
            var seen = Set<String>()
            for member in members {
                let memberPath = path.appending(member.key)
                guard seen.insert(member.key).inserted else {
                    throw Issue(path: memberPath, message: "the key appears more than once; keep one")
                }
                if let allowedKeys, !allowedKeys.contains(member.key) {
                    var message = "unknown key"
                    if let guess = Spelling.suggestion(for: member.key, among: allowedKeys) {
                        message += " (did you mean \(Path.quoted(guess))?)"
                    } else {
                        message += "; expected one of \(allowedKeys.joined(separator: ", "))"
                    }
                    throw Issue(path: memberPath, message: message)
                }
            }
            return ObjectReader(path: path, members: members)
        }
    }

    /// The members of one object, already checked for unknown and repeated keys.
    struct ObjectReader: Sendable {
        var path: Path
        var members: [Member]

        /// The member's node, or nil when the key is absent.
        subscript(key: String) -> Node? {
            members.first { $0.key == key }.map { Node(value: $0.value, path: path.appending(key)) }
        }

        /// The member's node; absent is an error that says what belongs there.
        func required(_ key: String, _ expected: String) throws(Issue) -> Node {
            guard let node = self[key] else { throw Issue(path: path.appending(key), message: "missing; expected \(expected)") }
            return node
        }

        /// All members in file order, with their paths (for free-form maps).
        var nodes: [(key: String, node: Node)] {
            members.map { ($0.key, Node(value: $0.value, path: path.appending($0.key))) }
        }
    }

    /// "Did you mean …?" for keys and enum values, by edit distance.
    enum Spelling {
        /// The closest candidate when it is plausibly a typo: case-insensitive optimal string
        /// alignment distance (a transposition counts as one edit) of at most 2, and less than
        /// half the length of the word — so `colums` suggests `columns` but `x` suggests nothing.
        static func suggestion(for word: String, among candidates: [String]) -> String? {
            let w = Array(word.lowercased().unicodeScalars)
            var best: (candidate: String, distance: Int)?
            for candidate in candidates {
                let d = distance(w, Array(candidate.lowercased().unicodeScalars))
                if best == nil || d < best!.distance { best = (candidate, d) }
            }
            guard let best, best.distance <= 2, best.distance * 2 < max(w.count, 1) else { return nil }
            return best.candidate
        }

        /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
        static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            if a.isEmpty { return b.count }
            if b.isEmpty { return a.count }
            var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in 1...a.count {
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                    }
                }
            }
            return d[a.count][b.count]
        }
    }
}
