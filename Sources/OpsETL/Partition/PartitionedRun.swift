import Foundation


/// Partition: `opsetl run --partitions N` (docs/partitioned.md): the partition stages run in this process, one
/// task and one partition at a time (each on every core), over a scratch folder beside the output
/// folder, then published exactly as `run` publishes (lock, atomic publish, marker, `.failed`).
///
/// The scratch folder is `.opsetl-scratch-<pid>` in the output folder's parent. It is removed when
/// the run ends, succeeded or failed, and on SIGINT/SIGTERM/SIGHUP (it is registered with
/// `Interruption` like a staging folder); one left by a `kill -9` is removed by the next run there,
/// once its pid is no longer alive.
public struct PartitionedRun: Sendable {
    public let job: PipelineJob
    public let partitions: Int

    public init(job: PipelineJob, partitions: Int) {
        self.job = job
        self.partitions = partitions
    }

    public static let scratchPrefix = ".opsetl-scratch-"

    /// The folder the scratch folder goes in: the output folder's parent (the part of `output.dir`
    /// before any `{as_of}`, which is not known before the data is read).
    public static func scratchParent(_ pipeline: Pipeline) -> String {
        let template = pipeline.output.dir
        if let cut = template.range(of: "{as_of}") {
            let head = String(template[..<cut.lowerBound])
            let dir = head.hasSuffix("/") ? String(head.dropLast()) : URL(fileURLWithPath: head).deletingLastPathComponent().path
            let substituted = OutputTarget.substitute(dir.isEmpty ? "/" : dir, name: pipeline.name, asOf: LocalDate(days: 0))
            return substituted
        }
        let out = OutputTarget.substitute(template, name: pipeline.name, asOf: LocalDate(days: 0))
        return URL(fileURLWithPath: out).deletingLastPathComponent().path
    }

    /// Removes scratch folders of processes that no longer exist (a run killed with SIGKILL).
    public static func removeStale(in parent: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(scratchPrefix) {
            guard let pid = Int32(name.dropFirst(scratchPrefix.count)), pid > 0 else { continue }
            if pid == getpid() || (kill(pid, 0) == 0 || errno == EPERM) { continue }
            try? FileManager.default.removeItem(atPath: "\(parent)/\(name)")
        }
    }

    public func run() throws -> PipelineJob.Outcome {
        let stages = PartitionJob(job: job)
        let parent = Self.scratchParent(job.pipeline)
        let scratch = "\(parent)/\(Self.scratchPrefix)\(getpid())"
        var context: PartContext?
        return try job.run(execution: { context.map { PartitionJob.execution($0, driver: "local") } }) {
            let plan = try stages.plan(partitions: partitions)
            Self.removeStale(in: parent)
            do {
                try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            } catch {
                throw OpsError.runtime("\(scratch): cannot create the scratch folder: \(error.localizedDescription)")
            }
            Interruption.register(staging: scratch)
            defer {
                try? FileManager.default.removeItem(atPath: scratch)
                Interruption.unregister(staging: scratch)
            }
            var timings = StageTimings()
            try plan.write(to: "\(scratch)/\(PartPlan.fileName)")
            let mapDirs = plan.tasks.map { "\(scratch)/map-\($0.task)" }
            try timings.measure("part_map") {
                // Users (and spend) first: the sales and events tasks then know the kept users, and
                // only their rows of other ids carry their fields to the analyze stage.
                let first = plan.tasks.filter { $0.kind == InputKind.users.rawValue || $0.kind == InputKind.channels.rawValue }.map(\.task)
                // Biggest files first, so the longest task does not start last and run alone.
                let rest = plan.tasks.filter { !first.contains($0.task) }.sorted { $0.bytes > $1.bytes }.map(\.task)
                try eachAtOnce(first.count) { i in
                    try stages.map(plan: plan, task: first[i], partitions: partitions, outDir: mapDirs[first[i]])
                }
                let users = plan.tasks.filter { $0.kind == InputKind.users.rawValue }.map { "\(mapDirs[$0.task])/users.bin" }
                let known = try PartitionJob.knownUsers(users)
                try eachAtOnce(rest.count) { i in
                    try stages.map(plan: plan, task: rest[i], partitions: partitions, outDir: mapDirs[rest[i]], known: known)
                }
            }
            let taskFiles = mapDirs.map { "\($0)/task.bin" }
            TestPause.point("part_map")   // test-only: the scratch folder holds every map task's files
            let resolved = try stages.resolve(plan: plan, taskFiles: taskFiles)
            context = resolved
            let dedupeDirs = (0..<partitions).map { "\(scratch)/dedupe-\($0)" }
            try timings.measure("part_dedupe") {
                try eachAtOnce(partitions) { p in
                    try stages.dedupe(context: resolved, partition: p, partitions: partitions,
                                      inputs: mapDirs.map { PartitionJob.partFile($0, p) }, outDir: dedupeDirs[p])
                    for dir in mapDirs { unlink(PartitionJob.partFile(dir, p)) }
                }
            }
            let partials = (0..<partitions).map { "\(scratch)/partial-\($0).bin" }
            try timings.measure("part_analyze") {
                try eachAtOnce(partitions) { q in
                    try stages.analyze(context: resolved, partition: q, inputs: dedupeDirs.map { PartitionJob.partFile($0, q) },
                                       outFile: partials[q])
                    for dir in dedupeDirs { unlink(PartitionJob.partFile(dir, q)) }
                }
            }
            let files = partials + taskFiles + dedupeDirs.map { "\($0)/counts.bin" }
            var prepared = try stages.prepared(context: resolved, files: files)
            timings.append(prepared.timings)
            prepared.timings = timings
            return prepared
        }
    }

    /// Runs `count` independent tasks (map tasks, or partitions of a stage), as many at a time as
    /// there are cores (each also parallel inside), or one after another with `--threads 1`. Every
    /// task writes only its own files, so their order changes no byte of the outputs.
    private func eachAtOnce(_ count: Int, _ body: (Int) throws -> Void) throws {
        // Each task's memory is handed back to the system when it ends (glibc keeps freed memory
        // otherwise), so the next stage's peak does not stand on the last one's.
        func task(_ i: Int) throws {
            defer { _ = mallocTrim(0) }
            try body(i)
        }
        if job.settings.maxChunks <= 1 {
            for i in 0..<count { try task(i) }
        } else {
            _ = try parallelMap(count) { try task($0) }
        }
    }

    /// An estimate of what the in-memory run holds at its peak for these inputs (docs/partitioned.md,
    /// `--memory-limit`): about 1.5 bytes of memory per byte of CSV (rows, keys and the event stream).
    public static func estimatedMemory(_ job: PipelineJob) throws -> Int {
        let plan = try PartitionJob(job: job).plan(partitions: 1)
        return plan.tasks.reduce(0) { $0 + $1.bytes } * 3 / 2
    }
}
