import ArgumentParser
import OpsETL

extension Opsetl {
    /// `opsetl validate PIPELINE [--data]`: checks the pipeline and every input's header; with
    /// `--data` also reads every row as a run would (SPEC §8). Writes nothing either way.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a pipeline file and its inputs' headers without running it.",
            discussion: """
                With --data every row is read as a run would read it, and the ledger of each input, the \
                quality gate's verdict and every warning are printed; still nothing is written. Exit codes \
                as for run: 0 ok (warnings do not change it), 1 runtime failure, 2 pipeline error, \
                3 the quality gate would fail.
                """)

        @Argument(help: "The pipeline file (JSON).")
        var pipeline: String

        @Flag(name: .long, help: "Also read every row: print each input's ledger, the quality gate's verdict and every warning.")
        var data = false

        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let logger = logging.makeLogger()
            let config = try Pipeline.load(path: pipeline)
            var settings = PipelineJob.Settings()
            settings.progress = data ? logging.progressMeter() : nil
            let job = PipelineJob(pipeline: config, settings: settings, logger: logger)
            let lines = try job.validate()
            // Header names and values come from the data: nothing of them reaches the terminal raw (SPEC §9).
            for line in lines { print(VisibleText.escaped(line)) }
            guard data else {
                print("ok: \(pipeline) is valid (\(lines.count) input file(s) checked)")
                return
            }
            let prepared = try job.prepare()
            print("")
            print(Self.ledger(prepared.quality))
            print("")
            let english = ReportStrings(.en)
            for warning in prepared.warnings {
                print(VisibleText.escaped("warning: \(warning.code.rawValue): \(WarningWording.message(warning, strings: english))"))
            }
            if prepared.warnings.isEmpty { print("warnings: none") }
            let gate = prepared.gate
            print("quality gate: \(gate.passed ? "passed" : "failed")")
            for failure in gate.failures { print(VisibleText.escaped("  \(failure.line)")) }
            guard gate.passed else {
                var error = gate.error(failedDirectory: nil)
                error.details = []   // the lines are above, on stdout
                throw error
            }
            print("ok: \(pipeline) is valid and its data passes the quality gate "
                  + "(\(prepared.data.since) … \(prepared.data.asOf); nothing written)")
        }

        /// The rows of `data_quality.csv` as an aligned table.
        static func ledger(_ quality: QualityReport) -> String {
            let rows = quality.inputs.map { q in
                [q.kind.rawValue, String(q.rowsRead), String(q.rowsKept), String(q.rejected), String(q.duplicates),
                 String(q.afterAsOf), String(q.excludedStatus), String(q.unknownUserIgnored), q.formattedRejectRate()]
            }
            return TextTable.render(header: QualityTables.dataQualityHeader, rows: rows)
        }
    }
}
