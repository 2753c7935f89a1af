import Foundation
import Testing
@testable import OpsETL

/// SPEC §3.2 dialect and §9 line numbers, through CSVSource + CSVScanner.
@Suite struct CSVScannerTests {
    @Test func bomCRLFQuotedNewlineBlankLinesAndNoFinalNewline() throws {
        let dir = TempDir()
        // line 1 header (after BOM), 2 a row, 3-4 a record with a quoted CRLF, 5 blank,
        // 6 spaces only (a one-field row), 7 last row without a final newline.
        let path = dir.write("t.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("id,name,n\r\n1,\"Smith, J\",2\r\n2,\"two\r\nlines\",3\r\n\r\n   \r\n3,\"say \"\"hi\"\"\",4".utf8))
        let (header, rows) = try scanAll(path)
        #expect(header == ["id", "name", "n"])
        #expect(rows.map(\.line) == [2, 3, 6, 7])
        #expect(rows.map(\.fields) == [["1", "Smith, J", "2"], ["2", "two\r\nlines", "3"], ["   "], ["3", "say \"hi\"", "4"]])
    }

    @Test func lfAndLoneBlankLinesBeforeHeaderAreCounted() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", "\na,b\n\n\n1,2\n")
        let (header, rows) = try scanAll(path)
        #expect(header == ["a", "b"])
        #expect(rows.map(\.line) == [5])
    }

    @Test func customDelimiterAndEmptyQuotedFields() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", "a;b;c\n\"\";x;\"1;2\"\n")
        let (_, rows) = try scanAll(path, delimiter: UInt8(ascii: ";"))
        #expect(rows.map(\.fields) == [["", "x", "1;2"]])
    }

    @Test func unterminatedQuoteIsFlagged() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", "a,b\n1,2\n3,\"open\n4,5\n")
        let (_, rows) = try scanAll(path)
        #expect(rows.count == 2)
        #expect(rows[1].unterminated)
        #expect(rows[1].fields == ["3", "open\n4,5\n"])
    }

    @Test func zeroByteFileHasNoHeaderAndNoRows() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", "")
        let (header, rows) = try scanAll(path)
        #expect(header == nil)
        #expect(rows.isEmpty)
    }

    @Test func headerOnlyWithoutNewline() throws {
        let dir = TempDir()
        let (header, rows) = try scanAll(dir.write("t.csv", "a,b,c"))
        #expect(header == ["a", "b", "c"])
        #expect(rows.isEmpty)
    }

    @Test func hugeFieldSurvives() throws {
        let dir = TempDir()
        let big = String(repeating: "x", count: 3_000_000)
        let (_, rows) = try scanAll(dir.write("t.csv", "a,b\n1,\"\(big)\"\n2,3\n"))
        #expect(rows.count == 2)
        #expect(rows[0].fields[1].count == 3_000_000)
        #expect(rows[1].line == 3)
    }

    @Test func nonUTF8NamesTheByteOffset() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", bytes: Array("a,b\n1,caf".utf8) + [0xE9] + Array(",\n".utf8))
        // Line 2; "é," in Windows-1252 (E9 then a comma) is no GB18030 character, so the hint names Windows-1252.
        #expect(throws: OpsError.runtime("\(path):2: not UTF-8 text (invalid byte sequence at byte offset 9); "
                                         + "the bytes look like Windows-1252 text: read it with --encoding windows-1252")) {
            try scanAll(path)
        }
    }

    /// The parallel path must give exactly the sequential result — rows and line numbers —
    /// even when the cuts fall inside quoted fields holding newlines.
    @Test(arguments: [7, 16, 40, 97])
    func chunkedScanEqualsSequential(chunkBytes: Int) throws {
        let dir = TempDir()
        var text = "id,note,n\n"
        for i in 0..<300 {
            switch i % 5 {
            case 0: text += "\(i),\"multi\nline\nnote \(i)\",\(i)\n"
            case 1: text += "\(i),\"quote \"\"\(i)\"\"\",\(i)\r\n"
            case 2: text += "\n\(i),plain,\(i)\n"
            case 3: text += "\(i),\"a,b\n\",\(i)\n"
            default: text += "\(i),x,\(i)\n"
            }
        }
        let path = dir.write("t.csv", text)
        let sequential = try scanAll(path)
        let parallel = try scanAll(path, chunkBytes: chunkBytes, maxChunks: 64)
        #expect(parallel.rows.count == 300)
        #expect(parallel.rows.map(\.line) == sequential.rows.map(\.line))
        #expect(parallel.rows.map(\.fields) == sequential.rows.map(\.fields))
    }
}
