import Foundation
import Testing
@testable import OpsETL
#if canImport(Glibc)
import Glibc
#endif

/// Runs a tool (`gzip`, `iconv`) on `input` and returns its stdout: binary fixtures are made in the test.
func tool(_ path: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    // Written from another thread, so a large output cannot fill the pipe while we still write.
    let writer = Thread {
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](out)
}

func gzipped(_ bytes: [UInt8]) throws -> [UInt8] { try tool("/usr/bin/gzip", ["-c", "-n"], input: bytes) }
func encoded(_ text: String, _ encoding: String) throws -> [UInt8] {
    try tool("/usr/bin/iconv", ["-f", "UTF-8", "-t", encoding], input: Array(text.utf8))
}

/// SPEC §3.2 (encodings, `.gz`) and §9 (regular files, the checksum of the bytes parsed), through
/// `InputReader` and `CSVSource` + `CSVScanner`.
@Suite struct InputReaderTests {
    static let text = "id,name,city\n1,张三,北京\n2,\"Zoë, \"\"the\"\" café\",Zürich\n3,李四,上海\r\n4,x,y\n"

    @Test func gzipIsDecompressedAndTheDigestIsOfTheStoredBytes() throws {
        let dir = TempDir()
        let plain = try scanAll(dir.write("t.csv", Self.text))
        let stored = try gzipped(Array(Self.text.utf8))
        let path = dir.write("t.csv.gz", bytes: stored)
        let zipped = try scanAll(path, chunkBytes: 16, maxChunks: 3)
        #expect(zipped.header == plain.header)
        #expect(zipped.rows.map(\.fields) == plain.rows.map(\.fields))
        // Lines count the decompressed text: rows on lines 2, 3, 4, 5.
        #expect(zipped.rows.map(\.line) == [2, 3, 4, 5])
        let source = try CSVSource(file: .init(path: path, displayPath: "t.csv.gz"), delimiter: UInt8(ascii: ","))
        _ = try CSVScanner.scan(source, maxChunks: 1) { _ in CollectingSink() }
        let digest = try source.reader.finish()
        #expect(digest.bytes == stored.count)
        #expect(digest.sha256 == Self.sha256(stored))
        #expect(source.reader.textBytes == Self.text.utf8.count)
    }

    /// `sha256sum`, so the expected value does not come from the code under test.
    static func sha256(_ bytes: [UInt8]) -> String {
        String(decoding: try! tool("/usr/bin/sha256sum", [], input: bytes).prefix(64), as: UTF8.self)
    }

    /// A gzip file of GB18030 text, cut into small pieces parsed four at a time (reading ahead), with
    /// quoted newlines at many cuts: the same rows and lines as the sequential parse of the UTF-8 file.
    @Test(arguments: [16, 40, 97])
    func gzipOfGB18030ChunkedEqualsSequentialUTF8(chunkBytes: Int) throws {
        let dir = TempDir()
        var text = "id,备注,n\n"
        for i in 0..<300 { text += i % 5 == 0 ? "\(i),\"第\(i)行\n换行\",\(i)\n" : "\(i),北京\(i),\(i)\n" }
        let plain = try scanAll(dir.write("u.csv", text))
        let path = dir.write("t.csv.gz", bytes: try gzipped(try encoded(text, "GB18030")))
        let source = try CSVSource(file: .init(path: path, displayPath: path), delimiter: UInt8(ascii: ","), encoding: .gb18030)
        let chunks = try CSVScanner.scan(source, chunkBytes: chunkBytes, maxChunks: 4) { _ in CollectingSink() }
        #expect(chunks.count > 1)
        #expect(source.header == plain.header)
        #expect(chunks.flatMap { c in c.sink.rows.map(\.fields) } == plain.rows.map(\.fields))
        #expect(chunks.flatMap { c in c.sink.rows.map { $0.line + c.firstLine } } == plain.rows.map(\.line))
        #expect(plain.rows.count == 300)
    }

