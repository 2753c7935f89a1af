import Foundation
import Testing
@testable import OpsETL

/// `OutputLock`: one holder per output folder; the lock file sits beside the folder and names the holder.
@Suite struct OutputLockTests {
    @Test func aSecondHolderIsRefusedUntilTheFirstReleases() throws {
        let dir = TempDir()
        let out = dir.url.appendingPathComponent("reports/2025-06-30").path
        let first = try OutputLock(outputDirectory: out, wait: false)
        #expect(first.path == dir.url.appendingPathComponent("reports/.2025-06-30.lock").standardizedFileURL.path)
        #expect(dir.read("reports/.2025-06-30.lock") == "pid \(getpid())\n")
        // flock belongs to the open file, so a second open in the same process conflicts too.
        #expect(throws: OpsError.self) { try OutputLock(outputDirectory: out, wait: false) }
        do {
            _ = try OutputLock(outputDirectory: out, wait: false)
        } catch let error as OpsError {
            #expect(error.kind == .runtime)
            #expect(error.message.contains("another opsetl run (pid \(getpid())) is writing this output"))
        }
        // Another folder in the same parent has its own lock.
        let other = try OutputLock(outputDirectory: dir.url.appendingPathComponent("reports/2025-06-29").path, wait: false)
        other.release()
        first.release()
        let again = try OutputLock(outputDirectory: out, wait: false)
        again.release()
    }

    /// A deleted lock file: a new holder locks a new file; the old holder's `confirm()` sees that
    /// the path names another file, and fails while that one is held, or takes it once released.
    @Test func confirmNoticesADeletedLockFile() throws {
        let dir = TempDir()
        let out = dir.url.appendingPathComponent("reports/2025-06-30").path
        let first = try OutputLock(outputDirectory: out, wait: false)
        try first.confirm()                                   // untouched: nothing to do
        try FileManager.default.removeItem(atPath: first.path)
        let second = try OutputLock(outputDirectory: out, wait: false)
        do {
            try first.confirm()
            Issue.record("confirm() succeeded while another holder has the new lock file")
        } catch let error as OpsError {
            #expect(error.kind == .runtime)
            #expect(error.message == "\(URL(fileURLWithPath: out).standardizedFileURL.path): the lock file \(first.path) was removed "
                    + "during this run and another opsetl run (pid \(getpid())) holds it now; this run wrote nothing")
        }
        second.release()
        try first.confirm()                                   // the new file is free: first holds it now
        #expect(throws: OpsError.self) { try OutputLock(outputDirectory: out, wait: false) }
        first.release()
    }
}
