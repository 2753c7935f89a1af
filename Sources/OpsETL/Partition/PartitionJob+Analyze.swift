import Foundation

/// Partition: the analyze stage (SPEC §3.4 step 4–5, §3.5, §4 on one user partition) (docs/partitioned.md).
///
/// A user partition holds exactly the kept users whose id hashes to it, with every kept sale and
/// event of those ids, so a sale or event here whose user is not among them is an unknown user
/// (SPEC §3.4 step 4). The partition is integrated by the same `Integrator` as `run` — users,
/// sales and events in input order (by ordinal) — into an `IntegratedData` of its users alone, and
/// analysed into `AnalysisPartials`: per-user sums that merge exactly (counts and money add, a
/// distinct user is counted inside the one partition that holds it, medians keep their values).
/// What leaves the stage is small: the partials, the unknown users' rejects with their fields,
/// a few counts, the facts the warnings need, and (partition 0) the kept spend rows.
extension PartitionJob {
    /// `analyze`: user partition `q` into one partial file.
    public func analyze(context: PartContext, partition q: Int, inputs: [String], outFile: String) throws {
        let files = try Self.inputs(inputs, kind: .dedupePartition, partition: q, partitions: context.partitions,
                                    expected: context.partitions, stage: "analyze")
        let zone = try job.zoneRules()
        let sets = try job.fileSets()
        let longIds = LongIds()

        // Pass 1: the partition's kept users (and spend), in input order.
        var users: [(ordinal: Int64, row: UserRow)] = []
        var spend: [(ordinal: Int64, row: SpendRow)] = []
        for path in files {
            // Only the users' and spend's blocks (the second pass reads, and checks, every block).
            var reader = try PartRowsReader(path: path, kind: .dedupePartition, verify: false)
            try reader.forEachBlock(only: [.users, .spend]) { kind, n, r in
                for _ in 0..<n {
                    switch kind {
                    case .users:
                        let u = try PartRows.readUser(&r)
                        let id = PartRows.string(u.id, in: r.bytes)
                        let key = r.bytes.withUnsafeBufferPointer { IdKey(UnsafeBufferPointer(rebasing: $0[u.id]), longIds: longIds) }
                        users.append((u.ordinal, UserRow(id: id, key: key, signupAt: u.signupAt, signupDate: u.signupDate,
                                                         channel: PartRows.string(u.channel, in: r.bytes),
                                                         country: u.country.map { PartRows.string($0, in: r.bytes) })))
                    case .spend: spend.append(try PartRows.readSpend(&r))
                    case .sales: _ = try PartRows.readSale(&r)
                    case .events: _ = try PartRows.readEvent(&r)
                    }
                }
            }
        }
        users.sort { $0.ordinal < $1.ordinal }
        spend.sort { $0.ordinal < $1.ordinal }
        let known = KnownUsers(keys: users.map(\.row.key))

        // Pass 2: their sales and events; a row of another id keeps its fields for the reject.
        var saleOrdinals: [Int64] = [], saleRows: [SaleRow] = []
        var eventOrdinals: [Int64] = [], eventRows: [EventRow] = []
        var unknown: [Int64: RowOrigin] = [:]
        var names = NameNumbers()
        // Reserved once (see `dedupe`): room never written costs no memory.
        let most = Self.mostRows(files)
        saleOrdinals.reserveCapacity(most)
        saleRows.reserveCapacity(most)
        eventOrdinals.reserveCapacity(most)
        eventRows.reserveCapacity(most)
        for path in files {
            var reader = try PartRowsReader(path: path, kind: .dedupePartition)
            try reader.forEachBlock { kind, n, r in
                try r.bytes.withUnsafeBufferPointer { all in
                    func user(_ range: Range<Int>) -> Int32? {
                        known.index(of: IdKey(UnsafeBufferPointer(rebasing: all[range]), longIds: longIds))
                    }
                    for _ in 0..<n {
                        switch kind {
                        case .sales:
                            let s = try PartRows.readSale(&r)
                            let u = user(s.userId)
                            if u == nil { unknown[s.ordinal] = try Self.origin(s.ordinal, s.line, s.fields, r) }
                            saleOrdinals.append(s.ordinal)
                            saleRows.append(SaleRow(orderedAt: s.orderedAt, user: u ?? -1, amount: s.amount, updatedAt: s.updatedAt,
                                                    orderedDate: s.orderedDate, excluded: s.excluded))
                        case .events:
                            let e = try PartRows.readEvent(&r)
                            let u = user(e.userId)
                            if u == nil { unknown[e.ordinal] = try Self.origin(e.ordinal, e.line, e.fields, r) }
                            eventOrdinals.append(e.ordinal)
                            eventRows.append(EventRow(at: e.at, name: names.number(UnsafeBufferPointer(rebasing: all[e.name])),
                                                      user: u ?? -1))
                        case .users: _ = try PartRows.readUser(&r)
                        case .spend: _ = try PartRows.readSpend(&r)
                        }
                    }
                }
            }
        }
        // Input order (each input file's rows came sorted; the partitions interleave them), and the
        // unknown users' origins by their row's new index.
        func inOrder<Row>(_ ordinals: [Int64], _ rows: [Row]) -> (rows: [Row], origins: [Int: RowOrigin]) {
            var order = Array(0..<Int32(ordinals.count))
            order.sort { ordinals[Int($0)] < ordinals[Int($1)] }
            var origins: [Int: RowOrigin] = [:]
            let sorted = order.enumerated().map { i, j -> Row in
                if let o = unknown[ordinals[Int(j)]] { origins[i] = o }
                return rows[Int(j)]
            }
            return (sorted, origins)
        }
        let sales = inOrder(saleOrdinals, saleRows)
        (saleOrdinals, saleRows) = ([], [])
        let events = inOrder(eventOrdinals, eventRows)
        (eventOrdinals, eventRows) = ([], [])
        unknown = [:]

        // The in-memory integration over this partition's rows.
        func input<Row: Sendable>(_ kind: InputKind, _ rows: [Row], origins: [Int: RowOrigin] = [:]) -> DedupedInput<Row> {
            let cleaned = CleanedInput<Row>(kind: kind, files: fileSet(sets, kind)?.files ?? [], header: nil, rows: [], rejects: [],
                                            origins: [:], keys: [], rowsRead: 0, span: DateSpan())
            return DedupedInput(cleaned, rows: rows, origins: origins, afterAsOf: 0, duplicates: 0)
        }
        let hasEvents = pipeline.inputs.events != nil && sets.events != nil
        let hasSpend = pipeline.inputs.channels != nil && sets.channels != nil
        var integrate = Integrator.Inputs(
            users: input(.users, users.map(\.row)),
            sales: input(.sales, sales.rows, origins: sales.origins),
            channels: hasSpend ? input(.channels, [SpendRow]()) : nil,
            events: hasEvents ? input(.events, events.rows, origins: events.origins) : nil,
            eventNames: names.names)
        users = []
        let (data, quality) = Integrator.run(&integrate, cleaning: pipeline.cleaning, zone: zone,
                                             since: context.since, asOf: context.asOf)
        let partials = AnalysisPartials.compute(data, pipeline: pipeline)
        let partial = PartPartial(
            partition: q, partitions: context.partitions, analyses: partials, facts: DataFacts(data),
            sales: .init(quality, .sales), events: hasEvents ? .init(quality, .events) : nil,
            nonPositiveSales: quality.nonPositiveSales, spend: spend)
        let dir = URL(fileURLWithPath: outFile).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try PartFile.write(.partial, payload: partial.encode(), to: outFile)
    }

