import Foundation
import OpsETL
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT, SIGTERM and SIGHUP stop a run cleanly (issue 5): the staging folder being written
/// is removed, one line goes to stderr, and the process exits with 128 + the signal number
/// (130, 143, 129). A report already in place is never touched.
///
/// The signals are blocked in the main thread before any other thread exists, so every thread
/// started later (Dispatch's workers included) inherits the mask, and one dedicated thread
/// takes them with `sigwait` — ordinary Swift code, no async-signal-safety limits.
enum SignalWatcher {
    static let handled: [(signal: Int32, name: String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")]

    /// Call first thing in `main`, while the process has one thread.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for (signal, _) in handled { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let signals = set
        let watcher = Thread { watch(signals) }
        watcher.name = "opsetl-signals"
        watcher.start()
    }

    private static func watch(_ set: sigset_t) {
        var set = set
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        let published = Interruption.abandon()
        let name = handled.first { $0.signal == signal }?.name ?? "signal \(signal)"
        let outcome = published.isEmpty
            ? "stopped before publishing anything; any previous report is untouched"
            : "stopped after publishing \(published.joined(separator: ", "))"
        // On a terminal the progress line (TerminalProgress) is cleared first, without its lock.
        let clear = isatty(STDERR_FILENO) != 0 ? "\r\u{1B}[2K" : ""
        let line = Array("\(clear)opsetl: error: interrupted by \(name): \(outcome)\n".utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
        _exit(128 + signal)
    }
}
