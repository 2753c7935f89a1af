import Foundation
import OpsETL

/// The CLI's stderr: log lines, and on a terminal one progress line below them that is redrawn
/// in place (SPEC §8: per input, bytes read of the total, rows per second, time left).
///
/// Every write to stderr goes through here, so a log line never lands in the middle of the
/// progress line: the progress line is cleared, the log line written, and the progress line
/// drawn again. Inputs read at the same time (users and spend) share the line.
final class TerminalProgress: @unchecked Sendable {
    static let shared = TerminalProgress()

    private let lock = NSLock()
    /// The inputs being read, in the order they started.
    private var active: [ProgressMeter.Snapshot] = []
    private var shown = false

    /// The meter a job reports to: only when stderr is a terminal and progress is wanted.
    static func meter(enabled: Bool) -> ProgressMeter? {
        guard enabled, isatty(STDERR_FILENO) != 0 else { return nil }
        return ProgressMeter { shared.update($0) }
    }

    /// Writes one log line (with its newline added).
    func writeLine(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        var out = shown ? "\r\u{1B}[2K" : ""
        out += line + "\n"
        shown = false
        if !active.isEmpty {
            out += Self.render(active)
            shown = true
        }
        write(out)
    }

    /// Clears the progress line for good and writes `line`: the last words of a run that stops.
    func writeFinalLine(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        active = []
        write((shown ? "\r\u{1B}[2K" : "") + line + "\n")
        shown = false
    }

    func update(_ snapshot: ProgressMeter.Snapshot) {
        lock.lock()
        defer { lock.unlock() }
        if let i = active.firstIndex(where: { $0.kind == snapshot.kind }) {
            active[i] = snapshot
        } else {
            active.append(snapshot)
        }
        // An input's last state is drawn once; the "read …" line that follows replaces it.
        let line = Self.render(active)
        active.removeAll { $0.finished }
        write("\r\u{1B}[2K" + line)
        shown = true
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `reading users 45% · 18.0 of 40.0 MiB · 1,234,567 rows · 812,000 rows/s · 3 s left`
    static func render(_ inputs: [ProgressMeter.Snapshot]) -> String {
        "reading " + inputs.map(describe).joined(separator: "  |  ")
    }

    static func describe(_ s: ProgressMeter.Snapshot) -> String {
        let percent = s.totalBytes > 0 ? s.bytesRead * 100 / s.totalBytes : 100
        let rate = s.rowsPerSecond.map { PipelineJob.grouped(Int($0.rounded())) } ?? "…"
        let left = s.secondsLeft.map(duration) ?? "…"
        return "\(s.kind.rawValue) \(percent)% · \(bytes(s.bytesRead, unitOf: s.totalBytes)) of \(bytes(s.totalBytes)) · "
            + "\(PipelineJob.grouped(s.rows)) row\(s.rows == 1 ? "" : "s") · \(rate) rows/s · \(left) left"
    }

    /// Binary units with one decimal (`1.5 MiB`); `unitOf` picks the unit of another number, so
    /// "18.0 of 40.0 MiB" reads at a glance.
    static func bytes(_ n: Int, unitOf reference: Int? = nil) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var k = 0
        var scale = 1.0
        while k + 1 < units.count && Double(reference ?? n) >= scale * 1024 {
            scale *= 1024
            k += 1
        }
        let value = k == 0 ? String(n) : String(format: "%.1f", Double(n) / scale)
        return reference == nil ? "\(value) \(units[k])" : value
    }

    /// `42 s`, `3 min 5 s`, `1 h 2 min`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s) s" }
        if s < 3_600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3_600) h \(s % 3_600 / 60) min"
    }
}
