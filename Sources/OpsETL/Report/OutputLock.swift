import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Report: one run at a time per output folder (issue 5, overlap).
///
/// The lock is `flock` on a hidden file beside the output folder, `.<name>.lock` (for
/// `reports/2025-06-30` that is `reports/.2025-06-30.lock`); it covers the folder and its
/// `.failed` sibling. The kernel releases it when the process ends, however it ends, so a
/// killed run never leaves a stale lock; the file itself stays (removing it would race with
/// a run that has just opened it). The holder writes its pid into it, for the message a
/// second run prints.
public final class OutputLock {
    /// The lock file.
    public let path: String
    private var fd: Int32

    /// Takes the lock for `outputDirectory`.
    ///
    /// When another run holds it: with `wait` false, throws a runtime error (exit 1) naming the
    /// folder and the holder's pid; with `wait` true, calls `waiting` once with that pid and
    /// blocks until the other run ends.
    public init(outputDirectory: String, wait: Bool, waiting: (_ holder: String) -> Void = { _ in }) throws {
        let target = URL(fileURLWithPath: outputDirectory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        path = parent.appendingPathComponent(".\(target.lastPathComponent).lock").path
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw OpsError.runtime("\(parent.path): cannot create the output folder's parent: \((error as NSError).localizedDescription)")
        }
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw OpsError.runtime("\(path): cannot open the output lock: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK else {
                release()   // not close(fd): the throw runs deinit, which must not close it again
                throw OpsError.runtime("\(path): cannot take the output lock: \(String(cString: strerror(code)))")
            }
            let holder = OutputLock.holder(fd)
            guard wait else {
                release()
                throw OpsError.runtime(
                    "\(target.path): another opsetl run (\(holder)) is writing this output; this run wrote nothing "
                    + "(retry later, or pass --wait to queue behind it)")
            }
            waiting(holder)
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let why = String(cString: strerror(errno))
                    release()
                    throw OpsError.runtime("\(path): cannot take the output lock: \(why)")
                }
            }
        }
        let pid = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
    }

    /// Releases the lock (also done when the value is deinitialised or the process ends).
    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }

    /// "pid N" as the holder wrote it, or a neutral phrase when it has not written it yet.
    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.hasPrefix("pid ") ? text : "pid unknown"
    }
}
