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

        @Option(name: .long, help: "Run partitioned: the stages of 'opsetl part' in this process over N partitions, spilled to a scratch folder beside the output (same outputs, byte for byte).")
        var partitions: Int?

        @Option(name: .customLong("memory-limit"), help: "Run partitioned when the inputs' estimated in-memory size is above this (e.g. 2GB, 512MB).")
        var memoryLimit: String?

        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            if let asOf, LocalDate(iso: asOf) == nil {
                throw ValidationError("--as-of must be a date like 2025-06-30, got \"\(VisibleText.clipped(asOf))\"")
            }
            if let threads, threads < 1 {
                throw ValidationError("--threads must be at least 1")
            }
            if let partitions, partitions < 1 || partitions > 65_536 {
                throw ValidationError("--partitions must be between 1 and 65536")
            }
            if let memoryLimit, Self.bytes(memoryLimit) == nil {
                throw ValidationError("--memory-limit must be a size like 2GB or 512MB, got \"\(VisibleText.clipped(memoryLimit))\"")
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
            let job = PipelineJob(pipeline: config, settings: settings, logger: logger)
            var partitioned = partitions
            if partitioned == nil, let limit = memoryLimit.flatMap(Self.bytes) {
                let estimate = try PartitionedRun.estimatedMemory(job)
                if estimate > limit {
                    // docs/partitioned.md: enough partitions that one holds about a quarter of the budget.
                    partitioned = min(4096, max(2, (estimate * 4 + limit - 1) / limit))
                    logger.info("estimated \(estimate >> 20) MB in memory, above --memory-limit: running with \(partitioned!) partitions")
                }
            }
            let outcome = try partitioned.map { try PartitionedRun(job: job, partitions: $0).run() } ?? job.run()
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

        /// `2GB`, `512MB`, `64KB`, `1000` (bytes); units are binary (1 GB = 2^30 bytes).
        static func bytes(_ text: String) -> Int? {
            let t = text.trimmingCharacters(in: .whitespaces).uppercased()
            let units: [(String, Int)] = [("GB", 1 << 30), ("G", 1 << 30), ("MB", 1 << 20), ("M", 1 << 20), ("KB", 1 << 10), ("K", 1 << 10), ("B", 1)]
            for (suffix, scale) in units where t.hasSuffix(suffix) {
                guard let n = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n > 0 else { return nil }
                return Int(n * Double(scale))
            }
            return Int(t).flatMap { $0 > 0 ? $0 : nil }
        }

        /// A path inside the working directory is shown relative to it.
        static func display(_ path: String) -> String {
            let cwd = FileManager.default.currentDirectoryPath
            return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
        }
    }
}
