import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Report: publishes a run's files into its output folder atomically (SPEC §7).
///
/// Everything is written into a hidden temporary sibling `.<name>.tmp-<pid>` first (each
/// file and the folder flushed to disk); then the sibling takes the folder's place in one
/// step — `renameat2(RENAME_EXCHANGE)` when a previous report exists, plain `rename`
/// otherwise — and the previous report is removed. A reader never sees a half-written
/// folder, and a run that fails or is killed before the exchange leaves the previous report
/// exactly as it was.
///
/// Crash safety (README "Running it every night"): SIGINT/SIGTERM make the CLI remove the
/// staging folder (see `Interruption`); SIGKILL cannot be caught, so each publish first removes
/// the staging folders of runs whose process no longer exists.
///
/// Safety (SPEC §9): every published folder holds the marker `OutputTarget.markerName`, which is
/// what lets the next run replace it; just before the exchange the run confirms that it still
/// holds the output lock (`OutputLock.confirm`) and that the folder in place may still be
/// replaced (`OutputTarget.checkReplaceable`). A symbolic link at the folder's name stays: the
/// exchange happens on the folder it points to (`OutputTarget.publishPath`).
public enum OutputFolder {
    /// A file to write: path relative to the folder, and its bytes.
    public typealias Entry = (path: String, bytes: [UInt8])

    public static func publish(_ entries: [Entry], to output: OutputTarget, lock: OutputLock?) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: output.publishPath).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let entries = [(path: OutputTarget.markerName, bytes: OutputTarget.markerContents)] + entries
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw OpsError.runtime("\(parent.path): cannot create the output folder's parent: \(reason(error))")
        }
        removeStaleStaging(beside: target)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
        Interruption.register(staging: staging.path)
        defer { Interruption.unregister(staging: staging.path) }
        try? fm.removeItem(at: staging)
        do {
            try Interruption.critical { try fm.createDirectory(at: staging, withIntermediateDirectories: false) }
            var folders: Set<String> = [staging.path]
            for entry in entries {
                try Interruption.critical {
                    let url = staging.appendingPathComponent(entry.path)
                    let folder = url.deletingLastPathComponent()
                    try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                    folders.insert(folder.path)
                    try writeDurably(entry.bytes, to: url.path)
                }
            }
            for folder in folders.sorted(by: >) { syncDirectory(folder) }
        } catch {
            Interruption.critical { try? fm.removeItem(at: staging) }
            throw OpsError.runtime("\(staging.path): cannot write the output: \(reason(error))")
        }
        TestPause.point("write")
        do {
            // Still ours to write (the lock file may have been deleted meanwhile), and still ours
            // to replace (someone may have put files there since the run started).
            try lock?.confirm()
            try output.checkReplaceable()
        } catch {
            Interruption.critical { try? fm.removeItem(at: staging) }
            throw error
        }
        var isDir: ObjCBool = false
        try Interruption.critical {
            if fm.fileExists(atPath: target.path, isDirectory: &isDir) {
                guard isDir.boolValue else {
                    try? fm.removeItem(at: staging)
                    throw OpsError.configuration("\(output.setting): \(output.path) exists and is not a folder; nothing was touched")
                }
                guard opsetl_renameat2(AT_FDCWD, staging.path, AT_FDCWD, target.path, renameExchange) == 0 else {
                    let why = String(cString: strerror(errno))
                    try? fm.removeItem(at: staging)
                    throw OpsError.runtime("\(target.path): cannot replace the previous output: \(why)")
                }
            } else {
                guard rename(staging.path, target.path) == 0 else {
                    let why = String(cString: strerror(errno))
                    try? fm.removeItem(at: staging)
                    throw OpsError.runtime("\(target.path): cannot move the output into place: \(why)")
                }
            }
            syncDirectory(parent.path)
            Interruption.didPublish(output.path)
        }
        TestPause.point("swap")
        Interruption.critical { try? fm.removeItem(at: staging) }   // now holds the previous report, if any
    }

    /// Removes `.<name>.tmp-<pid>` and `.<name>.failed.tmp-<pid>` beside `target` whose process
    /// is gone — what a run killed with SIGKILL (or a power cut) leaves behind. A folder whose
    /// pid is alive is left alone: it may be a run writing right now. Returns the names removed.
    @discardableResult
    public static func removeStaleStaging(beside target: URL) -> [String] {
        let parent = target.deletingLastPathComponent()
        var base = target.lastPathComponent
        if base.hasSuffix(".failed") { base.removeLast(".failed".count) }
        let prefixes = [".\(base).tmp-", ".\(base).failed.tmp-"]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let prefix = prefixes.first(where: { name.hasPrefix($0) }),
                  let pid = Int32(name.dropFirst(prefix.count)), pid > 0, pid != getpid(),
                  !processExists(pid) else { continue }
            if (try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        return removed
    }

    private static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Writes `bytes` to a new file and flushes it to disk before returning.
    private static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure(path: path, code: errno) }
        defer { close(fd) }
        if let code = bytes.withUnsafeBytes({ writeAll(fd, $0) }) { throw POSIXFailure(path: path, code: code) }
        guard fsync(fd) == 0 else { throw POSIXFailure(path: path, code: errno) }
    }

    /// Flushes a folder's entries (best effort: not every file system supports it).
    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private struct POSIXFailure: Error, CustomStringConvertible {
        let path: String
        let code: Int32
        var description: String { "\(path): \(String(cString: strerror(code)))" }
    }

    private static let renameExchange: UInt32 = 1 << 1

    private static func reason(_ error: any Error) -> String {
        if let failure = error as? POSIXFailure { return failure.description }
        return (error as NSError).localizedDescription
    }
}

/// glibc's renameat2; Swift's Glibc module hides it behind _GNU_SOURCE.
@_silgen_name("renameat2")
private func opsetl_renameat2(_ olddirfd: Int32, _ oldpath: UnsafePointer<CChar>,
                              _ newdirfd: Int32, _ newpath: UnsafePointer<CChar>, _ flags: UInt32) -> Int32
