import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// docs/partitioned.md: a partitioned run — `run --partitions N` or the `opsetl part` stages driven one by one,
/// as an external engine drives them — writes byte for byte what `opsetl run` writes (summary.json
/// less its timings and its `execution` section), on a shop with duplicates across files, unknown
/// users, rejects and no explicit since/as_of; a corrupt intermediate file is exit 1 naming it; the
/// scratch folder is removed, also one a killed run left behind.
@Suite struct PartitionedRunTests {
    /// `opsetl sample` (400 users) with planted trouble, read through globs:
    /// - users_b.csv repeats 10 users of users.csv (a duplicate in another file: the first is kept,
    ///   both have the same signup) with another channel, and 2 rows with a bad signup (rejects);
    /// - sales_9.csv repeats 30 orders of sales_1.csv with a later updated_at and another amount (the
    ///   later file's row wins, SPEC §3.4), and 5 orders of users that do not exist (unknown_user);
    /// - events_b.csv repeats 40 events by event_id, 20 events without event_id twice each (tuple
    ///   duplicates), and 5 events of unknown users;
    /// - the pipeline has no since/as_of (both come from the data) and allows the reject rate.
    static func writeShop(_ ws: Workspace) throws {
        let made = try ws.run("sample", "--users", "400", "--seed", "14", "--out", "shop")
        #expect(made.status == 0, "\(made.stderr)")
        func lines(_ name: String) throws -> [String] {
            try #require(ws.read("shop/\(name)")).split(separator: "\n").map(String.init)
        }
        let users = try lines("users.csv")
        var usersB = [users[0]]
        for line in users[1...10] {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[2] = "fb"
            usersB.append(f.joined(separator: ","))
        }
        usersB += ["bad-1,not-a-date,organic,DE", "bad-2,2025-13-45,email,FR"]
        ws.write("shop/users_b.csv", usersB.joined(separator: "\n") + "\n")

        let sales = try lines("sales_1.csv")
        var salesB = [sales[0]]
        for line in sales[1...30] {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[3] = "77.70"
            f[5] = "2025-12-30 23:00:00"
            salesB.append(f.joined(separator: ","))
        }
        for i in 1...5 { salesB.append("ghost-order-\(i),ghost-\(i),2025-06-0\(i) 10:00:00,12.50,paid,") }
        ws.write("shop/sales_9.csv", salesB.joined(separator: "\n") + "\n")

        let events = try lines("events.csv")
        var eventsB = [events[0]]
        eventsB += events[1...40]
        for line in events[41...60] {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[0] = ""
            eventsB += [f.joined(separator: ","), f.joined(separator: ",")]
        }
        for i in 1...5 { eventsB.append("ghost-event-\(i),ghost-\(i),view_item,2025-07-0\(i) 09:00:00") }
        ws.write("shop/events_b.csv", eventsB.joined(separator: "\n") + "\n")

        var pipeline = try #require(ws.read("shop/pipeline.json"))
        pipeline = pipeline.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("\"since\"") && !$0.contains("\"as_of\"") }.joined(separator: "\n")
        pipeline = pipeline.replacingOccurrences(of: "\"users.csv\"", with: "\"users*.csv\"")
            .replacingOccurrences(of: "\"events.csv\"", with: "\"events*.csv\"")
            .replacingOccurrences(of: "\"max_reject_rate\": 0.05", with: "\"max_reject_rate\": 0.5")
        ws.write("shop/pipeline.json", pipeline)
    }

    /// `Workspace.report` with `summary.json`'s `execution` section removed too.
    static func report(_ ws: Workspace, _ dir: String) -> [String: Data]? {
        guard var files = ws.report(dir) else { return nil }
        if let summary = files["summary.json"] {
            let text = String(decoding: summary, as: UTF8.self)
            files["summary.json"] = Data(text.replacingOccurrences(of: #",\s*"execution": \{[^}]*\}"#, with: "",
                                                                   options: .regularExpression).utf8)
        }
        return files
    }

    static func expectSame(_ a: [String: Data], _ b: [String: Data]?, _ label: String) {
        guard let b else {
            Issue.record("\(label): no output")
            return
        }
        #expect(Set(a.keys) == Set(b.keys), "\(label): files differ")
        for (name, data) in a where b[name] != data {
            Issue.record("\(label): \(name) differs")
        }
    }

    @Test func localPartitionsWriteTheSameBytesAsRun() throws {
        let ws = Workspace()
        try Self.writeShop(ws)
        let single = try ws.run("run", "shop/pipeline.json", "--output", "out/single")
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try #require(Self.report(ws, "out/single"))
        // Every kind of output is there, rejects of three inputs included.
        for name in ["data_quality.csv", "rejects/users.csv", "rejects/sales.csv", "rejects/events.csv", "funnel.csv",
                     "cohort_retention.csv", "channel_roi.csv", "goals.csv", "suggestions.csv", "report.html", "report.md", "summary.json"] {
            #expect(expected[name] != nil, "\(name)")
        }
        // The planted rows reach the ledger: unknown users in sales and events, duplicates in all three.
        let quality = String(decoding: expected["data_quality.csv"]!, as: UTF8.self)
        #expect(String(decoding: expected["rejects/sales.csv"]!, as: UTF8.self).contains("ghost-order-3"))
        #expect(String(decoding: expected["rejects/events.csv"]!, as: UTF8.self).contains("ghost-event-5"))
        #expect(quality.contains("unknown_user"))
        for n in ["1", "3", "16"] {
            let r = try ws.run("run", "shop/pipeline.json", "--output", "out/p\(n)", "--partitions", n)
            #expect(r.status == 0, "N=\(n): \(r.stderr)")
            Self.expectSame(expected, Self.report(ws, "out/p\(n)"), "N=\(n)")
            #expect(ws.read("out/p\(n)/summary.json")?.contains("\"partitions\": \(n)") == true)
        }
        // One thread: every task and partition one after another, a map task handing over piece by piece.
        let one = try ws.run("run", "shop/pipeline.json", "--output", "out/p3t1", "--partitions", "3", "--threads", "1")
        #expect(one.status == 0, "\(one.stderr)")
        Self.expectSame(expected, Self.report(ws, "out/p3t1"), "N=3 --threads 1")
        // The scratch folder is gone; only the reports (and their lock files) remain.
        #expect(!ws.listing("out").contains { $0.hasPrefix(".opsetl-scratch-") })
    }

    /// Every SPEC v2 analysis (cumulative and day-N retention, an any-order funnel by country, trends
    /// by channel and country with a time-bound target), no spend input, unknown users ignored
    /// rather than rejected, statuses excluded: still the same bytes at N = 3 and 16.
    @Test func everyAnalysisWithoutSpendAndIgnoredUnknownsWritesTheSameBytes() throws {
        let ws = Workspace()
        try Self.writeShop(ws)
        var pipeline = try #require(ws.read("shop/pipeline.json"))
        pipeline = pipeline.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("\"channels\"") }.joined(separator: "\n")
        pipeline = pipeline
            .replacingOccurrences(of: "\"unknown_users\": \"reject\"", with: "\"unknown_users\": \"ignore\"")
            .replacingOccurrences(of: "\"activity\": [\"purchase\"] }",
                                  with: "\"activity\": [\"purchase\", \"view_item\"], \"cumulative\": true, \"days\": [0, 1, 7, 30] },\n"
                                      + "  \"trends\": { \"period\": \"month\", \"periods\": 6, \"by_channel\": true, \"by_country\": true }")
            .replacingOccurrences(of: "\"by_channel\": true }", with: "\"by_channel\": true, \"by_country\": true, \"order\": \"any\" }")
            .replacingOccurrences(of: "\"targets\": [",
                                  with: "\"targets\": [\n    { \"metric\": \"trend.signups\", \"increase_by_rate\": 0.3, \"start\": \"2025-03-03\", \"by\": \"2025-12-31\" },")
        #expect(pipeline.contains("\"order\": \"any\"") && pipeline.contains("\"days\"") && !pipeline.contains("channel_spend"))
        ws.write("shop/v2.json", pipeline)
        let single = try ws.run("run", "shop/v2.json", "--output", "out/single")
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try #require(Self.report(ws, "out/single"))
        for name in ["day_retention.csv", "trends.csv", "funnel.csv", "channel_roi.csv"] { #expect(expected[name] != nil, "\(name)") }
        // Ignored unknown users are counted, not written as rejects.
        let quality = String(decoding: expected["data_quality.csv"]!, as: UTF8.self).split(separator: "\n")
        let header = quality[0].split(separator: ",", omittingEmptySubsequences: false)
        let ignored = try #require(header.firstIndex(of: "unknown_user_ignored"))
        for input in ["sales,", "events,"] {
            let row = try #require(quality.first { $0.hasPrefix(input) }).split(separator: ",", omittingEmptySubsequences: false)
            #expect(Int(row[ignored]) == 5, "\(input) \(row)")
        }
        #expect(!(expected["rejects/sales.csv"].map { String(decoding: $0, as: UTF8.self).contains("ghost-order") } ?? false))
        #expect(String(decoding: expected["funnel.csv"]!, as: UTF8.self).contains("country:"))
        for n in ["3", "16"] {
            let r = try ws.run("run", "shop/v2.json", "--output", "out/p\(n)", "--partitions", n)
            #expect(r.status == 0, "N=\(n): \(r.stderr)")
            Self.expectSame(expected, Self.report(ws, "out/p\(n)"), "v2 N=\(n)")
        }
    }

    @Test func rowsAfterAnExplicitAsOfAreCountedTheSameWay() throws {
        let ws = Workspace()
        try Self.writeShop(ws)
        let single = try ws.run("run", "shop/pipeline.json", "--as-of", "2025-09-30", "--output", "out/single")
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try #require(Self.report(ws, "out/single"))
        // The sample runs to December: September's as_of leaves rows after it in sales and events.
        let quality = String(decoding: expected["data_quality.csv"]!, as: UTF8.self).split(separator: "\n")
        let header = quality[0].split(separator: ",", omittingEmptySubsequences: false)
        let column = try #require(header.firstIndex(of: "after_as_of"))
        let sales = try #require(quality.first { $0.hasPrefix("sales,") }).split(separator: ",", omittingEmptySubsequences: false)
        #expect(Int(sales[column]) ?? 0 > 0)
        let r = try ws.run("run", "shop/pipeline.json", "--as-of", "2025-09-30", "--output", "out/p3", "--partitions", "3")
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectSame(expected, Self.report(ws, "out/p3"), "as_of N=3")
    }

    /// The stages one by one, as `scripts/opsetl-spark` drives them, with files given out of order
    /// and one map task run twice (a retry): still the same bytes.
    @Test func externallyDrivenStagesWriteTheSameBytesAsRun() throws {
        let ws = Workspace()
        try Self.writeShop(ws)
        let single = try ws.run("run", "shop/pipeline.json", "--output", "out/single")
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try #require(Self.report(ws, "out/single"))
        let p = 4
        let plan = try ws.run("part", "plan", "shop/pipeline.json", "--work", "w", "--partitions", "\(p)")
        #expect(plan.status == 0, "\(plan.stderr)")
        let planJSON = try #require(ws.read("w/plan.json"))
        let tasks = planJSON.components(separatedBy: "\"task\" :").count - 1
        // users ×2, channels, sales ×N, events ×2: one task per file.
        #expect(tasks >= 6)
        for k in (0..<tasks).reversed() + [0] {
            let m = try ws.run("part", "map", "shop/pipeline.json", "--work", "w", "--task", "\(k)", "--partitions", "\(p)", "--out", "w/map-\(k)")
            #expect(m.status == 0, "map \(k): \(m.stderr)")
        }
        let taskFiles = (0..<tasks).map { "w/map-\($0)/task.bin" }
        let resolve = try ws.run(["part", "resolve", "shop/pipeline.json", "--work", "w"] + taskFiles.reversed())
        #expect(resolve.status == 0, "\(resolve.stderr)")
        for q in 0..<p {
            let d = try ws.run(["part", "dedupe", "shop/pipeline.json", "--context", "w/context.bin", "--partition", "\(q)",
                                "--partitions", "\(p)", "--out", "w/dedupe-\(q)"] + (0..<tasks).map { "w/map-\($0)/part-\(q).bin" })
            #expect(d.status == 0, "dedupe \(q): \(d.stderr)")
        }
        for q in 0..<p {
            let a = try ws.run(["part", "analyze", "shop/pipeline.json", "--context", "w/context.bin", "--partition", "\(q)",
                                "--out", "w/partial-\(q).bin"] + (0..<p).map { "w/dedupe-\($0)/part-\(q).bin" })
            #expect(a.status == 0, "analyze \(q): \(a.stderr)")
        }
        let files = taskFiles + (0..<p).map { "w/partial-\($0).bin" } + (0..<p).map { "w/dedupe-\($0)/counts.bin" }
        // A speculative copy of a partial (identical bytes) is accepted once.
        try FileManager.default.copyItem(at: ws.url.appendingPathComponent("w/partial-1.bin"),
                                         to: ws.url.appendingPathComponent("w/partial-1-copy.bin"))
        let merge = try ws.run(["part", "merge", "shop/pipeline.json", "--context", "w/context.bin", "--output", "out/spark"]
                               + files.shuffled() + ["w/partial-1-copy.bin"])
        #expect(merge.status == 0, "\(merge.stderr)")
        Self.expectSame(expected, Self.report(ws, "out/spark"), "external")
        #expect(ws.read("out/spark/summary.json")?.contains("\"driver\": \"external\"") == true)

        // A missing partial: exit 1 naming the partition, nothing published.
        let missing = try ws.run(["part", "merge", "shop/pipeline.json", "--context", "w/context.bin", "--output", "out/missing"]
                                 + files.filter { $0 != "w/partial-2.bin" })
        #expect(missing.status == 1 && missing.stderr.contains("analyze partition 2"), "\(missing.stderr)")
        #expect(!ws.exists("out/missing"))
    }

    /// One flipped byte, a truncated file and a file of another format version are each exit 1 naming the file.
    @Test func aCorruptIntermediateFileIsExitOneNamingIt() throws {
        let ws = Workspace()
        ws.writeShop()
        let plan = try ws.run("part", "plan", "pipelines/shop.json", "--work", "w", "--partitions", "2")
        #expect(plan.status == 0, "\(plan.stderr)")
        let map = try ws.run("part", "map", "pipelines/shop.json", "--work", "w", "--task", "0", "--partitions", "2", "--out", "w/m0")
        #expect(map.status == 0, "\(map.stderr)")
        let path = ws.url.appendingPathComponent("w/m0/task.bin")
        let good = try Data(contentsOf: path)
        func resolve() throws -> CLIResult {
            let others = (1..<3).map { k -> String in
                _ = try? ws.run("part", "map", "pipelines/shop.json", "--work", "w", "--task", "\(k)", "--partitions", "2", "--out", "w/m\(k)")
                return "w/m\(k)/task.bin"
            }
            return try ws.run(["part", "resolve", "pipelines/shop.json", "--work", "w", "w/m0/task.bin"] + others)
        }
        #expect(try resolve().status == 0)
        var flipped = good
        flipped[30] ^= 0x01   // a payload byte: the checksum no longer matches
        try flipped.write(to: path)
        var r = try resolve()
        #expect(r.status == 1 && r.stderr.contains("w/m0/task.bin") && r.stderr.contains("checksum"), "\(r.stderr)")
        try good.prefix(good.count - 5).write(to: path)
        r = try resolve()
        #expect(r.status == 1 && r.stderr.contains("w/m0/task.bin") && r.stderr.contains("truncated"), "\(r.stderr)")
        var version = good
        version[11] = 9   // format version 9 (the checksum is not reached: the version is read first)
        try version.write(to: path)
        r = try resolve()
        #expect(r.status == 1 && r.stderr.contains("format version 9"), "\(r.stderr)")
        try Data("not a partition file at all, longer than a header".utf8).write(to: path)
        r = try resolve()
        #expect(r.status == 1 && r.stderr.contains("OPSETL-PART"), "\(r.stderr)")
    }

    /// `--memory-limit`: above the estimate (1.5 × the CSV bytes) the run stays in memory (no
    /// `execution` section); below it the run is partitioned, with the same outputs.
    @Test func aMemoryLimitBelowTheEstimatePartitionsTheRun() throws {
        let ws = Workspace()
        ws.writeShop()
        let big = try ws.run("run", "pipelines/shop.json", "--output", "out/big", "--memory-limit", "2GB")
        #expect(big.status == 0, "\(big.stderr)")
        #expect(ws.read("out/big/summary.json")?.contains("\"execution\"") == false)
        // The shop's CSV is under 1 KB; 100 bytes is below 1.5 × that.
        let small = try ws.run("run", "pipelines/shop.json", "--output", "out/small", "--memory-limit", "100B")
        #expect(small.status == 0, "\(small.stderr)")
        #expect(ws.read("out/small/summary.json")?.contains("\"mode\": \"partitioned\"") == true)
        Self.expectSame(try #require(Self.report(ws, "out/big")), Self.report(ws, "out/small"), "memory limit")
        let bad = try ws.run("run", "pipelines/shop.json", "--memory-limit", "lots")
        #expect(bad.status == 2 && bad.stderr.contains("--memory-limit"), "\(bad.stderr)")
    }

    /// A scratch folder left by a killed run (its pid no longer exists) is removed by the next run;
    /// one of a live process is left alone.
    @Test func aStaleScratchFolderIsRemovedByTheNextRun() throws {
        let ws = Workspace()
        ws.writeShop()
        // pid 2^22 + 1 is above Linux's pid_max limit (2^22): no such process.
        let stale = "out/.opsetl-scratch-4194305"
        let live = "out/.opsetl-scratch-\(getpid())"
        ws.write("\(stale)/map-0/part-0.bin", "left by kill -9")
        ws.write("\(live)/plan.json", "{}")
        let r = try ws.run("run", "pipelines/shop.json", "--output", "out/report", "--partitions", "2")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!ws.exists(stale))
        #expect(ws.exists(live))
        #expect(ws.listing("out").filter { $0.hasPrefix(".opsetl-scratch-") } == [".opsetl-scratch-\(getpid())"])
        #expect(ws.exists("out/report/summary.json"))
    }
}

