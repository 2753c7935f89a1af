import Foundation

/// Integrate: the only cross-input step (SPEC §3.4 steps 4–5, §3.5, §5).
///
/// Sales and events whose user is not a kept user become `unknown_user` rejects (or are
/// dropped and counted with `unknown_users: ignore`); sales whose status is excluded are
/// counted and take part in nothing — decided after deduplication, so an order exported
/// as `paid` and later as `refunded` is excluded. Then the event stream is assembled.
public enum Integrator {
    public struct Inputs: Sendable {
        public var users: DedupedInput<UserRow>
        public var sales: DedupedInput<SaleRow>
        /// Nil without a channels input (SPEC §3.1: spend data is optional).
        public var channels: DedupedInput<SpendRow>?
        public var events: DedupedInput<EventRow>?
        /// The run's event names by their parse-time number (`EventRow.name`).
        public var eventNames: [String]
        /// The sales already integrated (`groupSales`), when that could happen before the events arrived.
        var groupedSales: GroupedSales?

        public init(users: DedupedInput<UserRow>, sales: DedupedInput<SaleRow>,
                    channels: DedupedInput<SpendRow>?, events: DedupedInput<EventRow>?, eventNames: [String] = []) {
            self.users = users
            self.sales = sales
            self.channels = channels
            self.events = events
            self.eventNames = eventNames
        }
    }

    public static func run(_ inputs: Inputs, cleaning: Cleaning, zone: ZoneRules,
                           since: LocalDate, asOf: LocalDate) -> (IntegratedData, QualityReport) {
        var inputs = inputs
        return run(&inputs, cleaning: cleaning, zone: zone, since: since, asOf: asOf)
    }

    /// The same, taking the rows out of `inputs` as soon as they are integrated (no second copy).
    static func run(_ inputs: inout Inputs, cleaning: Cleaning, zone: ZoneRules,
                    since: LocalDate, asOf: LocalDate) -> (IntegratedData, QualityReport) {
        let ignoreUnknown = cleaning.unknownUsers == .ignore
        let grouped = inputs.groupedSales ?? groupSales(&inputs.sales, userCount: inputs.users.rows.count, cleaning: cleaning)
        inputs.groupedSales = nil
        let salesRejects = grouped.rejects
        let salesQuality = grouped.quality
        let salesByUser = grouped.salesByUser

        // Events: unknown users.
        var eventsRejects = inputs.events?.rejects ?? []
        var eventsIgnored = 0
        if let events = inputs.events {
            for (i, row) in events.rows.enumerated() where row.user < 0 {
                if ignoreUnknown { eventsIgnored += 1 } else { eventsRejects.append(unknownUser(events.origins[i]!)) }
            }
        }

        let users = inputs.users.rows.map {
            IntegratedData.User(id: $0.id, signupAt: $0.signupAt, signupDate: $0.signupDate, channel: $0.channel, country: $0.country)
        }
        inputs.users.rows = []
        let stream = buildStream(users: users, sales: salesByUser, events: inputs.events?.rows ?? [], names: inputs.eventNames)
        var eventsQuality: InputQuality?
        if let ev = inputs.events {
            eventsQuality = ledger(ev, rejects: eventsRejects, ignored: eventsIgnored)
            inputs.events!.rows = []
        }
        let data = IntegratedData(zone: zone, since: since, asOf: asOf, users: users, salesByUser: salesByUser,
                                  spend: inputs.channels?.rows ?? [], stream: stream, hasEventsInput: inputs.events != nil,
                                  hasSpendInput: inputs.channels != nil)

        func sorted(_ r: [RejectedRow]) -> [RejectedRow] {
            r.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        }
        var qualities = [ledger(inputs.users, rejects: inputs.users.rejects), salesQuality]
        var rejects: [InputKind: [RejectedRow]] = [.users: sorted(inputs.users.rejects), .sales: sorted(salesRejects)]
        var headers: [InputKind: [String]] = [:]
        var files: [InputKind: [InputFileSet.File]] = [.users: inputs.users.files, .sales: inputs.sales.files]
        headers[.users] = inputs.users.header
        headers[.sales] = inputs.sales.header
        // SPEC §3.1: without spend data there is no channels row in data_quality.csv.
        if let ch = inputs.channels {
            qualities.append(ledger(ch, rejects: ch.rejects))
            rejects[.channels] = sorted(ch.rejects)
            headers[.channels] = ch.header
            files[.channels] = ch.files
        }
        if let ev = inputs.events {
            qualities.append(eventsQuality!)
            rejects[.events] = sorted(eventsRejects)
            headers[.events] = ev.header
            files[.events] = ev.files
        }
        return (data, QualityReport(inputs: qualities, rejects: rejects, headers: headers, files: files,
                                    nonPositiveSales: grouped.nonPositive))
    }

    private static func unknownUser(_ origin: RowOrigin) -> RejectedRow {
        RejectedRow(file: origin.file, line: origin.line, reason: "unknown_user", fields: origin.fields)
    }

    private static func ledger<R>(_ input: DedupedInput<R>, rejects: [RejectedRow], excluded: Int = 0, ignored: Int = 0) -> InputQuality {
        var reasons: [String: Int] = [:]
        for r in rejects { reasons[r.reason, default: 0] += 1 }
        return InputQuality(kind: input.kind, rowsRead: input.rowsRead, rejectedByReason: reasons,
                            duplicates: input.duplicates, afterAsOf: input.afterAsOf,
                            excludedStatus: excluded, unknownUserIgnored: ignored)
    }

