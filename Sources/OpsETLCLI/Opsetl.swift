import ArgumentParser
import Foundation
import OpsETL

/// The `opsetl` command. Errors become one line on stderr and an exit code here, and only here (SPEC §8):
/// 0 success, 1 runtime failure, 2 usage or pipeline error, 3 quality gate failed;
/// 128 + N when stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP; see `SignalWatcher`).
@main
struct Opsetl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opsetl",
        abstract: "Nightly operations analytics: cohort retention, funnel conversion and channel ROI from CSV exports.",
        version: OpsETLVersion.string,
        subcommands: [Run.self, Validate.self, Inspect.self, Sample.self, Part.self])

    static func main() {
        useOneMallocArena()
        SignalWatcher.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as OpsError {
            // The quality gate's message is a first line, then one line per failing input (SPEC §5).
            let lines = [error.message] + error.details
            for line in lines.dropLast() { TerminalProgress.shared.writeFinalLine("opsetl: error: \(line)") }
            fail(lines.last!, code: error.exitCode)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // Help and --version are "errors" to the parser but successes to the user.
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // Argument parser exits 64 on usage errors; SPEC §8 says 2.
            let message = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            fail("\(message) (see 'opsetl --help')", code: 2)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        // One line, with nothing from the arguments or the data written raw (SPEC §8, §9).
        TerminalProgress.shared.writeFinalLine("opsetl: error: \(OpsError.oneLine(message))")
        Foundation.exit(code)
    }
}