    @Test func twoGzipMembersAreOneStream() throws {
        let dir = TempDir()
        let a = try gzipped(Array("a,b\n1,2\n".utf8)), b = try gzipped(Array("3,4\n".utf8))
        let rows = try scanAll(dir.write("t.csv.gz", bytes: a + b)).rows
        #expect(rows.map(\.fields) == [["1", "2"], ["3", "4"]])
    }

    @Test func truncatedAndCorruptGzipAreErrorsNamingTheFile() throws {
        let dir = TempDir()
        let stored = try gzipped(Array(String(repeating: "a,b\n1,2\n", count: 50).utf8))
        let cut = dir.write("cut.csv.gz", bytes: Array(stored.prefix(stored.count - 10)))
        #expect(throws: OpsError.self) { try scanAll(cut) }
        do { _ = try scanAll(cut) } catch let e as OpsError {
            #expect(e.message.hasPrefix("\(cut): truncated gzip data: the file ends inside the compressed stream"))
        }
        // A flipped byte in the deflate data: zlib's own reason is quoted.
        var bad = stored
        bad[12] ^= 0xFF
        let corrupt = dir.write("bad.csv.gz", bytes: bad)
        do {
            _ = try scanAll(corrupt)
            Issue.record("a corrupt gzip file was read")
        } catch let e as OpsError {
            #expect(e.kind == .runtime)
            #expect(e.message.hasPrefix("\(corrupt): not valid gzip data ("))
        }
    }

    /// Each encoding's twin of a UTF-8 file gives the same header, rows and lines, also with a
    /// 4-byte conversion block that splits nearly every character, and in small parallel pieces.
    @Test(arguments: ["GB18030", "UTF-16LE", "UTF-16BE", "WINDOWS-1252"])
    func twinsInEachEncodingReadAsTheUTF8File(iconvName: String) throws {
        let dir = TempDir()
        // Windows-1252 has no Chinese: its twin holds only the Latin rows.
        let text = iconvName == "WINDOWS-1252" ? "id,name,city\n2,\"Zoë, \"\"the\"\" café\",Zürich\n4,x,y\n" : Self.text
        let plain = try scanAll(dir.write("u.csv", text))
        var bytes = try encoded(text, iconvName)
        let encoding: InputEncoding
        switch iconvName {
        case "GB18030": encoding = .gb18030
        case "UTF-16LE": encoding = .utf16; bytes = [0xFF, 0xFE] + bytes
        case "UTF-16BE": encoding = .utf16; bytes = [0xFE, 0xFF] + bytes
        default: encoding = .windows1252
        }
        let path = dir.write("t.csv", bytes: bytes)
        for (block, chunk, chunks) in [(1 << 20, CSVScanner.defaultChunkBytes, 1), (4, 16, 3)] {
            let source = try CSVSource(file: .init(path: path, displayPath: path), delimiter: UInt8(ascii: ","),
                                       encoding: encoding, blockBytes: block)
            let got = try CSVScanner.scan(source, chunkBytes: chunk, maxChunks: chunks) { _ in CollectingSink() }
            #expect(source.header == plain.header)
            #expect(got.flatMap { c in c.sink.rows.map(\.fields) } == plain.rows.map(\.fields))
            #expect(got.flatMap { c in c.sink.rows.map { $0.line + c.firstLine } } == plain.rows.map(\.line))
            #expect(try source.reader.finish().bytes == bytes.count)
        }
    }

