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

    /// Issue 15: with read-ahead, a batch's completed chunks are handed over while the next batch is
    /// parsed. They still come in file order, each once, the streaming variant gives the same rows
    /// as the collecting one, and when a later piece fails to read (not UTF-8) every chunk completed
    /// before the failure has been handed over before the error, each starting where the last ended.
    @Test(arguments: [1, 4])
    func chunksAreHandedOverInFileOrderAndBeforeALaterReadError(maxChunks: Int) throws {
        let dir = TempDir()
        var text = "id,note\n"
        let count = 12_000   // past the 64 KB the header's read takes in
        var ends: [Int] = []   // byte offset just after each row
        for i in 0..<count {
            text += i % 7 == 0 ? "\(i),\"two\nlines\"\n" : "\(i),row \(i)\n"
            ends.append(text.utf8.count)
        }
        let good = dir.write("good.csv", text)
        let sequential = try scanAll(good)

        func streamed(_ path: String) -> (rows: [(line: Int, fields: [String])], error: (any Error)?) {
            var rows: [(line: Int, fields: [String])] = []
            var nextLine = 2
            do {
                let source = try CSVSource(file: .init(path: path, displayPath: path), delimiter: UInt8(ascii: ","))
                try CSVScanner.scan(source, chunkBytes: 4096, maxChunks: maxChunks, makeSink: { _ in CollectingSink() }) { chunk in
                    // Each chunk starts on the line where the one before it ended.
                    #expect(chunk.firstLine == nextLine)
                    rows += chunk.sink.rows.map { ($0.line + chunk.firstLine, $0.fields) }
                    nextLine = chunk.firstLine + (chunk.sink.rows.last.map { $0.line + ($0.fields[1].contains("\n") ? 2 : 1) } ?? 0)
                }
                return (rows, nil)
            } catch {
                return (rows, error)
            }
        }
        let all = streamed(good)
        #expect(all.error == nil)
        #expect(all.rows.map(\.line) == sequential.rows.map(\.line))
        #expect(all.rows.map(\.fields) == sequential.rows.map(\.fields))

        // A byte that is not UTF-8 on the last line: the rows before it arrive, in order, then the error.
        let bad = dir.write("bad.csv", bytes: Array(text.utf8) + Array("\(count),caf".utf8) + [0xE9] + Array("\n".utf8))
        let broken = streamed(bad)
        let lastLine = sequential.rows.last!.line + 1
        let offset = text.utf8.count + "\(count),caf".utf8.count
        #expect((broken.error as? OpsError)?.message.hasPrefix(
            "\(bad):\(lastLine): not UTF-8 text (invalid byte sequence at byte offset \(offset))") == true)
        #expect(broken.rows.map(\.fields) == Array(sequential.rows.map(\.fields).prefix(broken.rows.count)))
        #expect(broken.rows.map(\.line) == Array(sequential.rows.map(\.line).prefix(broken.rows.count)))
        // Sequentially (one parser) the file is one chunk, handed over at its end. With read-ahead, only
        // the rows of the last parsed batch's open piece and of the batch being read (≤ 4096 bytes
        // a piece) are not handed over: every row ending before those pieces is.
        if maxChunks > 1 {
            let handed = ends.filter { $0 <= offset - (maxChunks + 1) * 4096 }.count
            #expect(broken.rows.count >= handed)
        }
    }
}
