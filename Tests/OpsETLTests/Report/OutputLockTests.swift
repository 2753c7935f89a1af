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
}