/// docs/partitioned.md, "Local mode": signals during a partitioned run. SIGTERM removes the scratch folder (exit 143, the
/// previous report untouched); after SIGKILL the folder stays, and the next run removes it.
@Suite struct PartitionedRunSignalTests {
    static func scratch(_ ws: Workspace) -> [String] {
        ws.listing("reports").filter { $0.hasPrefix(".opsetl-scratch-") }
    }

    @Test func sigtermRemovesTheScratchFolder() throws {
        let ws = Workspace()
        ws.writeShop()
        let run = try RunningCLI(["run", "pipelines/shop.json", "--partitions", "3"], in: ws.url,
                                 environment: ["OPSETL_TEST_PAUSE_AT": "part_map"])
        try #require(run.waitForStderr("paused at part_map"), "\(run.stderrText)")
        // Paused after the map tasks: their files are in the scratch folder.
        let pid = run.pid
        #expect(Self.scratch(ws) == [".opsetl-scratch-\(pid)"])
        #expect(ws.exists("reports/.opsetl-scratch-\(pid)/map-0/task.bin"))
        run.signal(SIGTERM)
        #expect(run.finish().status == 128 + SIGTERM)
        #expect(Self.scratch(ws).isEmpty)
        #expect(ws.listing("reports").allSatisfy { $0.hasSuffix(".lock") })
    }

    @Test func aScratchFolderLeftBySigkillIsRemovedByTheNextRun() throws {
        let ws = Workspace()
        ws.writeShop()
        let run = try RunningCLI(["run", "pipelines/shop.json", "--partitions", "2"], in: ws.url,
                                 environment: ["OPSETL_TEST_PAUSE_AT": "part_map"])
        try #require(run.waitForStderr("paused at part_map"), "\(run.stderrText)")
        run.signal(SIGKILL)
        #expect(run.finish().status == 128 + SIGKILL)
        #expect(Self.scratch(ws).count == 1)
        let next = try ws.run("run", "pipelines/shop.json", "--partitions", "2")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(Self.scratch(ws).isEmpty)
    }
}
