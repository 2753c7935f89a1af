/// A strict RFC 8259 JSON parser for the pipeline file (SPEC §2): bytes → `PipelineJSON.Value`.
///
/// Why not `JSONSerialization`: the pipeline must be read *exactly*. This parser keeps
/// numbers as the text the user wrote (so `0.05` becomes the decimal 0.05, never a
/// binary double, SPEC §9 "compared exactly"), keeps object members in file order with
/// duplicates (so a key written twice is reported instead of one silently winning —
/// SPEC §2 "a typo must not be silently ignored"), never confuses `true` with `1`
/// (on Linux `NSNumber(1) is Bool` is true), and reports syntax errors by line and
/// column (SPEC §8: errors name the file and line). Semantics (types, keys, ranges)
/// are checked later by `PipelineJSON.Node` (JSONReader.swift), which knows the JSON path.

/// The namespace of the pipeline file's JSON layer, kept apart from the report's own
/// `JSONValue` (which writes `summary.json`) so the two never collide in this module.
enum PipelineJSON {}

extension PipelineJSON {
    /// One parsed JSON value.
    indirect enum Value: Equatable, Sendable {
        case null
        case bool(Bool)
        /// The number literal exactly as written (already checked against the RFC 8259 grammar).
        case number(String)
        case string(String)
        case array([Value])
        /// Members in file order; a repeated key appears as often as it was written.
        case object([Member])

        /// The article-and-noun used in messages: "expected a string, found a number".
        var kindDescription: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// One `"key": value` pair of an object.
    struct Member: Equatable, Sendable {
        var key: String
        var value: Value
    }

    /// A syntax error with its 1-based line and column (columns count Unicode scalars, as editors do).
    struct SyntaxError: Error, Equatable, CustomStringConvertible {
        var line: Int
        var column: Int
        var reason: String

        var description: String { "line \(line), column \(column): invalid JSON: \(reason)" }
    }

    /// Recursive-descent parser over UTF-8 bytes.
    struct Parser {
        /// Deep enough for any real pipeline, shallow enough that hostile input cannot overflow the stack.
        static let maxDepth = 256

        private let bytes: [UInt8]
        private var index = 0
        private var depth = 0

        /// Parses one complete JSON document (a UTF-8 byte-order mark at the start is skipped,
        /// as RFC 8259 §8.1 allows, because Windows editors like to write one).
        static func parse(_ data: some Sequence<UInt8>) throws(SyntaxError) -> Value {
            var parser = Parser(bytes: Array(data))
            return try parser.parseDocument()
        }

        private init(bytes: [UInt8]) { self.bytes = bytes }

        private mutating func parseDocument() throws(SyntaxError) -> Value {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            skipWhitespace()
            guard index < bytes.count else {
                throw error(bytes.isEmpty || index == 3 && bytes.count == 3 ? "the file is empty" : "expected a value, found the end of the file")
            }
            let value = try parseValue()
            skipWhitespace()
            guard index == bytes.count else { throw error("unexpected \(describeCurrent()) after the end of the document") }
            return value
        }

        // MARK: Values

        private mutating func parseValue() throws(SyntaxError) -> Value {
            guard index < bytes.count else { throw error("expected a value, found the end of the file") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            default: throw error("expected a value, found \(describeCurrent())")
            }
        }

        private mutating func parseObject() throws(SyntaxError) -> Value {
            try enter()
            index += 1 // {
            var members: [Member] = []
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { index += 1; depth -= 1; return .object(members) }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else {
                    throw error(members.isEmpty ? "expected a key in double quotes or \"}\", found \(describeCurrent())"
                                                : "expected a key in double quotes, found \(describeCurrent())")
                }
                let key = try parseString()
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw error("expected \":\" after the key \(Path.quoted(key)), found \(describeCurrent())") }
                index += 1
                skipWhitespace()
                let value = try parseValue()
                members.append(Member(key: key, value: value))
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "}")) { index += 1; break }
                throw error("expected \",\" or \"}\", found \(describeCurrent())")
            }
            depth -= 1
            return .object(members)
        }

        private mutating func parseArray() throws(SyntaxError) -> Value {
            try enter()
            index += 1 // [
            var elements: [Value] = []
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { index += 1; depth -= 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try parseValue())
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "]")) { index += 1; break }
                throw error("expected \",\" or \"]\", found \(describeCurrent())")
            }
            depth -= 1
            return .array(elements)
        }

        private mutating func enter() throws(SyntaxError) {
            depth += 1
            guard depth <= Parser.maxDepth else { throw error("nested more than \(Parser.maxDepth) levels deep") }
        }

        /// RFC 8259 §7. Escapes are decoded; raw bytes must be valid UTF-8 and not control characters.
        private mutating func parseString() throws(SyntaxError) -> String {
            index += 1 // opening quote
            var out: [UInt8] = []
            var runStart = index
            while true {
                guard index < bytes.count else { throw error("unterminated string") }
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    out.append(contentsOf: bytes[runStart..<index])
                    index += 1
                    break
                }
                if b < 0x20 { throw error("control character (U+\(hex4(UInt32(b)))) in a string; write it as an escape such as \\n or \\t") }
                if b == UInt8(ascii: "\\") {
                    out.append(contentsOf: bytes[runStart..<index])
                    try parseEscape(into: &out)
                    runStart = index
                    continue
                }
                if b >= 0x80 {
                    // Validate one UTF-8 sequence here so the error points at the offending byte.
                    let length = try utf8SequenceLength(at: index)
                    index += length
                    continue
                }
                index += 1
            }
            // Every raw sequence was validated and escapes produce valid scalars.
            return String(decoding: out, as: UTF8.self)
        }

        private mutating func parseEscape(into out: inout [UInt8]) throws(SyntaxError) {
            index += 1 // backslash
            guard index < bytes.count else { throw error("unterminated string") }
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "\""): out.append(c)
            case UInt8(ascii: "\\"): out.append(c)
            case UInt8(ascii: "/"): out.append(c)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = index - 2
                var scalar = try hexQuad()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate (UTF-16 pair).
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate \\u\(hex4(scalar)) in a string", at: escapeStart)
                    }
                    index += 2
                    let low = try hexQuad()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate \\u\(hex4(scalar)) in a string", at: escapeStart) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("unpaired surrogate \\u\(hex4(scalar)) in a string", at: escapeStart)
                }
                // Cannot fail: surrogates were handled above and the range is at most 0x10FFFF.
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                throw error("invalid escape \"\\\(Character(Unicode.Scalar(c)))\" in a string", at: index - 2)
            }
        }

        private mutating func hexQuad() throws(SyntaxError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard index < bytes.count, let d = hexDigit(bytes[index]) else { throw error("expected four hex digits after \\u") }
                v = v << 4 | d
                index += 1
            }
            return v
        }

        /// The length of the well-formed UTF-8 sequence starting at `i` (Unicode Table 3-7), or an error.
        private func utf8SequenceLength(at i: Int) throws(SyntaxError) -> Int {
            let b0 = bytes[i]
            let (length, secondRange): (Int, ClosedRange<UInt8>)
            switch b0 {
            case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
            case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
            case 0xED: (length, secondRange) = (3, 0x80...0x9F)
            case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
            case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
            default: throw error("the file is not valid UTF-8 (byte 0x\(String(b0, radix: 16, uppercase: true)) at byte offset \(i))", at: i)
            }
            for k in 1..<length {
                let range: ClosedRange<UInt8> = k == 1 ? secondRange : 0x80...0xBF
                guard i + k < bytes.count, range.contains(bytes[i + k]) else {
                    throw error("the file is not valid UTF-8 (bad sequence at byte offset \(i))", at: i)
                }
            }
            return length
        }

        /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; returns the literal text.
        private mutating func parseNumber() throws(SyntaxError) -> String {
            let start = index
            if peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after \"-\"") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) { throw error("numbers must not have leading zeros", at: start) }
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if peek(UInt8(ascii: ".")) {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after the decimal point") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
                index += 1
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in the exponent") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        private mutating func expectLiteral(_ word: StaticString) throws(SyntaxError) {
            let start = index
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for b in expected {
                guard index < bytes.count, bytes[index] == b else {
                    throw error("expected a value, found \(describeToken(at: start))", at: start)
                }
                index += 1
            }
            // `trueish` is not `true`.
            if index < bytes.count, isIdentifierByte(bytes[index]) {
                throw error("expected a value, found \(describeToken(at: start))", at: start)
            }
        }

        // MARK: Helpers

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        private func peek(_ b: UInt8) -> Bool { index < bytes.count && bytes[index] == b }
        private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        private func isIdentifierByte(_ b: UInt8) -> Bool {
            isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || b == UInt8(ascii: "_")
        }
        private func hexDigit(_ b: UInt8) -> UInt32? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
            default: nil
            }
        }
        private func hex4(_ v: UInt32) -> String {
            let s = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - s.count)) + s
        }

        /// "the end of the file", `"}"` or a bare word such as `"undefined"`, for messages.
        private func describeCurrent() -> String { describeToken(at: index) }

        private func describeToken(at i: Int) -> String {
            guard i < bytes.count else { return "the end of the file" }
            if isIdentifierByte(bytes[i]) {
                var j = i
                while j < bytes.count, isIdentifierByte(bytes[j]), j - i < 20 { j += 1 }
                return "\"" + String(decoding: bytes[i..<j], as: UTF8.self) + "\""
            }
            let b = bytes[i]
            if b >= 0x20 && b < 0x7F { return "\"\(Character(Unicode.Scalar(b)))\"" }
            if b < 0x20 { return "a control character (U+\(hex4(UInt32(b))))" }
            // A non-ASCII character outside a string: show it when it decodes.
            if let length = try? utf8SequenceLength(at: i) {
                return "\"\(String(decoding: bytes[i..<i + length], as: UTF8.self))\""
            }
            return "the byte 0x\(String(b, radix: 16, uppercase: true))"
        }

        private func error(_ reason: String, at offset: Int? = nil) -> SyntaxError {
            let (line, column) = position(of: min(offset ?? index, bytes.count))
            return SyntaxError(line: line, column: column, reason: reason)
        }

        /// 1-based line and column of a byte offset; a column counts scalars (UTF-8 lead bytes).
        private func position(of offset: Int) -> (Int, Int) {
            var line = 1
            var column = 1
            var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) && offset >= 3 ? 3 : 0
            while i < offset {
                let b = bytes[i]
                if b == 0x0A {
                    line += 1
                    column = 1
                } else if b == 0x0D {
                    // CR LF counts once; a lone CR also ends a line.
                    if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                    line += 1
                    column = 1
                } else if b & 0xC0 != 0x80 {
                    column += 1
                }
                i += 1
            }
            return (line, column)
        }
    }
}
