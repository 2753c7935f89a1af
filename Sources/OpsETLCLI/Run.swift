import ArgumentParser
import Foundation
import OpsETL

extension Opsetl {
    /// `opsetl run PIPELINE`: the nightly job.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a pipeline: ingest, clean, deduplicate, analyse and write the outputs.",
            discussion: """
                The output folder is replaced in one step; a run that fails or is stopped leaves the previous \
                report as it was. One run at a time per output folder: a second run of the same folder exits \
                with code 1 ("another opsetl run (pid N) is writing ...") unless --wait is given, which queues \
                it behind the first. The lock is the file .<folder name>.lock beside the folder.

                Exit codes: 0 success; 1 runtime failure (unreadable input, I/O error, output folder locked); \
                2 usage or pipeline error; 3 quality gate failed (details in <output dir>.failed); \
                130/143/129 stopped by SIGINT/SIGTERM/SIGHUP (nothing half-written is left).
                """)

        @Argument(help: "The pipeline file (JSON).")
        var pipeline: String

        @Option(name: .customLong("as-of"), help: "Last local date analysed (YYYY-MM-DD); overrides the pipeline's as_of.")
        var asOf: String?

        @Option(name: .long, help: "Output folder; overrides output.dir ({as_of} and {name} are substituted).")
        var output: String?

        @Option(name: .long, help: "Concurrent chunks per file (1 = fully sequential). Default: 2 × cores.")
        var threads: Int?

        @Flag(name: .long, help: "If another run is writing the same output folder, wait for it to finish instead of exiting with code 1.")
        var wait = false

        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            if let asOf, LocalDate(iso: asOf) == nil {
                throw ValidationError("--as-of must be a date like 2025-06-30, got \"\(VisibleText.clipped(asOf))\"")
            }
            if let asOf, let date = LocalDate(iso: asOf), let problem = LocalDate.rangeProblem(date) {
                throw ValidationError("--as-of \(problem)")
            }
            if let threads, threads < 1 {
                throw ValidationError("--threads must be at least 1")
            }
        }

        func run() throws {
            let logger = logging.makeLogger()
            var config = try Pipeline.load(path: pipeline)
            if let asOf { config.asOf = LocalDate(iso: asOf) }
            if let output {
                config.output.dir = try OutputTarget.commandLinePath(output)
                config.output.setByCommandLine = true
            }
            if let since = config.since, let asOf = config.asOf, since > asOf {
                throw OpsError.configuration("--as-of \(asOf) is before the pipeline's since (\(since))")
            }
            var settings = PipelineJob.Settings()
            if let threads { settings.maxChunks = threads }
            settings.waitForLock = wait
            settings.progress = logging.progressMeter()
            let outcome = try PipelineJob(pipeline: config, settings: settings, logger: logger).run()
            // SPEC §8: the last line (shown on a terminal) names the report and how many goals were met.
            logger.info("\(Self.lastLine(outcome, formats: config.output.formats))")
        }

        /// `done: 2025-01-01 … 2025-06-30; open reports/2025-06-30/report.html; 2 of 3 goals met`
        static func lastLine(_ outcome: PipelineJob.Outcome, formats: [OutputFormat]) -> String {
            let dir = Self.display(outcome.outputDirectory)
            let report = formats.contains(.html) ? "open \(dir)/report.html"
                : formats.contains(.md) ? "read \(dir)/report.md" : "outputs in \(dir)"
            let goals = outcome.advice.goals
            let met = goals.isEmpty ? "no goals set"
                : "\(goals.filter { $0.status == .met }.count) of \(goals.count) goal\(goals.count == 1 ? "" : "s") met"
            return "done: \(outcome.since) … \(outcome.asOf); \(report); \(met)"
        }

        /// A path inside the working directory is shown relative to it.
        static func display(_ path: String) -> String {
            let cwd = FileManager.default.currentDirectoryPath
            return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
        }
    }
}
