import Foundation
import Logging

/// The whole nightly job: ingest → clean → dedupe → integrate → analyze → advise → report.
///
/// Sequencing, and why: users are cleaned first (concurrently with channel spend) because
/// sales and events are tagged with their user while they are parsed; sales and events
/// then run concurrently. Each file is itself parsed on every core (see `CSVScanner`).
/// No stage reads anything but the output of the stage before it.
public struct PipelineJob: Sendable {
    public struct Settings: Sendable {
        /// Upper bound on concurrent chunks per file; 1 runs everything sequentially.
        public var maxChunks: Int
        /// When another run holds the output folder's lock: wait for it (true) or fail at once (false).
        public var waitForLock: Bool
        /// Told how far each input's reading has come (SPEC §8; the CLI sets it on a terminal).
        public var progress: ProgressMeter?
        public init(maxChunks: Int = max(2, ProcessInfo.processInfo.activeProcessorCount * 2), waitForLock: Bool = false,
                    progress: ProgressMeter? = nil) {
            self.maxChunks = maxChunks
            self.waitForLock = waitForLock
            self.progress = progress
        }
    }

    /// What a successful (or gate-failed) run produced.
    public struct Outcome: Sendable {
        /// The folder the outputs were published to.
        public let outputDirectory: String
        public let quality: QualityReport
        public let since: LocalDate
        public let asOf: LocalDate
        public let analyses: AnalysisResults
        public let advice: Advice
    }

    public let pipeline: Pipeline
    public let settings: Settings
    public let logger: Logger

    public init(pipeline: Pipeline, settings: Settings = Settings(), logger: Logger) {
        self.pipeline = pipeline
        self.settings = settings
        self.logger = logger
    }

    /// Everything up to and including integration: what the analyses and the report start from.
    public struct Prepared: Sendable {
        /// What the analyses start from: the integrated rows (`run`), or the merged per-user partials
        /// and the kept spend rows (a partitioned run's merge, docs/partitioned.md).
        public enum Source: Sendable {
            case data(IntegratedData)
            case partials(AnalysisPartials, spend: [SpendRow])
        }
        public let source: Source
        /// First and last local dates analysed (resolved defaults included).
        public let since: LocalDate
        public let asOf: LocalDate
        /// The integrated rows of an in-memory run (a partitioned run's merge holds none).
        public var data: IntegratedData {
            guard case .data(let data) = source else { preconditionFailure("Prepared.data: a partitioned run holds partials, not rows") }
            return data
        }
        public let quality: QualityReport
        public let digests: [InputKind: [FileDigest]]
        public var timings: StageTimings
        /// `output.dir` with its placeholders substituted.
        public let outputDirectory: String
        /// Each input's latest local date among the rows that parsed; an input none of whose rows did is absent.
        public let latestDates: [InputKind: LocalDate]
        /// SPEC §5: the gate's verdict on this data.
        public let gate: QualityGate
        /// SPEC §9: settings that matched nothing (none when no row is valid: everything would match nothing).
        public let warnings: [DataWarning]

        init(data: IntegratedData, quality: QualityReport, digests: [InputKind: [FileDigest]], timings: StageTimings,
             outputDirectory: String, latestDates: [InputKind: LocalDate], gate: QualityGate, warnings: [DataWarning]) {
            self.init(source: .data(data), since: data.since, asOf: data.asOf, quality: quality, digests: digests, timings: timings,
                      outputDirectory: outputDirectory, latestDates: latestDates, gate: gate, warnings: warnings)
        }

        init(source: Source, since: LocalDate, asOf: LocalDate, quality: QualityReport, digests: [InputKind: [FileDigest]],
             timings: StageTimings, outputDirectory: String, latestDates: [InputKind: LocalDate], gate: QualityGate,
             warnings: [DataWarning]) {
            self.source = source
            self.since = since
            self.asOf = asOf
            self.quality = quality
            self.digests = digests
            self.timings = timings
            self.outputDirectory = outputDirectory
            self.latestDates = latestDates
            self.gate = gate
            self.warnings = warnings
        }

        /// SPEC §4: the four analyses (from the rows, or by finishing the merged partials).
        func analyses(_ pipeline: Pipeline) throws -> AnalysisResults {
            switch source {
            case .data(let data): try AnalysisResults.compute(data, pipeline: pipeline)
            case .partials(let partials, let spend): partials.results(spend: spend, pipeline: pipeline)
            }
        }
    }

