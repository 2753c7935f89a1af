import ArgumentParser
import Foundation
import Logging
import OpsETL

/// `--quiet`, `--verbose` and `--log-format`, shared by the commands that log.
///
/// Logs go to stderr. On a terminal, info-level progress is shown; when stderr is not a
/// terminal (cron, CI) only warnings and errors are, unless `--verbose` or JSON logs are asked for.
struct LoggingOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Flag(name: .shortAndLong, help: "Only errors on stderr.")
    var quiet = false

    @Flag(name: .long, help: "Progress and details on stderr even when it is not a terminal.")
    var verbose = false

    @Option(name: .long, help: "Log line format: text or json (one JSON object per line).")
    var logFormat: Format = .text

    func makeLogger() -> Logger {
        let level: Logger.Level
        if quiet {
            level = .error
        } else if verbose || logFormat == .json || isatty(STDERR_FILENO) != 0 {
            level = .info
        } else {
            level = .warning
        }
        let format = logFormat
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label, json: format == .json)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "opsetl")
    }

    /// SPEC §8: progress on a terminal, redrawn in place; none with `--quiet` or JSON logs
    /// (and none when stderr is not a terminal, `TerminalProgress.meter`).
    func progressMeter() -> ProgressMeter? {
        TerminalProgress.meter(enabled: !quiet && logFormat == .text)
    }
}

/// A swift-log handler writing one line per message to stderr, as text or JSON.
struct StderrLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        // A message may quote the data (a channel, a file name): nothing reaches the terminal
        // raw and every message stays one line (SPEC §9).
        let message = OpsError.oneLine(event.message.description)
        let line: String
        if json {
            let fields: [String: String] = [
                "level": event.level.rawValue,
                "message": message,
                "time": ISO8601DateFormatter().string(from: Date()),
            ]
            let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        } else {
            line = "opsetl: \(event.level.rawValue): \(message)"
        }
        TerminalProgress.shared.writeLine(line)
    }
}