    /// Sales after deduplication, integrated: unknown users become rejects (or are counted), excluded
    /// statuses are counted, the rest are grouped by user (a counting sort). The rows are taken.
    struct GroupedSales: Sendable {
        let salesByUser: SalesByUser
        /// Every sales reject, `unknown_user` included.
        let rejects: [RejectedRow]
        let quality: InputQuality
        /// Kept sales with amount ≤ 0: revenue (refunds), but no `purchase` (SPEC §3.5).
        let nonPositive: Int
    }

    static func groupSales(_ input: inout DedupedInput<SaleRow>, userCount: Int, cleaning: Cleaning) -> GroupedSales {
        let ignoreUnknown = cleaning.unknownUsers == .ignore
        var rejects = input.rejects
        var ignored = 0
        var excluded = 0
        var nonPositive = 0
        var start = [Int](repeating: 0, count: userCount + 1)
        for (i, row) in input.rows.enumerated() {
            if row.user < 0 {
                if ignoreUnknown { ignored += 1 } else { rejects.append(unknownUser(input.origins[i]!)) }
                continue
            }
            if row.excluded {
                excluded += 1
                continue
            }
            start[Int(row.user) + 1] += 1
            if row.amount <= 0 { nonPositive += 1 }
        }
        for u in 0..<userCount { start[u + 1] += start[u] }
        let sales = [IntegratedData.Sale](unsafeUninitializedCapacity: start[userCount]) { out, count in
            HugePages.advise(out.baseAddress, bytes: start[userCount] * MemoryLayout<IntegratedData.Sale>.stride)
            var fill = start
            for row in input.rows where row.user >= 0 && !row.excluded {
                let u = Int(row.user)
                (out.baseAddress! + fill[u]).initialize(to: .init(user: row.user, orderedAt: row.orderedAt,
                                                                  orderedDate: row.orderedDate, amount: row.amount))
                fill[u] += 1
            }
            count = start[userCount]
        }
        input.rows = []
        return GroupedSales(salesByUser: SalesByUser(grouped: sales, start: start), rejects: rejects,
                            quality: ledger(input, rejects: rejects, excluded: excluded, ignored: ignored),
                            nonPositive: nonPositive)
    }

    /// SPEC §3.5: `signup` per kept user, `purchase` per kept non-excluded sale with
    /// amount > 0, and every kept event of a kept user under its own (trimmed, case-kept) name.
    ///
    /// `names` are the parse-time names of the events rows; the stream numbers them anew —
    /// `signup` 0, `purchase` 1, then in input order of the kept rows — so ids never depend on
    /// thread timing. Built by a counting sort straight into the final array.
    private static func buildStream(users: [IntegratedData.User], sales: SalesByUser, events: [EventRow],
                                    names parsed: [String]) -> EventStream {
        var names = ["signup", "purchase"]
        var remap = [Int32](repeating: -1, count: parsed.count)
        for e in events where e.user >= 0 && remap[Int(e.name)] < 0 {
            let p = Int(e.name)
            switch parsed[p] {
            case "signup": remap[p] = EventStream.signup
            case "purchase": remap[p] = EventStream.purchase
            default:
                remap[p] = Int32(names.count)
                names.append(parsed[p])
            }
        }
        // Users are split into ranges, one per core; each range counts and places only its own
        // users' events (reading all of them), so no two threads write the same slot.
        let userCount = users.count
        let parts = events.count < 1 << 20 ? 1 : max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        var start = [Int](repeating: 0, count: userCount + 1)
        start.withUnsafeMutableBufferPointer { start in
            nonisolated(unsafe) let start = start
            _ = try? parallelMap(parts) { p -> Void in
                let lo = userCount * p / parts, hi = userCount * (p + 1) / parts
                for u in lo..<hi {
                    var n = 1
                    for s in sales.of(u) where s.amount > 0 { n += 1 }
                    start[u + 1] = n
                }
                for e in events where e.user >= 0 {
                    let u = Int(e.user)
                    if u >= lo && u < hi { start[u + 1] += 1 }
                }
            }
        }
        for u in 0..<userCount { start[u + 1] += start[u] }
        let total = start[userCount]
        // Placement order is the stream's tie order among equal instants (SPEC §4.2): the signup,
        // then the sales, then the event rows, each in input order; `EventStream` sorts stably.
        let all = [EventStream.Event](unsafeUninitializedCapacity: total) { out, count in
            HugePages.advise(out.baseAddress, bytes: total * MemoryLayout<EventStream.Event>.stride)
            nonisolated(unsafe) let base = out.baseAddress!
            _ = try? parallelMap(parts) { p -> Void in
                let lo = userCount * p / parts, hi = userCount * (p + 1) / parts
                var fill = Array(start[lo..<(hi + 1)])
                for u in lo..<hi {
                    let k = u - lo
                    (base + fill[k]).initialize(to: .init(name: EventStream.signup, at: users[u].signupAt))
                    fill[k] += 1
                    for s in sales.of(u) where s.amount > 0 {
                        (base + fill[k]).initialize(to: .init(name: EventStream.purchase, at: s.orderedAt))
                        fill[k] += 1
                    }
                }
                for e in events where e.user >= 0 {
                    let u = Int(e.user)
                    guard u >= lo && u < hi else { continue }
                    (base + fill[u - lo]).initialize(to: .init(name: remap[Int(e.name)], at: e.at))
                    fill[u - lo] += 1
                }
            }
            count = total
        }
        return EventStream(names: names, userStart: start, unsorted: all)
    }
}
