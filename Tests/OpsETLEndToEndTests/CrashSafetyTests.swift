import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, crash safety: a real `opsetl run` process is stopped at a chosen stage (the hidden
/// `OPSETL_TEST_PAUSE_AT` hook makes it wait there, so nothing depends on speed) and killed.
/// The previous report must stay intact, nothing half-written may take its place, SIGINT and
/// SIGTERM must exit cleanly, and a run after a SIGKILL must clean up what the killed one left.
@Suite struct CrashSafetyTests {
    static let report = "reports/shop-2025-01-31"

    /// A workspace with a published report, and inputs changed since (one more sale), so any new
    /// report would differ from the one in place.
    static func workspaceWithPreviousReport() throws -> (Workspace, [String: Data]) {
        let ws = Workspace()
        ws.writeShop()
        let first = try ws.run("run", "pipelines/shop.json")
        #expect(first.status == 0, "\(first.stderr)")
        let previous = try #require(ws.report(report))
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount,status\no1,u5,2025-01-10,10.00,paid\no2,u6,2025-01-11,20.00,paid\no3,u7,2025-01-12,30.00,paid\n")
        return (ws, previous)
    }

    /// Starts a run that pauses at `stage` and returns once it is paused there.
    static func pausedRun(_ ws: Workspace, at stage: String) throws -> RunningCLI {
        let run = try RunningCLI(["run", "pipelines/shop.json"], in: ws.url, environment: ["OPSETL_TEST_PAUSE_AT": stage])
        try #require(run.waitForStderr("paused at \(stage)"), "the run ended before reaching \(stage): \(run.stderrText)")
        return run
    }

    /// The entries of reports/ apart from the lock file and the report itself.
    static func leftovers(_ ws: Workspace) -> [String] {
        ws.listing("reports").filter { $0 != ".shop-2025-01-31.lock" && $0 != "shop-2025-01-31" }
    }

    @Test(arguments: ["ingest", "analyze", "write"])
    func sigkillBeforeTheSwapLeavesThePreviousReportIntact(stage: String) throws {
        let (ws, previous) = try Self.workspaceWithPreviousReport()
        let run = try Self.pausedRun(ws, at: stage)
        run.signal(SIGKILL)
        #expect(run.finish().status == 128 + SIGKILL)
        #expect(ws.report(Self.report) == previous)
        // Only a hidden staging folder may remain (the killed run could not remove it).
        #expect(Self.leftovers(ws).allSatisfy { $0.hasPrefix(".shop-2025-01-31.tmp-") })

        // The next run publishes the new report and removes the dead run's staging folder.
        let next = try ws.run("run", "pipelines/shop.json")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(Self.leftovers(ws).isEmpty)
        #expect(ws.report(Self.report) != previous)
        #expect(ws.read("\(Self.report)/data_quality.csv")?.contains("sales,3,3,") == true)
    }

    @Test func sigkillRightAfterTheSwapLeavesTheNewReportComplete() throws {
        let (ws, previous) = try Self.workspaceWithPreviousReport()
        let expected = try ws.run("run", "pipelines/shop.json", "--output", "expected")
        #expect(expected.status == 0)
        let run = try Self.pausedRun(ws, at: "swap")
        run.signal(SIGKILL)
        #expect(run.finish().status == 128 + SIGKILL)
        // The exchange is one step: the folder is the complete new report; the old one waits in
        // the staging folder, which the next run removes.
        #expect(ws.report(Self.report) == ws.report("expected"))
        #expect(ws.report(Self.report) != previous)
        let staged = Self.leftovers(ws)
        #expect(staged.count == 1 && staged[0] == ".shop-2025-01-31.tmp-\(run.pid)")
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        #expect(Self.leftovers(ws).isEmpty)
    }

    @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")], ["ingest", "analyze", "write"])
    func sigintAndSigtermStopCleanly(signal: (number: Int32, name: String), stage: String) throws {
        let (ws, previous) = try Self.workspaceWithPreviousReport()
        let run = try Self.pausedRun(ws, at: stage)
        run.signal(signal.number)
        let result = run.finish()
        #expect(result.status == 128 + signal.number)   // 130 for SIGINT, 143 for SIGTERM
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.last == "opsetl: error: interrupted by \(signal.name): stopped before publishing anything; any previous report is untouched")
        #expect(lines.count == 2)   // the test hook's own line, then the one error line
        #expect(ws.report(Self.report) == previous)
        #expect(Self.leftovers(ws).isEmpty)   // the staging folder was removed
    }

    @Test func sigtermAfterTheSwapKeepsTheNewReportAndSaysSo() throws {
        let (ws, previous) = try Self.workspaceWithPreviousReport()
        let run = try Self.pausedRun(ws, at: "swap")
        run.signal(SIGTERM)
        let result = run.finish()
        #expect(result.status == 143)
        #expect(result.stderr.contains("interrupted by SIGTERM: stopped after publishing /"))
        #expect(ws.report(Self.report) != previous)
        #expect(ws.read("\(Self.report)/data_quality.csv")?.contains("sales,3,3,") == true)
        #expect(Self.leftovers(ws).isEmpty)   // the previous report, parked in staging, was removed
    }

    @Test func aLiveRunsStagingFolderIsNotTakenForStale() throws {
        let ws = Workspace()
        ws.writeShop()
        // Folders named after a pid that cannot exist (beyond any pid_max) and after a live process.
        try FileManager.default.createDirectory(at: ws.url.appendingPathComponent("reports/.shop-2025-01-31.tmp-99999999/rejects"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: ws.url.appendingPathComponent("reports/.shop-2025-01-31.failed.tmp-99999998"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: ws.url.appendingPathComponent("reports/.shop-2025-01-31.tmp-1"),
                                                withIntermediateDirectories: true)
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        #expect(Self.leftovers(ws) == [".shop-2025-01-31.tmp-1"])
    }
}
