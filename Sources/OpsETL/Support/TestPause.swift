import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A hidden, test-only hook: `OPSETL_TEST_PAUSE_AT=<stage>` stops the run at that stage so an
/// end-to-end test can kill it there without racing the clock.
///
/// At the named point the process writes one line, `opsetl: test: paused at <stage> (pid N)`,
/// to stderr and then waits until a signal ends it. Stages: `ingest` (users and spend read,
/// sales and events not yet), `part_map` (a partitioned run's map tasks written to its scratch
/// folder), `analyze` (inside the concurrent analyses), `write` (the staging
/// folder is fully written, not yet swapped in), `swap` (the new report is in place, the
/// previous one not yet removed). Without the variable every point is a no-op.
///
/// With `OPSETL_TEST_RESUME=stdin` as well, the run goes on when a byte arrives on its stdin
/// (a test that makes two runs meet at a stage, such as the lock test); at end of input it
/// keeps waiting for a signal.
public enum TestPause {
    private static let stage: String? = ProcessInfo.processInfo.environment["OPSETL_TEST_PAUSE_AT"]
    private static let resumeOnStdin = ProcessInfo.processInfo.environment["OPSETL_TEST_RESUME"] == "stdin"

    /// Stops here when `OPSETL_TEST_PAUSE_AT` names `name`: forever, or until stdin says go on.
    public static func point(_ name: String) {
        guard let stage, stage == name else { return }
        FileHandle.standardError.write(Data("opsetl: test: paused at \(name) (pid \(getpid()))\n".utf8))
        if resumeOnStdin {
            var byte: UInt8 = 0
            while true {
                let n = read(STDIN_FILENO, &byte, 1)
                if n == 1 {
                    FileHandle.standardError.write(Data("opsetl: test: resumed at \(name)\n".utf8))
                    return
                }
                if n < 0 && errno == EINTR { continue }
                break
            }
        }
        while true { sleep(3600) }
    }
}
