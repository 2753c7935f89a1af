import Foundation

/// What a run must undo when SIGINT/SIGTERM stops it: the staging folders it is writing.
///
/// `OutputFolder` registers each staging folder while it writes it and does every step that
/// touches the file system (writing a file, swapping the folder in) inside `critical`. The
/// CLI's signal watcher calls `abandon()`, which waits for the step in progress, removes the
/// registered folders and keeps the lock for good, so the run can publish nothing afterwards:
/// the process then exits. A report already in place is never touched by either side.
public enum Interruption {
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var staging: [String] = []
    nonisolated(unsafe) private static var published: [String] = []

    /// Runs one file-system step; never runs once `abandon()` has started.
    static func critical<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Marks `path` as a staging folder to remove if the run is interrupted.
    static func register(staging path: String) {
        critical { staging.append(path) }
    }

    /// `path` no longer needs removing (published, or removed by the run itself).
    static func unregister(staging path: String) {
        critical { staging.removeAll { $0 == path } }
    }

    /// Records that `dir` now holds this run's output (for the interruption message).
    static func didPublish(_ dir: String) {
        critical { published.append(dir) }
    }

    /// Called once, from the signal watcher: stops further publishing, removes the staging
    /// folders and returns the folders this run had already published (usually none).
    /// Deliberately never releases the lock: the process is about to exit.
    public static func abandon() -> [String] {
        lock.lock()
        for path in staging {
            // A writer may still hold an open file in it; retry a few times on ENOTEMPTY-style failures.
            for _ in 0..<5 where FileManager.default.fileExists(atPath: path) {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        staging.removeAll()
        return published
    }
}