    /// A row of an unknown user: its file, line and original fields (SPEC §7 `rejects/`).
    static func origin(_ ordinal: Int64, _ line: Int32, _ fields: Range<Int>?, _ r: PartReader) throws -> RowOrigin {
        // The map task dropped the fields only of rows whose user it knew to be kept (its `--users`).
        guard let fields else {
            throw OpsError.runtime("\(r.name): a row of an unknown user (file \(PartRows.fileOf(ordinal)) line \(line)) lacks its fields "
                                   + "(map tasks given another run's users.bin?)")
        }
        return RowOrigin(file: PartRows.fileOf(ordinal), line: Int(line), fields: try PartRows.fields(fields, in: r.bytes, name: r.name))
    }
}

/// Partition: event names numbered by their exact bytes, in order of first sight, looked up among
/// the few names met so far without allocating (a run has tens of names, not millions).
struct NameNumbers {
    private var seen: [[UInt8]] = []
    private(set) var names: [String] = []

    mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        for (i, s) in seen.enumerated() where s.count == bytes.count {
            if bytes.isEmpty || s.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return Int32(i)
            }
        }
        seen.append(Array(bytes))
        names.append(String(decoding: bytes, as: UTF8.self))
        return Int32(seen.count - 1)
    }
}

/// Partition: one user partition's analyze output (`partial-<q>.bin`, record kind 6).
struct PartPartial {
    /// What one input contributes besides its rows: its unknown-user rejects and counts.
    struct InputPart {
        var excludedStatus: Int
        var unknownUserIgnored: Int
        var rejects: [RejectedRow]

