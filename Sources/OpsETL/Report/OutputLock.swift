import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Report: one run at a time per output folder (README "Running it every night", overlap).
///
/// The lock is `flock` on a hidden file beside the output folder, `.<name>.lock` (for
/// `reports/2025-06-30` that is `reports/.2025-06-30.lock`); it covers the folder and its
/// `.failed` sibling. The kernel releases it when the process ends, however it ends, so a
/// killed run never leaves a stale lock; the file itself stays (removing it would race with
/// a run that has just opened it). The holder writes its pid into it, for the message a
/// second run prints.
///
/// Robust to the file being deleted (or replaced) while held: a lock is on the open file, so a
/// run started after `rm reports/.2025-06-30.lock` would create and lock a new file and run
/// alongside. Two checks keep it from ever writing at the same time: taking the lock re-checks
/// that the file locked is the one at the path (else it retries on the new file), and the
/// holder calls `confirm()` right before it publishes — when the path no longer names the file
/// it holds, it takes the lock on the file there now, or, when another run holds that one,
/// stops with exit 1 and writes nothing.
public final class OutputLock {
    /// The lock file.
    public let path: String
    /// The output folder it guards, for messages.
    private let outputPath: String
    private var fd: Int32 = -1

    /// Takes the lock for `outputDirectory`.
    ///
    /// When another run holds it: with `wait` false, throws a runtime error (exit 1) naming the
    /// folder and the holder's pid; with `wait` true, calls `waiting` once with that pid and
    /// blocks until the other run ends.
    public init(outputDirectory: String, wait: Bool, waiting: (_ holder: String) -> Void = { _ in }) throws {
        let target = URL(fileURLWithPath: outputDirectory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        path = parent.appendingPathComponent(".\(target.lastPathComponent).lock").path
        outputPath = target.path
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw OpsError.runtime("\(parent.path): cannot create the output folder's parent: \((error as NSError).localizedDescription)")
        }
        var waited = false
        while true {
            let candidate = try openLockFile()
            if flock(candidate, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                guard code == EWOULDBLOCK else {
                    close(candidate)
                    throw OpsError.runtime("\(path): cannot take the output lock: \(String(cString: strerror(code)))")
                }
                let holder = OutputLock.holder(candidate)
                guard wait else {
                    close(candidate)
                    throw OpsError.runtime(
                        "\(target.path): another opsetl run (\(holder)) is writing this output; this run wrote nothing "
                        + "(retry later, or pass --wait to queue behind it)")
                }
                if !waited { waiting(holder) }
                waited = true
                while flock(candidate, LOCK_EX) != 0 {
                    guard errno == EINTR else {
                        let why = String(cString: strerror(errno))
                        close(candidate)
                        throw OpsError.runtime("\(path): cannot take the output lock: \(why)")
                    }
                }
            }
            // Locked — but maybe a file that was deleted or replaced between open and flock, which
            // another run would not see: then try again on the file the path names now.
            guard OutputLock.isFile(at: path, sameAs: candidate) else {
                close(candidate)
                continue
            }
            fd = candidate
            break
        }
        writePid()
    }

    /// Confirms, right before publishing, that this run still holds the lock on the file the
    /// path names. When that file was deleted or replaced, takes the lock on the one there now;
    /// when another run holds it, throws a runtime error (exit 1): this run must write nothing.
    public func confirm() throws {
        guard fd >= 0, !OutputLock.isFile(at: path, sameAs: fd) else { return }
        while true {
            let candidate = try openLockFile()
            guard flock(candidate, LOCK_EX | LOCK_NB) == 0 else {
                let holder = OutputLock.holder(candidate)
                close(candidate)
                throw OpsError.runtime(
                    "\(outputPath): the lock file \(path) was removed during this run and another opsetl run (\(holder)) "
                    + "holds it now; this run wrote nothing")
            }
            guard OutputLock.isFile(at: path, sameAs: candidate) else {
                close(candidate)
                continue
            }
            close(fd)
            fd = candidate
            writePid()
            return
        }
    }

    /// Releases the lock (also done when the value is deinitialised or the process ends).
    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }

    private func openLockFile() throws -> Int32 {
        let candidate = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard candidate >= 0 else {
            throw OpsError.runtime("\(path): cannot open the output lock: \(String(cString: strerror(errno)))")
        }
        return candidate
    }

    private func writePid() {
        let pid = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
    }

    /// True when `path` names the very file open as `fd` (same device and inode).
    private static func isFile(at path: String, sameAs fd: Int32) -> Bool {
        var named = stat(), held = stat()
        guard stat(path, &named) == 0, fstat(fd, &held) == 0 else { return false }
        return named.st_dev == held.st_dev && named.st_ino == held.st_ino
    }

    /// "pid N" as the holder wrote it, or a neutral phrase when it has not written it yet.
    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.hasPrefix("pid ") ? text : "pid unknown"
    }
}
