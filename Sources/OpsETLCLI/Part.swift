import ArgumentParser
import Foundation
import OpsETL

extension Opsetl {
    /// `opsetl part <stage>`: the stages of a partitioned run (docs/partitioned.md), for an external driver such
    /// as `scripts/opsetl-spark`. The contract (commands, files, exit codes) is docs/partitioned.md.
    struct Part: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The stages of a partitioned run, for a driver such as Spark (see docs/partitioned.md).",
            discussion: """
                plan → map (one per task) → resolve → dedupe (one per partition) → analyze (one per partition) → merge. \
                Each stage reads and writes files of the versioned intermediate format; every output is a function \
                of the stage's inputs, so a retried stage replaces its files. Exit codes: 0 success; 1 runtime failure \
                (an intermediate file corrupt, of another version, kind, partition count or plan, a task or partition \
                missing); 2 usage or pipeline error; 3 (merge) the quality gate failed.
                """,
            subcommands: [PartPlanCommand.self, PartMapCommand.self, PartResolveCommand.self, PartDedupeCommand.self,
                          PartAnalyzeCommand.self, PartMergeCommand.self])
    }
}

/// What every stage takes: the pipeline, `--as-of` and the logging options.
struct PartPipelineOptions: ParsableArguments {
    @Argument(help: "The pipeline file (JSON), the same for every stage.")
    var pipeline: String

    @Option(name: .customLong("as-of"), help: "Last local date analysed; give the same value to every stage.")
    var asOf: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let asOf, LocalDate(iso: asOf) == nil {
            throw ValidationError("--as-of must be a date like 2025-06-30, got \"\(VisibleText.clipped(asOf))\"")
        }
    }

    func job(output: String? = nil, wait: Bool = false) throws -> PartitionJob {
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
        settings.waitForLock = wait
        return PartitionJob(job: PipelineJob(pipeline: config, settings: settings, logger: logger))
    }
}

struct PartPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Write DIR/plan.json: one map task per input file.")
    @OptionGroup var options: PartPipelineOptions
    @Option(help: "The work folder (created if missing).") var work: String
    @Option(help: "Partitions of the dedupe and analyze stages.") var partitions = 16

    func run() throws {
        let job = try options.job()
        let plan = try job.plan(partitions: partitions)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try plan.write(to: "\(work)/\(PartPlan.fileName)")
        print("\(plan.tasks.count) task(s), \(plan.partitions) partition(s): \(work)/\(PartPlan.fileName)")
    }
}

struct PartMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "map",
                                                    abstract: "Parse and clean one task's file into OUT/part-<p>.bin and OUT/task.bin (a users task: also OUT/users.bin).")
    @OptionGroup var options: PartPipelineOptions
    @Option(help: "The work folder holding plan.json.") var work: String
    @Option(help: "The task number in plan.json.") var task: Int
    @Option(help: "Partitions (as in plan.json).") var partitions: Int
    @Option(help: "Output folder of this task.") var out: String
    @Option(parsing: .upToNextOption,
            help: "users.bin of every users task (for a sales or events task: rows of these users need not carry their fields).")
    var users: [String] = []

    func run() throws {
        let job = try options.job()
        let known = users.isEmpty ? nil : try PartitionJob.knownUsers(users)
        try job.map(plan: try PartPlan.read("\(work)/\(PartPlan.fileName)"), task: task, partitions: partitions, outDir: out, known: known)
    }
}

struct PartResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve",
                                                    abstract: "Write DIR/context.bin (since, as_of) from every task.bin.")
    @OptionGroup var options: PartPipelineOptions
    @Option(help: "The work folder holding plan.json.") var work: String
    @Argument(help: "Every map task's task.bin.") var taskFiles: [String] = []

    func run() throws {
        let job = try options.job()
        let context = try job.resolve(plan: try PartPlan.read("\(work)/\(PartPlan.fileName)"), taskFiles: taskFiles)
        try context.write(to: "\(work)/context.bin")
        print("\(context.since) … \(context.asOf): \(work)/context.bin")
    }
}

struct PartDedupeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dedupe",
                                                    abstract: "Keep rules on one dedup-key partition: OUT/part-<q>.bin by user, OUT/counts.bin.")
    @OptionGroup var options: PartPipelineOptions
    @Option(help: "context.bin written by resolve.") var context: String
    @Option(help: "This partition.") var partition: Int
    @Option(help: "Partitions.") var partitions: Int
    @Option(help: "Output folder of this partition.") var out: String
    @Argument(help: "part-<partition>.bin of every map task.") var inputs: [String] = []

    func run() throws {
        let job = try options.job()
        try job.dedupe(context: try PartContext.read(context), partition: partition, partitions: partitions, inputs: inputs, outDir: out)
    }
}

struct PartAnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze",
                                                    abstract: "One user partition: unknown users decided, the partial written to OUT.")
    @OptionGroup var options: PartPipelineOptions
    @Option(help: "context.bin written by resolve.") var context: String
    @Option(help: "This partition.") var partition: Int
    @Option(help: "The partial file to write.") var out: String
    @Argument(help: "part-<partition>.bin of every dedupe output.") var inputs: [String] = []

    func run() throws {
        let job = try options.job()
        try job.analyze(context: try PartContext.read(context), partition: partition, inputs: inputs, outFile: out)
    }
}

struct PartMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge",
                                                    abstract: "Merge partials, task.bin and counts.bin files and publish the outputs as run does.")
    @OptionGroup var options: PartPipelineOptions
    @Option(help: "context.bin written by resolve.") var context: String
    @Option(name: .long, help: "Output folder; overrides output.dir ({as_of} and {name} are substituted).") var output: String?
    @Flag(name: .long, help: "Wait for another run writing the same output folder instead of exiting with code 1.") var wait = false
    @Argument(help: "Every partial, task.bin and counts.bin, in any order.") var files: [String] = []

    func run() throws {
        let job = try options.job(output: output, wait: wait)
        let outcome = try job.merge(context: try PartContext.read(context), files: files)
        job.job.logger.info("\(Opsetl.Run.lastLine(outcome, formats: job.job.pipeline.output.formats))")
    }
}
