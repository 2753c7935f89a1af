import Foundation
import Testing

/// SPEC §8: on a terminal a run shows, per input while it is read, bytes read of the total, rows
/// per second and the time left, redrawn in place; its last line names the report and how many
/// goals were met. When stderr is not a terminal there is no progress at all. The terminal is a
/// pseudo-terminal made by `script -qc` (util-linux), whose transcript is what a user would see.
@Suite struct ProgressTests {
    /// 20 users and 2 sales, no spend file: users and sales are read one after the other, so each
    /// progress line names one input and the transcript's order is fixed.
    static func shop() -> (Workspace, usersBytes: Int, salesBytes: Int) {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" } },
              "targets": [ { "metric": "signups.total", "min": 10 }, { "metric": "revenue.total", "min": 100 } ],
              "output": { "dir": "../reports/{name}-{as_of}" } }
            """)
        let size = { (name: String) in
            (try? FileManager.default.attributesOfItem(atPath: ws.url.appendingPathComponent(name).path)[.size] as? Int) ?? -1
        }
        return (ws, size("data/users.csv"), size("data/sales.csv"))
    }

    /// Runs `opsetl ARGS` under `script -qc`; returns the terminal transcript.
    static func onTerminal(_ ws: Workspace, _ arguments: String) throws -> (status: Int32, transcript: String) {
        let result = try CLI.run(executable: URL(fileURLWithPath: "/usr/bin/script"),
                                 ["-qec", "'\(CLI.binary.path)' \(arguments)", "/dev/null"], in: ws.url)
        return (result.status, result.stdout)
    }

    @Test func progressIsRedrawnInPlaceOnATerminalAndTheLastLineNamesTheReport() throws {
        let (ws, users, sales) = Self.shop()
        let (status, transcript) = try Self.onTerminal(ws, "run pipelines/shop.json")
        #expect(status == 0, "\(transcript)")
        let clear = "\r\u{1B}[2K"
        // Drawn at once when an input starts: nothing read yet, so no speed and no time left.
        #expect(transcript.hasPrefix(clear + "reading users 0% · 0 of \(users) B · 0 rows · … rows/s · … left"))
        #expect(transcript.contains(clear + "reading sales 0% · 0 of \(sales) B · 0 rows · … rows/s · … left"))
        // Drawn once more when it ends, then replaced in place by the input's log line.
        let finished = try Regex(#"\r\x1B\[2Kreading users 100% · \#(users) of \#(users) B · 20 rows · [0-9,]+ rows/s · 0 s left\r\x1B\[2Kopsetl: info: read users: 20 rows from 1 file\(s\), 0 rejected while cleaning\r\n"#)
        #expect(transcript.contains(finished))
        let salesDone = try Regex(#"reading sales 100% · \#(sales) of \#(sales) B · 2 rows · [0-9,]+ rows/s · 0 s left\r\x1B\[2Kopsetl: info: read sales: 2 rows from 1 file\(s\), 0 rejected while cleaning\r\n"#)
        #expect(transcript.contains(salesDone))
        // Every progress drawing starts by clearing the line it replaces: no drawing ends a line.
        #expect(!transcript.contains(try Regex(#"left\r?\n"#)))
        // The last line: the report and the goals (signups 20 ≥ 10 met; revenue 30.00 < 100 missed).
        #expect(transcript.hasSuffix("opsetl: info: done: 2025-01-01 … 2025-01-31; open reports/shop-2025-01-31/report.html; 1 of 2 goals met\r\n"))
    }

    @Test func noProgressWhenStderrIsAFile() throws {
        let (ws, _, _) = Self.shop()
        let quiet = try ws.run("run", "pipelines/shop.json")
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty)
        // --verbose adds the log lines, still without any progress drawing or control character.
        let verbose = try ws.run("run", "pipelines/shop.json", "--verbose")
        #expect(verbose.status == 0)
        #expect(verbose.stderr == """
            opsetl: info: read users: 20 rows from 1 file(s), 0 rejected while cleaning
            opsetl: info: read sales: 2 rows from 1 file(s), 0 rejected while cleaning
            opsetl: info: wrote \(ws.url.path)/reports/shop-2025-01-31
            opsetl: info: done: 2025-01-01 … 2025-01-31; open reports/shop-2025-01-31/report.html; 1 of 2 goals met

            """)
    }

    @Test func quietAndJSONLogsDrawNoProgressEvenOnATerminal() throws {
        let (ws, _, _) = Self.shop()
        let quiet = try Self.onTerminal(ws, "run pipelines/shop.json --quiet")
        #expect(quiet.status == 0)
        #expect(quiet.transcript.isEmpty)
        let json = try Self.onTerminal(ws, "run pipelines/shop.json --log-format json")
        #expect(json.status == 0)
        #expect(!json.transcript.contains("reading ") && !json.transcript.contains("\u{1B}"))
        #expect(json.transcript.contains(#""message":"read users: 20 rows from 1 file(s), 0 rejected while cleaning""#))
    }

    /// Counts in the log lines are grouped for reading.
    @Test func countsAreGrouped() throws {
        let ws = Workspace()
        ws.writeShop()
        var users = "user_id,signup_at,channel\n"
        for i in 1...1_234 { users += "u\(i),2025-01-0\(i % 9 + 1),organic\n" }
        ws.write("data/users.csv", users)
        let result = try ws.run("run", "pipelines/shop.json", "--verbose")
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("opsetl: info: read users: 1,234 rows from 1 file(s), 0 rejected while cleaning\n"))
    }
}

extension CLI {
    /// Runs another program (here `script`) the way `run(_:in:)` runs opsetl.
    static func run(executable: URL, _ arguments: [String], in directory: URL) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}
