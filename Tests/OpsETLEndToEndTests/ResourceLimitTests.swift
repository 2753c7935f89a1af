import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, resource limits and hostile files: each gets a clear one-line error with the exit
/// code of SPEC §8, or is handled as data. The files replace `data/channels.csv` (or users) of
/// the small shop, so everything else about the run stays valid.
@Suite struct ResourceLimitTests {
    static func shop() -> Workspace {
        let ws = Workspace()
        ws.writeShop()
        return ws
    }

    static func writeBytes(_ ws: Workspace, _ name: String, _ bytes: [UInt8]) {
        try! Data(bytes).write(to: ws.url.appendingPathComponent(name))
    }

    @Test func aTenMegabyteFieldIsData() throws {
        let ws = Self.shop()
        let big = String(repeating: "x", count: 10_000_000)
        ws.write("data/users.csv", "user_id,signup_at,channel,country\nu1,2025-01-01,organic,\"\(big)\"\n"
                 + (2...20).map { "u\($0),2025-01-02,organic,CN\n" }.joined())
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("reports/shop-2025-01-31/data_quality.csv")?.contains("users,20,20,0,") == true)

        // In a rejected row it goes to rejects/ whole.
        ws.write("data/users.csv", "user_id,signup_at,channel,country\n" + (1...30).map { "u\($0),2025-01-01,organic,CN\n" }.joined()
                 + "u99,not-a-date,organic,\(big)\n")
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        let rejects = try #require(ws.read("reports/shop-2025-01-31/rejects/users.csv"))
        #expect(rejects.utf8.count > 10_000_000 && rejects.contains("u99,not-a-date,organic,xxx"))
    }

    @Test func aRowOfOneHundredThousandColumnsIsAMalformedRowKeptWhole() throws {
        let ws = Self.shop()
        let wide = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        ws.write("data/users.csv", "user_id,signup_at\n" + (1...30).map { "u\($0),2025-01-01\n" }.joined() + "u99,2025-01-02,\(wide)\n")
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        let rejects = try #require(ws.read("reports/shop-2025-01-31/rejects/users.csv"))
        #expect(rejects.hasPrefix("file,line,reason,user_id,signup_at\n../data/users.csv,32,malformed_row,u99,2025-01-02,c0,c1,"))
        #expect(rejects.hasSuffix(",c99999\n"))
    }

    @Test func aHeaderOfOneHundredThousandColumnsWorksAndErrorsAboutItStayShort() throws {
        let ws = Self.shop()
        let extra = (0..<100_000).map { "col\($0)" }.joined(separator: ",")
        let values = (0..<100_000).map { _ in "v" }.joined(separator: ",")
        ws.write("data/users.csv", "user_id,signup_at,\(extra)\n" + (1...20).map { "u\($0),2025-01-01,\(values)\n" }.joined())
        let ok = try ws.run("run", "pipelines/shop.json")
        #expect(ok.status == 0, "\(ok.stderr)")

        ws.write("data/users.csv", "id,signup_at,\(extra)\nu1,2025-01-01,\(values)\n")
        let bad = try ws.run("run", "pipelines/shop.json")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix(#"opsetl: error: ../data/users.csv: required column "user_id" not found; headers found: "id", "signup_at", "col0""#))
        #expect(bad.stderr.contains("… and 99982 more"))
        #expect(bad.stderr.utf8.count < 1_000 && bad.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: [("header only", "date,channel,spend\n"), ("empty", ""), ("blank lines only", "\n\r\n\n")])
    func anInputWithoutDataRowsIsEmptyAndWarned(kind: String, text: String) throws {
        let ws = Self.shop()
        ws.write("data/channels.csv", text)
        // With min_rows 0 an empty input is allowed (a warning); the default 1 fails the gate (QualityGateTests).
        let json = try #require(ws.read("pipelines/shop.json"))
        ws.write("pipelines/shop.json", json.replacingOccurrences(of: #""../data/channels.csv" }"#,
                                                                  with: #""../data/channels.csv", "min_rows": 0 }"#))
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(kind): \(result.stderr)")
        #expect(result.stderr == "opsetl: warning: input channels has no data rows\n")
        #expect(ws.read("reports/shop-2025-01-31/data_quality.csv")?.contains("channels,0,0,0,0,0,0,0,0.000000") == true)
    }

    @Test func aFileWithoutAFinalNewlineKeepsItsLastRow() throws {
        let ws = Self.shop()
        ws.write("data/channels.csv", "date,channel,spend\n2025-01-01,facebook,100\n2025-01-02,google,50")
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        #expect(ws.read("reports/shop-2025-01-31/data_quality.csv")?.contains("channels,2,2,0,") == true)
    }

    @Test func aBinaryFileIsNotUTF8() throws {
        let ws = Self.shop()
        // The first bytes of a gzip file, as an export that was never unpacked would start.
        Self.writeBytes(ws, "data/channels.csv", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xED, 0x5A])
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 1)
        #expect(result.stderr == "opsetl: error: ../data/channels.csv:1: not UTF-8 text (invalid byte sequence at byte offset 1); "
                + "the bytes are gzip-compressed: give the file a name ending in .gz, and it is decompressed as it is read\n")
    }

    @Test func aFileOfZeroBytesCharactersIsAHeaderProblemOnOneLine() throws {
        let ws = Self.shop()
        Self.writeBytes(ws, "data/channels.csv", [UInt8](repeating: 0, count: 5_000) + [0x0A, 0x01, 0x02])
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(#"opsetl: error: ../data/channels.csv: required column "date" not found; headers found: "\u{0}\u{0}"#))
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.utf8.count < 1_000)
    }

    @Test func aRecordLongerThan64MiBStopsTheRunNamingItsLine() throws {
        let ws = Self.shop()
        // A quote that never closes: without a limit the rest of the file would become one field.
        var bytes = Array("date,channel,spend\n2025-01-01,facebook,100\n2025-01-02,\"google,50\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 65 << 20)
        Self.writeBytes(ws, "data/channels.csv", bytes)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 1)
        #expect(result.stderr == "opsetl: error: ../data/channels.csv:3: a record longer than 64 MiB starts here (a quote that is never closed?); stopped rather than read the rest of the file as one field\n")
        #expect(!ws.exists("reports/shop-2025-01-31"))
    }

    @Test func aFolderWhereAFileShouldBe() throws {
        let ws = Self.shop()
        try FileManager.default.removeItem(at: ws.url.appendingPathComponent("data/channels.csv"))
        try FileManager.default.createDirectory(at: ws.url.appendingPathComponent("data/channels.csv"), withIntermediateDirectories: true)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 1)
        #expect(result.stderr == "opsetl: error: ../data/channels.csv: is a directory, not a regular file; an input must be a regular file\n")
    }

    @Test func aMissingFileAndAGlobMatchingNothing() throws {
        let ws = Self.shop()
        try FileManager.default.removeItem(at: ws.url.appendingPathComponent("data/channels.csv"))
        let missing = try ws.run("run", "pipelines/shop.json")
        #expect(missing.status == 1)
        #expect(missing.stderr == "opsetl: error: ../data/channels.csv: cannot open: No such file or directory\n")

        ws.write("pipelines/glob.json", """
            { "version": 1, "as_of": "2025-01-31", "inputs": { "users": { "path": "../data/users.csv" },
              "sales": { "path": "../data/sales.csv" }, "channels": { "path": "../data/spend_*.csv" } } }
            """)
        let glob = try ws.run("run", "pipelines/glob.json")
        #expect(glob.status == 1)
        #expect(glob.stderr == "opsetl: error: ../data/spend_*.csv: inputs.channels.path matches no file\n")
    }

    /// Root reads any file, so as root the run is repeated as `nobody` (setpriv, util-linux).
    @Test func anUnreadableFile() throws {
        let ws = Self.shop()
        let file = ws.url.appendingPathComponent("data/channels.csv").path
        chmod(file, 0)
        var arguments = ["run", "pipelines/shop.json"]
        var executable = CLI.binary.path
        if getuid() == 0 {
            let setpriv = "/usr/bin/setpriv"
            try #require(FileManager.default.isExecutableFile(atPath: setpriv), "setpriv (util-linux) is needed to test unreadable files as root")
            // A copy of the binary inside the workspace, so `nobody` can run it wherever the
            // checkout lives; nobody may also create reports/ there.
            let copy = ws.url.appendingPathComponent("opsetl").path
            try FileManager.default.copyItem(atPath: executable, toPath: copy)
            chmod(copy, 0o755)
            chmod(ws.url.path, 0o777)
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", copy] + arguments
            executable = setpriv
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = ws.url
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr == "opsetl: error: ../data/channels.csv: cannot open: Permission denied\n")
    }

    @Test func anOutputPathThatIsAFile() throws {
        let ws = Self.shop()
        ws.write("reports/shop-2025-01-31", "not a folder")
        let result = try ws.run("run", "pipelines/shop.json")
        // SPEC §9 "Output folder safety": anything but a folder it may replace is exit 2, checked
        // before anything is read, locked or written.
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("/reports/shop-2025-01-31 exists and is not a folder; nothing was touched\n"))
        #expect(ws.read("reports/shop-2025-01-31") == "not a folder")
        #expect(ws.listing("reports") == ["shop-2025-01-31"])
    }
}
