import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Report: publishes a run's files into its output folder atomically (SPEC §7).
///
/// Everything is written into a hidden temporary sibling first; then the sibling takes
/// the folder's place in one step — `renameat2(RENAME_EXCHANGE)` when a previous report
/// exists, plain `rename` otherwise — and the previous report is removed. A reader
/// never sees a half-written folder, and a run that fails before the exchange leaves
/// the previous report exactly as it was.
public enum OutputFolder {
    /// A file to write: path relative to the folder, and its bytes.
    public typealias Entry = (path: String, bytes: [UInt8])

    public static func publish(_ entries: [Entry], to dir: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: dir).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw OpsError.runtime("\(parent.path): cannot create the output folder's parent: \(reason(error))")
        }
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for entry in entries {
                let url = staging.appendingPathComponent(entry.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(entry.bytes).write(to: url)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw OpsError.runtime("\(staging.path): cannot write the output: \(reason(error))")
        }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                try? fm.removeItem(at: staging)
                throw OpsError.runtime("\(target.path): exists and is not a folder; the output was not written")
            }
            guard opsetl_renameat2(AT_FDCWD, staging.path, AT_FDCWD, target.path, renameExchange) == 0 else {
                let why = String(cString: strerror(errno))
                try? fm.removeItem(at: staging)
                throw OpsError.runtime("\(target.path): cannot replace the previous output: \(why)")
            }
            try? fm.removeItem(at: staging)   // now holds the previous report
        } else {
            guard rename(staging.path, target.path) == 0 else {
                let why = String(cString: strerror(errno))
                try? fm.removeItem(at: staging)
                throw OpsError.runtime("\(target.path): cannot move the output into place: \(why)")
            }
        }
    }

    private static let renameExchange: UInt32 = 1 << 1

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}

/// glibc's renameat2; Swift's Glibc module hides it behind _GNU_SOURCE.
@_silgen_name("renameat2")
private func opsetl_renameat2(_ olddirfd: Int32, _ oldpath: UnsafePointer<CChar>,
                              _ newdirfd: Int32, _ newpath: UnsafePointer<CChar>, _ flags: UInt32) -> Int32