        init(excludedStatus: Int, unknownUserIgnored: Int, rejects: [RejectedRow]) {
            self.excludedStatus = excludedStatus
            self.unknownUserIgnored = unknownUserIgnored
            self.rejects = rejects
        }

        init(_ quality: QualityReport, _ kind: InputKind) {
            let q = quality.inputs.first { $0.kind == kind }
            self.init(excludedStatus: q?.excludedStatus ?? 0, unknownUserIgnored: q?.unknownUserIgnored ?? 0,
                      rejects: quality.rejects[kind] ?? [])
        }
    }

    var partition: Int
    var partitions: Int
    var analyses: AnalysisPartials
    var facts: DataFacts
    var sales: InputPart
    var events: InputPart?
    var nonPositiveSales: Int
    /// Kept spend rows with their ordinals (all in partition 0).
    var spend: [(ordinal: Int64, row: SpendRow)]

    func encode() -> [UInt8] {
        var w = PartWriter()
        w.int(partition)
        w.int(partitions)
        analyses.encode(into: &w)
        facts.encode(into: &w)
        func part(_ p: InputPart) {
            w.int(p.excludedStatus)
            w.int(p.unknownUserIgnored)
            w.u32(UInt32(p.rejects.count))
            for r in p.rejects {
                w.int(r.file)
                w.int(r.line)
                w.string(r.reason)
                w.strings(r.fields)
            }
        }
        part(sales)
        w.bool(events != nil)
        if let events { part(events) }
        w.int(nonPositiveSales)
        w.u32(UInt32(spend.count))
        for s in spend { PartRows.writeSpend(&w, ordinal: s.ordinal, row: s.row) }
        return w.bytes
    }

    /// The header (partition, partition count) alone.
    static func header(_ r: inout PartReader) throws -> (partition: Int, partitions: Int) {
        (try r.int(), try r.int())
    }

    static func decode(_ r: inout PartReader, partition: Int, partitions: Int, pipeline: Pipeline,
                       context: PartContext, hasSpendInput: Bool) throws -> PartPartial {
        let analyses = try AnalysisPartials.decode(from: &r, pipeline: pipeline, since: context.since, asOf: context.asOf,
                                                   hasSpendInput: hasSpendInput)
        let facts = try DataFacts.decode(from: &r)
        func part() throws -> InputPart {
            let excluded = try r.int(), ignored = try r.int()
            var rejects: [RejectedRow] = []
            for _ in 0..<(try r.count(minBytes: 20)) {
                rejects.append(RejectedRow(file: try r.int(), line: try r.int(), reason: try r.string(), fields: try r.strings()))
            }
            return InputPart(excludedStatus: excluded, unknownUserIgnored: ignored, rejects: rejects)
        }
        let sales = try part()
        let events = try r.bool() ? try part() : nil
        let nonPositive = try r.int()
        var spend: [(ordinal: Int64, row: SpendRow)] = []
        for _ in 0..<(try r.count(minBytes: 8)) { spend.append(try PartRows.readSpend(&r)) }
        guard r.atEnd else { throw PartFile.corrupt(r.name, "bytes after the partial") }
        return PartPartial(partition: partition, partitions: partitions, analyses: analyses, facts: facts, sales: sales,
                           events: events, nonPositiveSales: nonPositive, spend: spend)
    }
}
