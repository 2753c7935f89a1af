import Foundation
import Testing

/// Issue 5, reproducibility: the same inputs and pipeline give byte-identical tables and
/// `summary.json` (less its timings) on every run and with any number of threads — Swift seeds
/// dictionary hashing per process, so separate processes would expose any output that depends on
/// hash order — and `summary.json` traces a report to its exports by SHA-256.
@Suite struct ReproducibilityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theSampleGivesTheSameBytesOnEveryRunAndThreadCount() throws {
        let ws = Workspace()
        let pipeline = Self.root.appendingPathComponent("pipelines/sample.json").path
        for (out, threads) in [("a", "1"), ("b", "8"), ("c", "3")] {
            let result = try ws.run("run", pipeline, "--output", out, "--threads", threads)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let a = try #require(ws.report("a"))
        #expect(a.count >= 10)   // every table, rejects/ and summary.json
        #expect(ws.report("b") == a)
        #expect(ws.report("c") == a)
    }

    @Test func summaryRecordsEachInputsSizeAndSHA256() throws {
        let ws = Workspace()
        let result = try ws.run("run", Self.root.appendingPathComponent("pipelines/sample.json").path, "--output", "out")
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(ws.read("out/summary.json"))
        for name in ["users.csv", "sales_2024.csv", "sales_2025-q1.csv", "sales_2025-q2.csv", "channel_spend.csv", "events.csv"] {
            let file = Self.root.appendingPathComponent("sample-data/\(name)")
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
            let digest = try Self.sha256sum(file.path)
            let entry = "\"path\": \"../sample-data/\(name)\",\n          \"bytes\": \(size),\n          \"sha256\": \"\(digest)\""
            #expect(summary.contains(entry), "\(name)")
        }
    }

    /// Large enough (over two 8 MiB chunks) that files are really cut into chunks parsed on
    /// several threads, with quoted newlines near every cut.
    @Test func chunkedParsingOfALargeFileGivesTheSameBytesAsOneThread() throws {
        let ws = Workspace()
        ws.writeShop()
        var events = "user_id,event,occurred_at,event_id,note\n"
        events.reserveCapacity(20_000_000)
        var i = 0
        while events.utf8.count < 18_000_000 {
            let note = i % 7 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : (i % 11 == 0 ? "bad" : "n\(i % 97)")
            let stamp = i % 13 == 0 ? "not-a-date" : "2025-01-\(String(format: "%02d", 1 + i % 28)) \(String(format: "%02d", i % 24)):\(String(format: "%02d", i % 60))"
            events += "u\(1 + i % 25),step\(i % 5),\(stamp),\(i % 17 == 0 ? "" : "e\(i % 50_000)"),\(note)\n"
            i += 1
        }
        ws.write("data/events.csv", events)
        ws.write("pipelines/big.json", """
            { "version": 1, "name": "big", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" }, "events": { "path": "../data/events.csv" } },
              "cleaning": { "max_reject_rate": 1 },
              "funnel": { "steps": ["signup", "step1", "step2"] } }
            """)
        for (out, threads) in [("one", "1"), ("four", "4")] {
            let result = try ws.run("run", "pipelines/big.json", "--output", out, "--threads", threads)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let one = try #require(ws.report("one"))
        #expect(ws.report("four") == one)
        #expect(ws.read("one/data_quality.csv")?.contains("events,\(i),") == true)
    }

    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }
}