    /// Runs the job and publishes its outputs; throws `OpsError` (exit 3 when the quality gate fails,
    /// after writing `<dir>.failed`).
    public func run() throws -> Outcome {
        try run(execution: { nil }) { try prepare() }
    }

    /// `run`, with the data prepared by `preparing` (the in-memory `prepare`, or the partition stages'
    /// merge (docs/partitioned.md), which also says how it ran in `summary.json`'s `execution`).
    func run(execution: () -> JSONValue?, preparing: () throws -> Prepared) throws -> Outcome {
        // SPEC §9 "Output folder safety": the folder (and its `.failed` sibling) is checked as soon
        // as it is known — before reading anything when as_of is given, else once the data has set
        // it — and then one run per folder at a time (`OutputLock`).
        // A folder without `{as_of}` is known before the data too, whatever the date.
        let knownUpFront = pipeline.asOf ?? (pipeline.output.dir.contains("{as_of}") ? nil : LocalDate(iso: "2000-01-01"))
        var target = try knownUpFront.map { try outputTarget(asOf: $0) }
        var lock = try target.map { try lockOutput($0.path) }
        defer { lock?.release() }
        let prepared = try preparing()
        if target == nil {
            target = try outputTarget(asOf: prepared.asOf)
            lock = try lockOutput(target!.path)
        }
        let quality = prepared.quality
        let output = target!
        let outputDir = output.path
        let (since, asOf) = (prepared.since, prepared.asOf)

        // SPEC §9: warnings go to stderr (and into summary.json and the report); they change nothing else.
        let english = ReportStrings(.en)
        for warning in prepared.warnings {
            logger.warning("\(warning.code.rawValue): \(WarningWording.message(warning, strings: english))")
        }

        // SPEC §5: the gate. The previous output stays untouched; quality outputs go to <dir>.failed.
        let failedTarget = try output.failed(protecting: protectedPaths())
        let failedDir = failedTarget.path
        if !prepared.gate.passed {
            try OutputFolder.publish(ReportOutputs.quality(quality), to: failedTarget, lock: lock)
            throw prepared.gate.error(failedDirectory: failedDir)
        }

        // SPEC §4: the four analyses over the same immutable data, each split across every core.
        var timings = prepared.timings
        let analyses = try timings.measure("analyze") { try prepared.analyses(pipeline) }

        // SPEC §6: goals and suggestions read only the analyses and the quality ledger. A target
        // names a channel the way the team writes it; the data's channel normalisation maps it.
        let channels = ChannelNormalizer(aliases: pipeline.cleaning.channelAliases)
        let advice = timings.measure("advise") {
            Advice.compute(analyses, quality: quality, pipeline: pipeline, channelName: { channels.normalize($0) })
        }
        let review = Review(pipeline: pipeline, since: since, asOf: asOf, quality: quality, analyses: analyses, advice: advice,
                            warnings: prepared.warnings)

        let entries = ReportOutputs.all(review, digests: prepared.digests, timings: timings, execution: execution())
        try OutputFolder.publish(entries, to: output, lock: lock)
        logger.info("wrote \(outputDir)")
        // SPEC §9: a success removes an earlier <dir>.failed, so a monitor never reads an old failure as new.
        removeStaleFailure(failedTarget)
        return Outcome(outputDirectory: outputDir, quality: quality, since: since, asOf: asOf, analyses: analyses, advice: advice)
    }

