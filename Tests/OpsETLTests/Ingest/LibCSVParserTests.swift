import Testing
@testable import OpsETL

/// `LibCSVParser` installs libcsv's space function only around runs of spaces and tabs; what
/// it reports must equal one `csv_parse` call per block with the function always installed,
/// for any block boundaries.
@Suite struct LibCSVParserTests {
    struct Record: Equatable { let line: Int; let unterminated: Bool; let fields: [String] }

    final class Collect: RowSink {
        var records: [Record] = []
        func consume(_ row: RawRow) {
            records.append(Record(line: row.relativeLine, unterminated: row.unterminatedQuote, fields: row.strings))
        }
    }

    static func parse(_ text: String, delimiter: UInt8, split: Int?, segmented: Bool) -> [Record] {
        let bytes = Array(text.utf8)
        let parser = LibCSVParser(delimiter: delimiter, segmentSpaces: segmented)
        let sink = Collect()
        bytes.withUnsafeBytes { all in
            let cut = split ?? all.count
            parser.feed(UnsafeRawBufferPointer(rebasing: all[0..<cut]), to: sink)
            parser.feed(UnsafeRawBufferPointer(rebasing: all[cut...]), to: sink)
        }
        parser.finish(to: sink)
        return sink.records
    }

    static let inputs: [(String, UInt8)] = [
        ("  a  , b ,c\n", 0x2C),
        ("\"x\"  ,y\n\"p\" \t\"q\",r\nz\n", 0x2C),
        ("   \n\t\t\n \t \r\n \"lead\",x\n", 0x2C),
        ("a\tb\t c \t\n\t\"q\"\t\n", 0x09),
        ("a b c\nd  e\n\"f \"\" g\" , h\n", 0x20),
        ("id,note\n1,\"two\r\nlines and more than eight bytes\"\n2,\"\nx\ry\r\n\"\n3,plain text here ok\n", 0x2C),
        ("2025-01-31 06:22:14,24.90 ,  paid  ,\"  q  \"  \n4,5,\"open \n x", 0x2C),
    ]

    @Test func segmentedParsingEqualsOneCallWithTheSpaceFunction() {
        for (text, delimiter) in Self.inputs {
            let reference = Self.parse(text, delimiter: delimiter, split: nil, segmented: false)
            #expect(!reference.isEmpty)
            for cut in 0...text.utf8.count {
                #expect(Self.parse(text, delimiter: delimiter, split: cut, segmented: true) == reference, "\(text.debugDescription) cut at \(cut)")
                #expect(Self.parse(text, delimiter: delimiter, split: cut, segmented: false) == reference, "\(text.debugDescription) cut at \(cut)")
            }
        }
    }

    @Test func spacesAreKeptAndALineOfSpacesIsARow() {
        let records = Self.parse("  a  , b \n   \n", delimiter: 0x2C, split: nil, segmented: true)
        #expect(records == [Record(line: 0, unterminated: false, fields: ["  a  ", " b "]),
                            Record(line: 1, unterminated: false, fields: ["   "])])
    }

    @Test func lineBreaksInsideLongQuotedFieldsAreCounted() {
        let records = Self.parse("\"0123456789\n0123456789\r\n01234567\r\"\nnext\n", delimiter: 0x2C, split: nil, segmented: true)
        #expect(records.map(\.line) == [0, 4])
    }
}
