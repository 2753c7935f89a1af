import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, overlap: two runs of the same output folder at once. The second exits with code 1
/// and a clear message while the first holds the lock, or with `--wait` queues behind it.
@Suite struct OverlapTests {
    static let report = "reports/shop-2025-01-31"

    @Test func aSecondRunExitsWithCode1WhileTheFirstIsWriting() throws {
        let ws = Workspace()
        ws.writeShop()
        let first = try RunningCLI(["run", "pipelines/shop.json"], in: ws.url, environment: ["OPSETL_TEST_PAUSE_AT": "analyze"])
        try #require(first.waitForStderr("paused at analyze"))

        let second = try ws.run("run", "pipelines/shop.json")
        #expect(second.status == 1)
        #expect(second.stderr.hasPrefix("opsetl: error: \(ws.url.standardizedFileURL.path)/\(Self.report): another opsetl run (pid \(first.pid)) is writing this output; this run wrote nothing"))
        #expect(second.stderr.split(separator: "\n").count == 1)
        #expect(!ws.exists(Self.report))

        // The lock dies with its holder, however it ends.
        first.signal(SIGKILL)
        _ = first.finish()
        let third = try ws.run("run", "pipelines/shop.json")
        #expect(third.status == 0, "\(third.stderr)")
        #expect(ws.exists("\(Self.report)/data_quality.csv"))
    }

    @Test func withWaitTheSecondRunQueuesBehindTheFirst() throws {
        let ws = Workspace()
        ws.writeShop()
        let first = try RunningCLI(["run", "pipelines/shop.json"], in: ws.url, environment: ["OPSETL_TEST_PAUSE_AT": "write"])
        try #require(first.waitForStderr("paused at write"))

        let second = try RunningCLI(["run", "pipelines/shop.json", "--wait"], in: ws.url)
        try #require(second.waitForStderr("is writing"))
        #expect(second.stderrText.contains("opsetl: warning: another opsetl run (pid \(first.pid)) is writing "))
        #expect(second.stderrText.contains("; waiting for it to finish"))

        first.signal(SIGTERM)
        #expect(first.finish().status == 143)
        let result = second.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.exists("\(Self.report)/summary.json"))
        #expect(ws.listing("reports") == [".shop-2025-01-31.lock", "shop-2025-01-31"])
    }

    @Test func differentOutputFoldersDoNotBlockEachOther() throws {
        let ws = Workspace()
        ws.writeShop()
        let first = try RunningCLI(["run", "pipelines/shop.json"], in: ws.url, environment: ["OPSETL_TEST_PAUSE_AT": "analyze"])
        try #require(first.waitForStderr("paused at analyze"))
        // A re-run of an earlier night writes another folder and is not held up.
        let other = try ws.run("run", "pipelines/shop.json", "--as-of", "2025-01-20")
        #expect(other.status == 0, "\(other.stderr)")
        #expect(ws.exists("reports/shop-2025-01-20/data_quality.csv"))
        first.signal(SIGKILL)
        _ = first.finish()
    }

    /// README "Overlapping runs": deleting the lock file mid-run must not let a second run write at
    /// the same time. The second run locks a new file; the first, about to publish, finds that the
    /// path no longer names its lock and, the new one being held, stops without writing.
    @Test func aDeletedLockFileDoesNotLetTwoRunsPublishAtOnce() throws {
        let ws = Workspace()
        ws.writeShop()
        let lockFile = "reports/.shop-2025-01-31.lock"
        let pause = ["OPSETL_TEST_PAUSE_AT": "write"]
        let first = try RunningCLI(["run", "pipelines/shop.json"], in: ws.url, environment: pause, resumable: true)
        try #require(first.waitForStderr("paused at write"))
        try FileManager.default.removeItem(atPath: ws.path + "/" + lockFile)

        let second = try RunningCLI(["run", "pipelines/shop.json"], in: ws.url, environment: pause, resumable: true)
        try #require(second.waitForStderr("paused at write"), "\(second.stderrText)")
        #expect(ws.read(lockFile) == "pid \(second.pid)\n")

        first.resume()
        let refused = first.finish()
        #expect(refused.status == 1)
        #expect(refused.stderr.hasSuffix(
            "opsetl: error: \(ws.path)/\(Self.report): the lock file \(ws.path)/\(lockFile) was removed during this run "
            + "and another opsetl run (pid \(second.pid)) holds it now; this run wrote nothing\n"))
        #expect(!ws.exists(Self.report))
        #expect(ws.listing("reports").filter { $0.hasPrefix(".shop-2025-01-31.tmp-\(first.pid)") }.isEmpty)

        second.resume()
        let published = second.finish()
        #expect(published.status == 0, "\(published.stderr)")
        #expect(ws.exists("\(Self.report)/summary.json"))
        #expect(ws.listing("reports") == [".shop-2025-01-31.lock", "shop-2025-01-31"])
    }

    /// With no other run, a run whose lock file was deleted takes the lock again and publishes.
    @Test func aRunWhoseLockFileWasDeletedTakesItAgain() throws {
        let ws = Workspace()
        ws.writeShop()
        let lockFile = "reports/.shop-2025-01-31.lock"
        let run = try RunningCLI(["run", "pipelines/shop.json"], in: ws.url, environment: ["OPSETL_TEST_PAUSE_AT": "write"], resumable: true)
        try #require(run.waitForStderr("paused at write"))
        try FileManager.default.removeItem(atPath: ws.path + "/" + lockFile)
        run.resume()
        let result = run.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read(lockFile) == "pid \(run.pid)\n")
        #expect(ws.exists("\(Self.report)/summary.json"))
    }
}