    /// Ingest, clean, dedupe and integrate; nothing is written.
    public func prepare() throws -> Prepared {
        var timings = StageTimings()
        let zone = try zoneRules()
        let channels = ChannelNormalizer(aliases: pipeline.cleaning.channelAliases)
        let sets = try fileSets()
        let chunks = settings.maxChunks
        // Shared by every chunk: ids longer than 15 bytes, and event names, each numbered once.
        let longIds = LongIds()
        let eventNames = EventNames()
        let statuses = StatusMatcher(excludeStatuses: pipeline.cleaning.excludeStatuses)

        // Ingest + clean users and channel spend concurrently.
        let progress = settings.progress
        var (usersClean, channelsClean) = try timings.measure("ingest_users_channels") {
            try concurrently(
                { try InputCleaner.run(sets.users, spec: pipeline.inputs.users, maxChunks: chunks, progress: progress) { map, file in
                    UsersSink(map: map, file: file, zone: zone, channels: channels, longIds: longIds,
                              values: ValueReader(spec: pipeline.inputs.users, cleaning: pipeline.cleaning)) } },
                { try sets.channels.map { set in
                    try InputCleaner.run(set, spec: pipeline.inputs.channels!, maxChunks: chunks, progress: progress) { map, file in
                        ChannelsSink(map: map, file: file, zone: zone, channels: channels,
                                     values: ValueReader(spec: pipeline.inputs.channels!, cleaning: pipeline.cleaning)) } } })
        }
        log(usersClean)
        if let channelsClean { log(channelsClean) }
        TestPause.point("ingest")
        var users: DedupedInput<UserRow>? = timings.measure("dedupe_users") { Deduplicator.users(&usersClean, asOf: pipeline.asOf) }
        let known = KnownUsers(keys: users!.rows.map(\.key))

        // Sales, then events, each file on every core, tagging each row with its user. One input
        // parsed at a time keeps memory low; with as_of known up front, sales are deduplicated
        // (freeing their keys) while the events are parsed.
        var salesClean = try timings.measure("ingest_sales") {
            try InputCleaner.run(sets.sales, spec: pipeline.inputs.sales, maxChunks: chunks, progress: progress) { map, file in
                SalesSink(map: map, file: file, zone: zone, users: known, longIds: longIds, statuses: statuses,
                          values: ValueReader(spec: pipeline.inputs.sales, cleaning: pipeline.cleaning)) }
        }
        log(salesClean)
        _ = mallocTrim(0)   // the sales chunks' memory, freed as they were appended
        var salesDeduped: DedupedInput<SaleRow>?
        var salesGrouped: Integrator.GroupedSales?
        var eventsClean: CleanedInput<EventRow>?
        func dedupeSales(asOf: LocalDate) {
            salesDeduped = Deduplicator.sales(&salesClean, asOf: asOf)
            salesGrouped = Integrator.groupSales(&salesDeduped!, userCount: known.count, cleaning: pipeline.cleaning)
            _ = mallocTrim(0)   // the sales' rows and keys, freed: back to the system while the events arrive
        }
        func ingestEvents(_ spec: InputSpec, _ set: InputFileSet) throws -> CleanedInput<EventRow> {
            try InputCleaner.run(set, spec: spec, maxChunks: chunks, progress: progress) { map, file in
                EventsSink(map: map, file: file, zone: zone, users: known, longIds: longIds, names: eventNames,
                           values: ValueReader(spec: spec, cleaning: pipeline.cleaning)) }
        }
        let eventsInput = pipeline.inputs.events.flatMap { spec in sets.events.map { (spec, $0) } }
        if let asOf = pipeline.asOf, let (eventsSpec, set) = eventsInput, chunks > 1 {
            // Issue 15: the events are parsed while the sales are deduplicated and grouped, so the
            // parse's single-threaded moments (read-ahead, chunk hand-over) leave no core idle. The
            // sales' rows and keys are freed long before the peak (the events' deduplication).
            var salesTimer = StageTimings(), eventsTimer = StageTimings()
            eventsClean = try concurrently(
                { salesTimer.measure("dedupe_sales") { dedupeSales(asOf: asOf) } },
                { try eventsTimer.measure("ingest_events") { try ingestEvents(eventsSpec, set) } }).1
            timings.append(salesTimer)
            timings.append(eventsTimer)
            log(eventsClean!)
        } else {
            if let asOf = pipeline.asOf {
                timings.measure("dedupe_sales") { dedupeSales(asOf: asOf) }
            }
            if let (eventsSpec, set) = eventsInput {
                eventsClean = try timings.measure("ingest_events") { try ingestEvents(eventsSpec, set) }
                log(eventsClean!)
            }
        }

        // SPEC §2/§9: defaults are the earliest/latest local date among rows that parsed, over all inputs.
        let spans = [(InputKind.users, usersClean.span), (.sales, salesClean.span)]
            + (channelsClean.map { [(.channels, $0.span)] } ?? []) + (eventsClean.map { [(.events, $0.span)] } ?? [])
        var latest: [InputKind: LocalDate] = [:]
        var span = DateSpan()
        for (kind, s) in spans {
            span = span.union(s)
            latest[kind] = s.max
        }
        // SPEC §5: with no valid row anywhere the gate fails (below), not the run: the night is then
        // `as_of` if given, else today's local date, which only names the `<dir>.failed` folder.
        let today = zone.localDate(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
        let asOf = pipeline.asOf ?? span.max ?? max(today, pipeline.since ?? today)
        let since = pipeline.since ?? span.min.map { min($0, asOf) } ?? asOf
        if since > asOf {
            throw OpsError.configuration("\(pipeline.filePath): since (\(since)) is after as_of (\(asOf))")
        }

        // SPEC §9: each file's size and SHA-256 were computed from the very bytes parsed, as they were read.
        var digests: [InputKind: [FileDigest]] = [.users: usersClean.digests, .sales: salesClean.digests]
        if let channelsClean { digests[.channels] = channelsClean.digests }
        if let eventsClean { digests[.events] = eventsClean.digests }
        var integrateTimings = StageTimings()
        // The chunks' and the sales' freed memory goes back to the system before the largest step
        // (the events' dedupe and the stream), so the peak is what is alive, not all ever held.
        _ = mallocTrim(0)
        let (data, quality) = integrateTimings.measure("dedupe_integrate") { () -> (IntegratedData, QualityReport) in
            // Rows move from stage to stage (inout), so millions of them are never held twice.
            var events: DedupedInput<EventRow>?
            if eventsClean != nil {
                events = Deduplicator.events(&eventsClean!, asOf: asOf, zone: zone)
                eventsClean = nil
            }
            if salesDeduped == nil { salesDeduped = Deduplicator.sales(&salesClean, asOf: asOf) }
            var inputs = Integrator.Inputs(
                users: users!,
                sales: salesDeduped!,
                channels: channelsClean.map { Deduplicator.channels($0, asOf: asOf) },
                events: events, eventNames: eventNames.names)
            inputs.groupedSales = salesGrouped
            salesGrouped = nil
            users = nil
            salesDeduped = nil
            events = nil
            return Integrator.run(&inputs, cleaning: pipeline.cleaning, zone: zone, since: since, asOf: asOf)
        }
        timings.append(integrateTimings)
        // The events' rows and every input's keys are gone: their pages go back before the analyses
        // allocate theirs (issue 15: the peak was at the start of analyze, on top of freed memory).
        _ = mallocTrim(0)
        // SPEC §5: an empty input logs a warning; with min_rows ≥ 1 (the default) the gate names it instead.
        for q in quality.inputs where q.rowsRead == 0 && (pipeline.inputs.spec(q.kind)?.minRows ?? 1) == 0 {
            logger.warning("input \(q.kind.rawValue) has no data rows")
        }
        let gate = QualityGate.evaluate(quality, pipeline: pipeline, asOf: asOf, latest: latest)
        let warnings = gate.noValidRow ? [] : DataWarning.find(pipeline: pipeline, data: data, usedAliasKeys: channels.usedAliasKeys)
        return Prepared(data: data, quality: quality, digests: digests, timings: timings,
                        outputDirectory: resolveOutputDirectory(asOf: asOf), latestDates: latest, gate: gate, warnings: warnings)
    }

    /// `validate`: the pipeline has already loaded; checks every input's files and headers.
    /// Returns one line per file describing what was found. Writes nothing.
    public func validate() throws -> [String] {
        _ = try zoneRules()
        let sets = try fileSets()
        var lines: [String] = []
        let optional = [(sets.channels, pipeline.inputs.channels), (sets.events, pipeline.inputs.events)].compactMap { set, spec in
            set.map { ($0, spec!) }
        }
        for (set, spec) in [(sets.users, pipeline.inputs.users), (sets.sales, pipeline.inputs.sales)] + optional {
            var shared = SharedHeader(kind: set.kind, spec: spec)
            for file in set.files {
                let source = try CSVSource(file: file, spec: spec, kind: set.kind)
                guard let map = try shared.columnMap(for: source), let header = source.header else {
                    lines.append("\(set.kind.rawValue): \(file.displayPath): empty file")
                    continue
                }
                let mapped = set.kind.canonicalColumns.enumerated().compactMap { i, c in
                    map.positions[i].map { "\(c)←\"\(ByteTrim.trim(header[$0]))\"" }
                }
                lines.append("\(set.kind.rawValue): \(file.displayPath): \(header.count) columns; \(mapped.joined(separator: ", "))")
            }
        }
        return lines
    }

    // MARK: - Pieces

    func zoneRules() throws -> ZoneRules {
        guard let zone = ZoneRules(identifier: pipeline.timezone) else {
            let reason: String
            if case .failure(let problem) = ZoneName.parse(pipeline.timezone) { reason = problem.message } else {
                reason = "unknown time zone \"\(pipeline.timezone)\""
            }
            throw OpsError.configuration("\(pipeline.filePath): timezone: \(reason)")
        }
        return zone
    }

    /// Removes `<dir>.failed` left by an earlier gate failure of this folder (the run holds its lock).
    /// It is renamed aside first, so a monitor sees it whole or not at all; a failure to remove it is a
    /// warning, as the report itself is already published.
    private func removeStaleFailure(_ failed: OutputTarget) {
        let failedDir = failed.path
        var info = stat()
        guard lstat(failedDir, &info) == 0 else { return }
        // SPEC §9: only what opsetl may replace is removed (checked before reading; checked again,
        // as something may have been put there since).
        do {
            try failed.checkReplaceable()
        } catch {
            logger.warning("left \(failedDir) in place: \(error)")
            return
        }
        let url = URL(fileURLWithPath: failedDir)
        let aside = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).remove-\(getpid())").path
        do {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                try FileManager.default.moveItem(atPath: failedDir, toPath: aside)
                try FileManager.default.removeItem(atPath: aside)
            } else {
                try FileManager.default.removeItem(atPath: failedDir)
            }
        } catch {
            logger.warning("could not remove \(failedDir), left by an earlier failed run: \(error.localizedDescription)")
        }
    }

    struct FileSets {
        let users, sales: InputFileSet
        let channels, events: InputFileSet?

        /// The configured inputs' file sets in the order of SPEC §5's ledger: users, sales, channels, events.
        var all: [InputFileSet] { [users, sales] + [channels, events].compactMap { $0 } }
    }

    func fileSets() throws -> FileSets {
        let base = pipeline.baseDirectory
        let inputs = pipeline.inputs
        return FileSets(
            users: try InputFileSet(kind: .users, spec: inputs.users, baseDirectory: base),
            sales: try InputFileSet(kind: .sales, spec: inputs.sales, baseDirectory: base),
            channels: try inputs.channels.map { try InputFileSet(kind: .channels, spec: $0, baseDirectory: base) },
            events: try inputs.events.map { try InputFileSet(kind: .events, spec: $0, baseDirectory: base) })
    }

    /// `output.dir` with `{as_of}` and `{name}` substituted (the name made safe for one path
    /// component, SPEC §9); not yet checked (`outputTarget`).
    public func resolveOutputDirectory(asOf: LocalDate) -> String {
        OutputTarget.substitute(pipeline.output.dir, name: pipeline.name, asOf: asOf)
    }

    /// The output folder for `asOf`, checked by SPEC §9's rules together with its `.failed`
    /// sibling; exit 2 when either may not be replaced.
    public func outputTarget(asOf: LocalDate) throws -> OutputTarget {
        let setting = pipeline.output.setByCommandLine ? "--output" : "\(pipeline.filePath): output.dir"
        let protected = protectedPaths()
        let target = try OutputTarget.resolve(resolveOutputDirectory(asOf: asOf), setting: setting, protecting: protected)
        _ = try target.failed(protecting: protected)
        return target
    }

    /// What no output folder may contain: the pipeline file, every input, the working directory.
    private func protectedPaths() -> OutputTarget.Protected {
        let inputs = pipeline.inputs
        let specs = [inputs.users, inputs.sales] + [inputs.channels, inputs.events].compactMap { $0 }
        return OutputTarget.Protected(pipelineFile: pipeline.filePath, inputs: specs.map(\.resolvedPath))
    }

    private func lockOutput(_ dir: String) throws -> OutputLock {
        try OutputLock(outputDirectory: dir, wait: settings.waitForLock) { holder in
            logger.warning("another opsetl run (\(holder)) is writing \(dir); waiting for it to finish")
        }
    }

    private func log<Row>(_ input: CleanedInput<Row>) {
        // SPEC §8: counts grouped for reading.
        let line = "read \(input.kind.rawValue): \(Self.grouped(input.rowsRead)) rows from \(input.files.count) file(s), "
            + "\(Self.grouped(input.rejects.count)) rejected while cleaning"
        logger.info("\(line)")
    }

    /// `1234567` → `1,234,567`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
