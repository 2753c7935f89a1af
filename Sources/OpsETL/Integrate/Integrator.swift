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
        public var channels: DedupedInput<SpendRow>
        public var events: DedupedInput<EventRow>?

        public init(users: DedupedInput<UserRow>, sales: DedupedInput<SaleRow>,
                    channels: DedupedInput<SpendRow>, events: DedupedInput<EventRow>?) {
            self.users = users
            self.sales = sales
            self.channels = channels
            self.events = events
        }
    }

    public static func run(_ inputs: Inputs, cleaning: Cleaning, zone: ZoneRules,
                           since: LocalDate, asOf: LocalDate) -> (IntegratedData, QualityReport) {
        let excluded = Set(cleaning.excludeStatuses)
        let ignoreUnknown = cleaning.unknownUsers == .ignore

        // Sales: unknown users, then excluded statuses.
        var sales: [IntegratedData.Sale] = []
        sales.reserveCapacity(inputs.sales.rows.count)
        var salesRejects = inputs.sales.rejects
        var salesIgnored = 0
        var excludedCount = 0
        for row in inputs.sales.rows {
            if row.user < 0 {
                if ignoreUnknown { salesIgnored += 1 } else { salesRejects.append(unknownUser(row.origin!)) }
                continue
            }
            if let status = row.status, excluded.contains(status) {
                excludedCount += 1
                continue
            }
            sales.append(.init(user: row.user, orderedAt: row.orderedAt, orderedDate: row.orderedDate, amount: row.amount))
        }

        // Events: unknown users.
        var events: [EventRow] = []
        var eventsRejects = inputs.events?.rejects ?? []
        var eventsIgnored = 0
        for row in inputs.events?.rows ?? [] {
            if row.user < 0 {
                if ignoreUnknown { eventsIgnored += 1 } else { eventsRejects.append(unknownUser(row.origin!)) }
                continue
            }
            events.append(row)
        }

        let users = inputs.users.rows.map {
            IntegratedData.User(id: $0.id, signupAt: $0.signupAt, signupDate: $0.signupDate, channel: $0.channel, country: $0.country)
        }
        let stream = buildStream(users: users, sales: sales, events: events)
        let data = IntegratedData(zone: zone, since: since, asOf: asOf, users: users, sales: sales,
                                  spend: inputs.channels.rows, stream: stream, hasEventsInput: inputs.events != nil)

        func ledger<R>(_ input: DedupedInput<R>, rejects: [RejectedRow], excluded: Int = 0, ignored: Int = 0) -> InputQuality {
            var reasons: [String: Int] = [:]
            for r in rejects { reasons[r.reason, default: 0] += 1 }
            return InputQuality(kind: input.kind, rowsRead: input.rowsRead, rejectedByReason: reasons,
                                duplicates: input.duplicates, afterAsOf: input.afterAsOf,
                                excludedStatus: excluded, unknownUserIgnored: ignored)
        }
        func sorted(_ r: [RejectedRow]) -> [RejectedRow] {
            r.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        }
        var qualities = [
            ledger(inputs.users, rejects: inputs.users.rejects),
            ledger(inputs.sales, rejects: salesRejects, excluded: excludedCount, ignored: salesIgnored),
            ledger(inputs.channels, rejects: inputs.channels.rejects),
        ]
        var rejects: [InputKind: [RejectedRow]] = [
            .users: sorted(inputs.users.rejects), .sales: sorted(salesRejects), .channels: sorted(inputs.channels.rejects),
        ]
        var headers: [InputKind: [String]] = [:]
        var files: [InputKind: [InputFileSet.File]] = [
            .users: inputs.users.files, .sales: inputs.sales.files, .channels: inputs.channels.files,
        ]
        headers[.users] = inputs.users.header
        headers[.sales] = inputs.sales.header
        headers[.channels] = inputs.channels.header
        if let ev = inputs.events {
            qualities.append(ledger(ev, rejects: eventsRejects, ignored: eventsIgnored))
            rejects[.events] = sorted(eventsRejects)
            headers[.events] = ev.header
            files[.events] = ev.files
        }
        return (data, QualityReport(inputs: qualities, rejects: rejects, headers: headers, files: files))
    }

    private static func unknownUser(_ origin: RowOrigin) -> RejectedRow {
        RejectedRow(file: origin.file, line: origin.line, reason: "unknown_user", fields: origin.fields)
    }

    /// SPEC §3.5: `signup` per kept user, `purchase` per kept non-excluded sale with
    /// amount > 0, and every kept event under its own (trimmed, case-kept) name.
    private static func buildStream(users: [IntegratedData.User], sales: [IntegratedData.Sale], events: [EventRow]) -> EventStream {
        var names = ["signup", "purchase"]
        var ids: [String: Int32] = ["signup": 0, "purchase": 1]
        var entries: [(user: Int32, event: EventStream.Event)] = []
        entries.reserveCapacity(users.count + sales.count + events.count)
        for (u, user) in users.enumerated() {
            entries.append((Int32(u), .init(name: EventStream.signup, at: user.signupAt)))
        }
        for sale in sales where sale.amount > 0 {
            entries.append((sale.user, .init(name: EventStream.purchase, at: sale.orderedAt)))
        }
        for event in events {
            let id: Int32
            if let known = ids[event.name] {
                id = known
            } else {
                id = Int32(names.count)
                names.append(event.name)
                ids[event.name] = id
            }
            entries.append((event.user, .init(name: id, at: event.at)))
        }
        return EventStream(userCount: users.count, names: names, entries: entries)
    }
}
