import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §3.2 (encodings, `.gz`) and §9 (inputs are regular files; the checksum is of the bytes
/// parsed; a file that changes while read is exit 1), through the CLI with exact messages.
@Suite struct InputFileTests {
    /// Runs a tool on `input` and returns its stdout (binary fixtures are made here, not committed).
    static func tool(_ path: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](out)
    }

    static func gzip(_ text: String) throws -> [UInt8] { try tool("/usr/bin/gzip", ["-c", "-n"], input: Array(text.utf8)) }
    static func iconv(_ text: String, _ to: String) throws -> [UInt8] {
        try tool("/usr/bin/iconv", ["-f", "UTF-8", "-t", to], input: Array(text.utf8))
    }
    static func sha256(_ bytes: [UInt8]) throws -> String {
        String(decoding: try tool("/usr/bin/sha256sum", [], input: bytes).prefix(64), as: UTF8.self)
    }

    static func writeBytes(_ ws: Workspace, _ name: String, _ bytes: [UInt8]) {
        let url = ws.url.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: url)
    }

    /// A shop whose `users`/`sales` entries are given (JSON), with a lenient gate, written to `out/`.
    static func shop(users: String = #"{ "path": "../data/users.csv" }"#, sales: String = #"{ "path": "../data/sales.csv" }"#) -> Workspace {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/p.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31",
              "inputs": { "users": \(users), "sales": \(sales) },
              "cleaning": { "max_reject_rate": 1 },
              "output": { "dir": "../out" } }
            """)
        return ws
    }

    static let sales = "order_id,user_id,ordered_at,amount,status\no1,u5,2025-01-10,10.00,paid\n\n\"o\n2\",u6,2025-01-11,2x,paid\n"

    // MARK: - gzip

    /// A `.gz` input: its reject's line counts decompressed lines (header 1, o1 2, a blank line 3,
    /// the quoted two-line order id 4–5), and summary.json has the stored file's size and SHA-256.
    @Test func aGzipInputIsDecompressedWhileRead() throws {
        let ws = Self.shop(sales: #"{ "path": "../data/sales.csv.gz" }"#)
        let stored = try Self.gzip(Self.sales)
        Self.writeBytes(ws, "data/sales.csv.gz", stored)
        let result = try ws.run("run", "pipelines/p.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("out/rejects/sales.csv")?.contains("\n../data/sales.csv.gz,4,bad_number:amount,\"o\n2\",u6,2025-01-11,2x,paid\n") == true)
        let summary = try #require(ws.read("out/summary.json"))
        #expect(summary.contains("\"path\": \"../data/sales.csv.gz\",\n"))
        #expect(summary.contains("\"bytes\": \(stored.count),\n"))
        #expect(summary.contains("\"sha256\": \"\(try Self.sha256(stored))\""))
    }

    /// A glob matching a plain file and a `.gz` one reads both; the `.gz` file's reject is at its own decompressed line.
    @Test func aGzipFileInAGlob() throws {
        let ws = Self.shop(sales: #"{ "path": "../data/sales_*" }"#)
        ws.write("data/sales_1.csv", "order_id,user_id,ordered_at,amount,status\no1,u5,2025-01-10,10.00,paid\n")
        Self.writeBytes(ws, "data/sales_2.csv.gz", try Self.gzip("order_id,user_id,ordered_at,amount,status\no2,u6,2025-01-11,20.00,paid\n\no3,u7,2025-01-12,bad,paid\n"))
        let result = try ws.run("run", "pipelines/p.json")
        #expect(result.status == 0, "\(result.stderr)")
        // data_quality: sales read 3 rows, kept 2, 1 rejected.
        #expect(ws.read("out/data_quality.csv")?.contains("\nsales,3,2,1,") == true)
        #expect(ws.read("out/rejects/sales.csv")?.contains("\n../data/sales_2.csv.gz,4,bad_number:amount,o3,u7,2025-01-12,bad,paid\n") == true)
    }

    @Test func aTruncatedGzipInputIsExit1() throws {
        let ws = Self.shop(sales: #"{ "path": "../data/sales.csv.gz" }"#)
        let stored = try Self.gzip(Self.sales)
        Self.writeBytes(ws, "data/sales.csv.gz", Array(stored.prefix(stored.count - 8)))
        let result = try ws.run("run", "pipelines/p.json")
        #expect(result.status == 1)
        #expect(result.stderr == "opsetl: error: ../data/sales.csv.gz: truncated gzip data: the file ends inside the compressed stream "
                + "(\(stored.count - 8) bytes; a download or copy cut short?)\n")
        #expect(!ws.exists("out"))
    }

    // MARK: - Encodings

    /// Users with Chinese channels, written in GB18030 and UTF-16 (LE and BE, with the mark):
    /// every output but summary.json (which holds the files' checksums) is byte-identical to the UTF-8 run.
    @Test func encodedTwinsGiveTheSameReport() throws {
        let users = "user_id,signup_at,channel\n" + (1...20).map { i in
            "u\(i),2025-01-\(String(format: "%02d", i)),\(["微信", "抖音", "Zoë’s café"][i % 3])\n" }.joined()
        let base = Self.shop()
        base.write("data/users.csv", users)
        #expect(try base.run("run", "pipelines/p.json").status == 0)
        let expected = try #require(base.report("out")).filter { $0.key != "summary.json" }
        #expect(expected["channel_roi.csv"].map { String(decoding: $0, as: UTF8.self).contains("微信") } == true)
        for (name, bytes) in [("gb18030", try Self.iconv(users, "GB18030")),
                              ("utf-16", [0xFF, 0xFE] + (try Self.iconv(users, "UTF-16LE"))),
                              ("utf-16", [0xFE, 0xFF] + (try Self.iconv(users, "UTF-16BE")))] {
            let ws = Self.shop(users: #"{ "path": "../data/users.csv", "encoding": "\#(name)" }"#)
            Self.writeBytes(ws, "data/users.csv", bytes)
            let result = try ws.run("run", "pipelines/p.json")
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(try #require(ws.report("out")).filter { $0.key != "summary.json" } == expected, "\(name)")
            #expect(ws.read("out/summary.json")?.contains("\"bytes\": \(bytes.count),\n") == true)
        }
    }

    @Test func aWindows1252TwinGivesTheSameReport() throws {
        let users = "user_id,signup_at,channel\n" + (1...20).map { i in
            "u\(i),2025-01-\(String(format: "%02d", i)),\(["Zoë’s café", "Señal", "organic"][i % 3])\n" }.joined()
        let base = Self.shop()
        base.write("data/users.csv", users)
        #expect(try base.run("run", "pipelines/p.json").status == 0)
        let ws = Self.shop(users: #"{ "path": "../data/users.csv", "encoding": "windows-1252" }"#)
        Self.writeBytes(ws, "data/users.csv", try Self.iconv(users, "WINDOWS-1252"))
        #expect(try ws.run("run", "pipelines/p.json").status == 0)
        #expect(try #require(ws.report("out")).filter { $0.key != "summary.json" }
                == (try #require(base.report("out")).filter { $0.key != "summary.json" }))
    }

    /// An invalid byte in each declared encoding: exit 1 naming the file, line and byte offset; nothing published.
    @Test(arguments: [
        // "user_id,signup_at,channel\n" is 26 bytes; "u1,2025-01-01," 14 more: the bad byte is at offset 40, line 2.
        ("gb18030", [UInt8](Array("user_id,signup_at,channel\nu1,2025-01-01,".utf8)) + [0x80, 0x0A], "GB18030", 40),
        ("windows-1252", [UInt8](Array("user_id,signup_at,channel\nu1,2025-01-01,".utf8)) + [0x81, 0x0A], "Windows-1252", 40),
        // UTF-16 LE: the mark, then 2 bytes per character: a lone low surrogate after 40 characters is at 2 + 80 = 82.
        ("utf-16", [0xFF, 0xFE] + Array("user_id,signup_at,channel\nu1,2025-01-01,".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            + [0x00, 0xDC, 0x0A, 0x00], "UTF-16 LE", 82),
    ] as [(String, [UInt8], String, Int)])
    func anInvalidByteInTheDeclaredEncoding(encoding: String, bytes: [UInt8], name: String, offset: Int) throws {
        let ws = Self.shop(users: #"{ "path": "../data/users.csv", "encoding": "\#(encoding)" }"#)
        Self.writeBytes(ws, "data/users.csv", bytes)
        let result = try ws.run("run", "pipelines/p.json")
        #expect(result.status == 1)
        #expect(result.stderr == "opsetl: error: ../data/users.csv:2: not \(name) text (invalid byte sequence at byte offset \(offset)) "
                + "(inputs.users.encoding is \"\(encoding)\")\n")
        #expect(!ws.exists("out"))
    }

    /// Read as UTF-8, a GB18030 export gets the hint that reads it.
    @Test func aGB18030FileReadAsUTF8SaysWhichSettingReadsIt() throws {
        let ws = Self.shop()
        // "user_id,signup_at,channel\n" is 26 bytes, "u1,2025-01-01," 14: 微 (CE A2) starts at offset 40 on line 2,
        // but CE A2 happens to be valid UTF-8 (U+03A2); 信 (D0 C5) at offset 42 is the first byte that is not.
        Self.writeBytes(ws, "data/users.csv", try Self.iconv("user_id,signup_at,channel\nu1,2025-01-01,微信\n", "GB18030"))
        let result = try ws.run("run", "pipelines/p.json")
        #expect(result.status == 1)
        #expect(result.stderr == "opsetl: error: ../data/users.csv:2: not UTF-8 text (invalid byte sequence at byte offset 42); "
                + "the bytes look like GB18030 (GBK) text, as Excel writes on a Chinese system: set inputs.users.encoding: \"gb18030\"\n")
    }

    @Test func anUnknownEncodingIsExit2WithTheList() throws {
        let ws = Self.shop(users: #"{ "path": "../data/users.csv", "encoding": "latin1" }"#)
        let result = try ws.run("run", "pipelines/p.json")
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("inputs.users.encoding: \"latin1\" is not an encoding opsetl reads; "
                                        + "expected one of utf-8, gb18030, utf-16, windows-1252\n"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    // MARK: - Regular files only

    /// A FIFO (also matched by a glob), /dev/zero, /dev/urandom, a directory and a /proc file are
    /// exit 1 naming the file, decided before anything is read: none of them can hang the run.
    @Test func onlyRegularFilesAreInputs() throws {
        let ws = Self.shop(sales: #"{ "path": "../data/sales_*.csv" }"#)
        ws.write("data/sales_1.csv", "order_id,user_id,ordered_at,amount,status\no1,u5,2025-01-10,10.00,paid\n")
        #expect(mkfifo(ws.url.appendingPathComponent("data/sales_2.csv").path, 0o600) == 0)
        var result = try ws.run("run", "pipelines/p.json")
        #expect(result.status == 1)
        #expect(result.stderr == "opsetl: error: ../data/sales_2.csv: is a FIFO (named pipe), not a regular file; an input must be a regular file\n")
        for (path, what) in [("/dev/zero", "a character device"), ("/dev/urandom", "a character device"),
                             ("/proc/self/status", "a /proc or /sys file"), ("../data", "a directory")] {
            let ws = Self.shop(users: #"{ "path": "\#(path)" }"#)
            result = try ws.run("run", "pipelines/p.json")
            #expect(result.status == 1, "\(path)")
            #expect(result.stderr == "opsetl: error: \(path): is \(what), not a regular file; an input must be a regular file\n")
            #expect(!ws.exists("out"))
        }
        // /dev/stdin is whatever stdin is (a pipe or /dev/null): never a regular file here.
        let stdinShop = Self.shop(users: #"{ "path": "/dev/stdin" }"#)
        result = try stdinShop.run("run", "pipelines/p.json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("/dev/stdin: is a ") && result.stderr.hasSuffix(", not a regular file; an input must be a regular file\n"))
    }

    // MARK: - A file that changes while read

    /// The run stops after the last byte of sales.csv is read (the test pause hook, no timing), a
    /// row is appended, and the run goes on: exit 1 naming the file, and nothing is published.
    @Test func aFileAppendedToWhileReadIsExit1AndNothingIsPublished() throws {
        let ws = Self.shop()
        let run = try RunningCLI(["run", "pipelines/p.json"], in: ws.url,
                                 environment: ["OPSETL_TEST_PAUSE_AT": "read ../data/sales.csv"], resumable: true)
        try #require(run.waitForStderr("paused at read ../data/sales.csv"))
        let before = try #require(ws.read("data/sales.csv")).utf8.count
        let handle = try #require(FileHandle(forWritingAtPath: ws.url.appendingPathComponent("data/sales.csv").path))
        handle.seekToEndOfFile()
        handle.write(Data("o3,u7,2025-01-12,30.00,paid\n".utf8))
        try handle.close()
        run.resume()
        let result = run.finish()
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("opsetl: error: ../data/sales.csv: changed while it was read (its size went from \(before) to "
                                        + "\(before + 28) bytes): an export still being written? Nothing was published; run again once the file is complete\n"))
        #expect(!ws.exists("out"))
    }

    // MARK: - inspect

    static func inspect(_ ws: Workspace, _ name: String, _ bytes: [UInt8]) throws -> CLIResult {
        writeBytes(ws, name, bytes)
        return try ws.run("inspect", name, "--rows", "0")
    }

    /// `inspect` reads each kind of file instead of failing, and names the setting that reads it.
    @Test func inspectDetectsCompressionAndEncodings() throws {
        let ws = Workspace()
        let text = "id,city\n1,北京\n2,Zürich\n"
        func lines(_ r: CLIResult) -> [String] { r.stdout.split(separator: "\n").map(String.init) }

        let gz = try Self.gzip(text)
        var r = try Self.inspect(ws, "a.csv.gz", gz)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(lines(r) == ["file:        a.csv.gz", "size:        \(gz.count) bytes (\(text.utf8.count) bytes decompressed)",
                             "compression: gzip: decompressed as it is read (the path ends in .gz)",
                             "encoding:    UTF-8", "line ends:   LF", "delimiter:   \",\" (guessed)", "columns:     2: id, city",
                             "rows:        2 data rows"])

        r = try Self.inspect(ws, "b.csv", gz)
        #expect(lines(r)[2] == "compression: gzip, though the name does not end in .gz: a run decompresses a file only when its path ends in .gz")
        #expect(lines(r)[7] == "rows:        2 data rows")

        r = try Self.inspect(ws, "le.csv", [0xFF, 0xFE] + (try Self.iconv(text, "UTF-16LE")))
        #expect(lines(r)[2] == "encoding:    UTF-16 LE with byte-order mark: a pipeline reads it with \"encoding\": \"utf-16\"")
        #expect(lines(r)[5] == "columns:     2: id, city")
        r = try Self.inspect(ws, "be.csv", [0xFE, 0xFF] + (try Self.iconv(text, "UTF-16BE")))
        #expect(lines(r)[2] == "encoding:    UTF-16 BE with byte-order mark: a pipeline reads it with \"encoding\": \"utf-16\"")
        #expect(lines(r)[6] == "rows:        2 data rows")

        r = try Self.inspect(ws, "nobom.csv", try Self.iconv(text, "UTF-16LE"))
        #expect(lines(r)[2] == "encoding:    UTF-16 LE without a byte-order mark: no setting reads it (\"utf-16\" needs the mark); "
                + "export it again as UTF-8 or as \"Unicode text\"")
        #expect(lines(r)[6] == "rows:        2 data rows")

        r = try Self.inspect(ws, "gb.csv", try Self.iconv(text, "GB18030"))
        #expect(lines(r)[2] == "encoding:    GB18030 (likely; not UTF-8): a pipeline reads it with \"encoding\": \"gb18030\"")
        #expect(lines(r)[6] == "rows:        2 data rows")

        r = try Self.inspect(ws, "w.csv", try Self.iconv("id,city\n1,Zürich\n", "WINDOWS-1252"))
        #expect(lines(r)[2] == "encoding:    Windows-1252 (likely; not UTF-8): a pipeline reads it with \"encoding\": \"windows-1252\"")

        // Given, not guessed.
        r = try ws.run("inspect", "gb.csv", "--encoding", "gb18030", "--rows", "1")
        #expect(lines(r)[2] == "encoding:    GB18030: a pipeline reads it with \"encoding\": \"gb18030\"")
        #expect(r.stdout.contains("1  | 北京"))
    }

    /// SPEC §9: a lone CR ends a line as LF does (rejects/ lines count it); inspect names it.
    @Test func inspectReportsLoneCRLineEnds() throws {
        let ws = Workspace()
        var r = try Self.inspect(ws, "cr.csv", Array("id,n\r1,2\r3,4\r".utf8))
        #expect(r.stdout.contains("\nline ends:   CR\n"))
        #expect(r.stdout.contains("\nrows:        2 data rows\n"))
        r = try Self.inspect(ws, "mixed.csv", Array("id,n\n1,2\r3,4\r\n".utf8))
        #expect(r.stdout.contains("\nline ends:   mixed: 1 LF, 1 CRLF, 1 CR\n"))
    }
}