    /// SPEC §3.2: an invalid byte in the declared encoding names the file, the line and the byte offset.
    @Test(arguments: [
        // GB18030: 0x80 is no character. "a,b\n" is 4 bytes, "1,x" 3 more: offset 7, line 2.
        (InputEncoding.gb18030, Array("a,b\n1,x".utf8) + [0x80] + Array("\n".utf8), "not GB18030 text (invalid byte sequence at byte offset 7)", 2),
        // Windows-1252 leaves 0x81 undefined. Offset 9 on line 3.
        (.windows1252, Array("a,b\n1,2\n3".utf8) + [0x81] + Array(",4\n".utf8), "not Windows-1252 text (invalid byte sequence at byte offset 9)", 3),
        // UTF-16 LE: after the mark (2 bytes) and "a\n" (4 bytes), a low surrogate DC00 alone: offset 6, line 2.
        (.utf16, [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x00, 0xDC, 0x62, 0x00], "not UTF-16 LE text (invalid byte sequence at byte offset 6)", 2),
    ] as [(InputEncoding, [UInt8], String, Int)])
    func invalidBytesInTheDeclaredEncoding(encoding: InputEncoding, bytes: [UInt8], message: String, line: Int) throws {
        let dir = TempDir()
        let path = dir.write("t.csv", bytes: bytes)
        let key = encoding == .utf16 ? "utf-16" : encoding.rawValue
        #expect(throws: OpsError.runtime("t.csv:\(line): \(message) (inputs.sales.encoding is \"\(key)\")")) {
            let source = try CSVSource(file: .init(path: path, displayPath: "t.csv"), delimiter: UInt8(ascii: ","),
                                       encoding: encoding, setting: "inputs.sales")
            _ = try CSVScanner.scan(source, maxChunks: 1) { _ in CollectingSink() }
        }
    }

    @Test func utf16WithoutAByteOrderMarkIsAnError() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", bytes: try encoded("a,b\n", "UTF-16LE"))
        #expect(throws: OpsError.runtime("t.csv: no UTF-16 byte-order mark at the start (inputs.users.encoding is \"utf-16\"); "
                                         + "UTF-16 is read only with one (FF FE or FE FF): export it again as \"Unicode text\", or as UTF-8")) {
            _ = try CSVSource(file: .init(path: path, displayPath: "t.csv"), delimiter: UInt8(ascii: ","), encoding: .utf16,
                              setting: "inputs.users")
        }
    }

    /// SPEC §3.2: read as UTF-8, the error says what the bytes look like and which setting reads them.
    @Test func notUTF8SaysWhatTheBytesLookLike() throws {
        let dir = TempDir()
        func message(_ bytes: [UInt8], name: String = "t.csv") -> String {
            let path = dir.write(name, bytes: bytes)
            do {
                let source = try CSVSource(file: .init(path: path, displayPath: name), delimiter: UInt8(ascii: ","),
                                           setting: "inputs.sales")
                _ = try CSVScanner.scan(source, maxChunks: 1) { _ in CollectingSink() }
                return "read"
            } catch let e as OpsError { return e.message } catch { return "\(error)" }
        }
        // "id,name\n1," is 10 bytes: the first GB18030 byte of 张三 is at offset 10, line 2.
        #expect(message(try encoded("id,name\n1,张三\n", "GB18030"))
                == "t.csv:2: not UTF-8 text (invalid byte sequence at byte offset 10); the bytes look like GB18030 (GBK) text, "
                + "as Excel writes on a Chinese system: set inputs.sales.encoding: \"gb18030\"")
        #expect(message([0xFF, 0xFE] + (try encoded("a,b\n", "UTF-16LE")))
                == "t.csv:1: not UTF-8 text (invalid byte sequence at byte offset 0); it starts with a UTF-16 LE byte-order mark: "
                + "set inputs.sales.encoding: \"utf-16\"")
        #expect(message(try gzipped(Array("a,b\n1,2\n".utf8)))
                == "t.csv:1: not UTF-8 text (invalid byte sequence at byte offset 1); the bytes are gzip-compressed: "
                + "give the file a name ending in .gz, and it is decompressed as it is read")
        // "Café" in Windows-1252: E9 then a comma, which no GB18030 character has as its second byte.
        #expect(message(Array("a,b\nCaf".utf8) + [0xE9] + Array(",2\n".utf8))
                == "t.csv:2: not UTF-8 text (invalid byte sequence at byte offset 7); the bytes look like Windows-1252 text: "
                + "set inputs.sales.encoding: \"windows-1252\"")
        // Nothing clear: no hint.
        #expect(message(Array("a,b\n1,".utf8) + [0xFF, 0xFF, 0x0A]) == "t.csv:2: not UTF-8 text (invalid byte sequence at byte offset 6)")
    }

    /// SPEC §9: decided by stat before anything is read, so neither a FIFO nor /dev/zero can hang.
    @Test func onlyRegularFilesAreRead() throws {
        let dir = TempDir()
        let fifo = dir.path + "/fifo.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        let cases = [
            (fifo, "is a FIFO (named pipe)"),
            ("/dev/zero", "is a character device"),
            ("/dev/urandom", "is a character device"),
            (dir.path, "is a directory"),
            ("/proc/self/status", "is a /proc or /sys file"),
        ]
        for (path, what) in cases {
            #expect(throws: OpsError.runtime("x: \(what), not a regular file; an input must be a regular file")) {
                _ = try InputReader(file: .init(path: path, displayPath: "x"))
            }
        }
        // A symbolic link to a regular file is read (links are followed).
        let target = dir.write("real.csv", "a\n1\n")
        #expect(symlink(target, dir.path + "/link.csv") == 0)
        #expect(try scanAll(dir.path + "/link.csv").rows.count == 1)
    }

    /// SPEC §9: a file that grows between the open and its last byte is an error.
    @Test func aFileThatGrewWhileReadIsAnError() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", "a,b\n1,2\n")
        let reader = try InputReader(file: .init(path: path, displayPath: "t.csv"))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("3,4\n".utf8))
        try handle.close()
        #expect(throws: OpsError.runtime("t.csv: changed while it was read (its size went from 8 to 12 bytes): an export still "
                                         + "being written? Nothing was published; run again once the file is complete")) {
            _ = try reader.finish()
        }
    }

    /// The same size but a new modification time (rewritten in place) is a change too.
    @Test func aFileModifiedInPlaceWhileReadIsAnError() throws {
        let dir = TempDir()
        let path = dir.write("t.csv", "a,b\n1,2\n")
        let reader = try InputReader(file: .init(path: path, displayPath: "t.csv"))
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(throws: OpsError.runtime("t.csv: changed while it was read (it was modified): an export still "
                                         + "being written? Nothing was published; run again once the file is complete")) {
            _ = try reader.finish()
        }
    }

    @Test func lineEndsAreCountedByKind() throws {
        let dir = TempDir()
        // Header LF; "1,2" lone CR; "3,4" CRLF; a quoted field holding a lone CR; last line without an end.
        let path = dir.write("t.csv", "a,b\n1,2\r3,4\r\n\"x\ry\",5\n6,7")
        let source = try CSVSource(file: .init(path: path, displayPath: path), delimiter: UInt8(ascii: ","))
        let rows = try CSVScanner.scan(source, maxChunks: 1) { _ in CollectingSink() }.flatMap { c in c.sink.rows.map { $0.line + c.firstLine } }
        #expect(rows == [2, 3, 4, 6])
        #expect(source.reader.lineEnds == LineEnds(lf: 2, crlf: 1, cr: 2))
        #expect(source.reader.lineEnds.description == "mixed: 2 LF, 1 CRLF, 2 CR")
        #expect(LineEnds(cr: 3).description == "CR")
    }

    /// Lone CR line ends: pieces are cut after a CR too, and the chunked parse equals the sequential one.
    @Test(arguments: [16, 23, 64])
    func loneCRFilesChunkedEqualSequential(chunkBytes: Int) throws {
        let dir = TempDir()
        var text = "id,note\r"
        for i in 0..<200 { text += i % 7 == 0 ? "\(i),\"two\rlines\"\r" : "\(i),n\(i)\r" }
        let path = dir.write("t.csv", text)
        let sequential = try scanAll(path)
        let chunked = try scanAll(path, chunkBytes: chunkBytes, maxChunks: 4)
        #expect(chunked.rows.map(\.fields) == sequential.rows.map(\.fields))
        #expect(chunked.rows.map(\.line) == sequential.rows.map(\.line))
        // Row 199 starts after the header, 199 rows and the 29 rows 0, 7, …, 196 that take two lines.
        #expect(sequential.rows.last?.line == 1 + 199 + 29 + 1)
    }
}
