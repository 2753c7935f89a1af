import Foundation
import Testing
@testable import OpsETL

/// The strict JSON parser behind the pipeline file (SPEC §2, §8: errors name the line).
@Suite("Pipeline JSON parser")
struct PipelineJSONParserTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: PipelineJSON.Value
        var testDescription: String { text }
    }

    @Test(arguments: [
        Valid(text: "{}", expected: .object([])),
        Valid(text: " [ ] ", expected: .array([])),
        Valid(text: "\u{FEFF}{\"a\": 1}", expected: .object([PipelineJSON.Member(key: "a", value: .number("1"))])),
        Valid(text: "[true, false, null]", expected: .array([.bool(true), .bool(false), .null])),
        // Numbers stay as written so they convert to Decimal exactly.
        Valid(text: "[0, -0, 0.05, 1e-3, 2.50, 1E+2, -12.5e-1, 1e400]",
              expected: .array(["0", "-0", "0.05", "1e-3", "2.50", "1E+2", "-12.5e-1", "1e400"].map(PipelineJSON.Value.number))),
        Valid(text: #""a\"b\\c\/d\b\f\n\r\t""#, expected: .string("a\"b\\c/d\u{8}\u{C}\n\r\t")),
        Valid(text: #""\u00e9\u4E2D \ud83d\ude00""#, expected: .string("é中 😀")),
        Valid(text: "\"é中😀\"", expected: .string("é中😀")),
        // Members keep file order, and a repeated key is kept so the reader can report it.
        Valid(text: #"{"b": 1, "a": 2, "b": 3}"#, expected: .object([
            PipelineJSON.Member(key: "b", value: .number("1")), PipelineJSON.Member(key: "a", value: .number("2")),
            PipelineJSON.Member(key: "b", value: .number("3")),
        ])),
        Valid(text: "{\r\n\t\"k\" : [ \"v\" ]\r\n}", expected: .object([PipelineJSON.Member(key: "k", value: .array([.string("v")]))])),
    ])
    func parsesValidDocuments(_ c: Valid) throws {
        #expect(try PipelineJSON.Parser.parse(Array(c.text.utf8)) == c.expected)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var line: Int
        var column: Int
        var reason: String
        var testDescription: String { String(decoding: bytes, as: UTF8.self) }

        init(_ text: String, _ line: Int, _ column: Int, _ reason: String) {
            self.init(bytes: Array(text.utf8), line, column, reason)
        }

        init(bytes: [UInt8], _ line: Int, _ column: Int, _ reason: String) {
            self.bytes = bytes
            self.line = line
            self.column = column
            self.reason = reason
        }
    }

    @Test(arguments: [
        Invalid("", 1, 1, "the file is empty"),
        Invalid(" \n ", 2, 2, "the file is empty"),
        Invalid("{\n  \"a\": 1,\n}", 3, 1, "expected a key in double quotes, found \"}\""),
        Invalid("{\"a\": 1 \"b\": 2}", 1, 9, "expected \",\" or \"}\", found \"\"\""),
        Invalid("[1 2]", 1, 4, "expected \",\" or \"]\", found \"2\""),
        Invalid("{\"a\" 1}", 1, 6, "expected \":\" after the key \"a\", found \"1\""),
        Invalid("{a: 1}", 1, 2, "expected a key in double quotes or \"}\", found \"a\""),
        Invalid("{\"a\": 01}", 1, 7, "numbers must not have leading zeros"),
        Invalid("{\"a\": .5}", 1, 7, "expected a value, found \".\""),
        Invalid("{\"a\": 1.}", 1, 9, "expected a digit after the decimal point"),
        Invalid("{\"a\": 1e}", 1, 9, "expected a digit in the exponent"),
        Invalid("{\"a\": -}", 1, 8, "expected a digit after \"-\""),
        Invalid("{\"a\": tru}", 1, 7, "expected a value, found \"tru\""),
        Invalid("{\"a\": trueish}", 1, 7, "expected a value, found \"trueish\""),
        Invalid("{\"a\": NaN}", 1, 7, "expected a value, found \"NaN\""),
        Invalid("// note\n{}", 1, 1, "expected a value, found \"/\""),
        Invalid("{\"a\": \"x\ny\"}", 1, 9, "control character (U+000A) in a string; write it as an escape such as \\n or \\t"),
        Invalid("[\"\\ud800\"]", 1, 3, "unpaired surrogate \\uD800 in a string"),
        Invalid("[\"\\udc00\"]", 1, 3, "unpaired surrogate \\uDC00 in a string"),
        Invalid("[\"\\x\"]", 1, 3, "invalid escape \"\\x\" in a string"),
        Invalid("[\"\\u12G4\"]", 1, 7, "expected four hex digits after \\u"),
        Invalid("[\"abc", 1, 6, "unterminated string"),
        Invalid("{\"a\": [1, 2}", 1, 12, "expected \",\" or \"]\", found \"}\""),
        Invalid("{} x", 1, 4, "unexpected \"x\" after the end of the document"),
        Invalid("{\"a\": 1", 1, 8, "expected \",\" or \"}\", found the end of the file"),
        // Columns count characters, not bytes: "é" and "中" are one column each.
        Invalid("{\"é中\": ?}", 1, 8, "expected a value, found \"?\""),
        Invalid(bytes: [0x22, 0x61, 0xFF, 0x22], 1, 3, "the file is not valid UTF-8 (byte 0xFF at byte offset 2)"),
        Invalid(bytes: [0x22, 0xE4, 0xB8, 0x22], 1, 2, "the file is not valid UTF-8 (bad sequence at byte offset 1)"),
        Invalid(String(repeating: "[", count: 300), 1, 257, "nested more than 256 levels deep"),
    ])
    func reportsSyntaxErrorsWithLineAndColumn(_ c: Invalid) {
        #expect(throws: PipelineJSON.SyntaxError(line: c.line, column: c.column, reason: c.reason)) {
            try PipelineJSON.Parser.parse(c.bytes)
        }
    }

    @Test func syntaxErrorDescriptionNamesLineAndColumn() {
        let error = PipelineJSON.SyntaxError(line: 3, column: 1, reason: "expected a value")
        #expect(error.description == "line 3, column 1: invalid JSON: expected a value")
    }
}
