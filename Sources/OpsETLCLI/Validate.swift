import ArgumentParser
import OpsETL

extension Opsetl {
    /// `opsetl validate PIPELINE`: checks the pipeline and every input's header; writes nothing.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a pipeline file and its inputs' headers without running it.")

        @Argument(help: "The pipeline file (JSON).")
        var pipeline: String

        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let logger = logging.makeLogger()
            let config = try Pipeline.load(path: pipeline)
            let lines = try PipelineJob(pipeline: config, logger: logger).validate()
            for line in lines { print(line) }
            print("ok: \(pipeline) is valid (\(lines.count) input file(s) checked)")
        }
    }
}
