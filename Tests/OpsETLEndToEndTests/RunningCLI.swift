import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A background `opsetl` process whose stderr is read as it comes, so a test can wait for a
/// line (such as the `OPSETL_TEST_PAUSE_AT` marker) and then signal the process: no sleeps,
/// no timing assumptions.
final class RunningCLI {
    let process = Process()
    private let out = Pipe(), err = Pipe()
    private(set) var stderrText = ""

    /// Stdin, for `resume()`; only with `resumable`.
    private let input: Pipe?

    /// `resumable`: a run paused by `OPSETL_TEST_PAUSE_AT` goes on when `resume()` is called
    /// (`OPSETL_TEST_RESUME=stdin`), instead of waiting for a signal.
    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:], resumable: Bool = false) throws {
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = environment
        if resumable { environment["OPSETL_TEST_RESUME"] = "stdin" }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = out
        process.standardError = err
        input = resumable ? Pipe() : nil
        if let input { process.standardInput = input }
        try process.run()
    }

    /// Lets a paused resumable run go on.
    func resume() {
        input?.fileHandleForWriting.write(Data("\n".utf8))
    }

    var pid: Int32 { process.processIdentifier }

    /// Reads stderr until `marker` appears; false when the process closed stderr (ended) first.
    func waitForStderr(_ marker: String) -> Bool {
        while !stderrText.contains(marker) {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { return false }
            stderrText += String(decoding: data, as: UTF8.self)
        }
        return true
    }

    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the process to end. `status` is the exit code, or 128 + N when signal N killed it.
    func finish() -> CLIResult {
        let rest = err.fileHandleForReading.readDataToEndOfFile()
        stderrText += String(decoding: rest, as: UTF8.self)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CLIResult(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: stderrText)
    }
}

extension Workspace {
    /// Every file under `dir` (relative path → bytes), with `summary.json`'s `timings_seconds`
    /// removed (the one thing that rightly differs between runs). Nil when `dir` does not exist.
    func report(_ dir: String) -> [String: Data]? {
        let root = url.appendingPathComponent(dir)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return nil }
        var files: [String: Data] = [:]
        for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let name = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            var data = try! Data(contentsOf: file)
            if name == "summary.json" { data = Workspace.withoutTimings(data) }
            files[name] = data
        }
        return files
    }

    /// Names in `dir` (hidden ones included), sorted.
    func listing(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent(dir).path)) ?? []).sorted()
    }

    /// The same bytes with the body of `"timings_seconds": {…}` emptied (it holds no nested object).
    static func withoutTimings(_ summary: Data) -> Data {
        let text = String(decoding: summary, as: UTF8.self)
        let stripped = text.replacingOccurrences(of: #""timings_seconds": \{[^}]*\}"#, with: #""timings_seconds": {}"#,
                                                 options: .regularExpression)
        return Data(stripped.utf8)
    }
}
