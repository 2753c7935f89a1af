import Foundation

/// Partition: kept rows of any input with their global ordinal, the payload of map partitions,
/// dedupe partitions and analyze partials (docs/partitioned.md, "The intermediate format").
///
/// Every row carries `(file, index)`: the file's index in its input's sorted file list and the
/// row's index among that file's parsed rows. Sorting by it restores input order (SPEC §2: sorted
/// path, then row order) whatever order tasks and partitions ran in, so keep rules, reject order
/// and the stream's tie order never depend on the partitioning. Ids travel as their trimmed text
/// (an `IdKey` of a long id is a per-process number).
public struct PartBatch: Sendable {
    public struct Ordinal: Sendable, Comparable, Hashable {
        public var file: Int32
        public var index: Int32
        public static func < (a: Ordinal, b: Ordinal) -> Bool { (a.file, a.index) < (b.file, b.index) }
    }

    public struct User: Sendable {
        public var ordinal: Ordinal
        public var id: String
        public var signupAt: Instant
        public var signupDate: LocalDate
        public var channel: String
        public var country: String?
    }

    public struct Sale: Sendable {
        public var ordinal: Ordinal
        public var orderId: String
        public var userId: String
        public var orderedAt: Instant
        public var orderedDate: LocalDate
        public var amount: Int64
        public var updatedAt: Instant?
        public var excluded: Bool
        /// Physical line and original fields, for an `unknown_user` reject; dropped by analyze
        /// once the user is known to be kept.
        public var line: Int32
        public var fields: [String]?
    }

    public struct Event: Sendable {
        public var ordinal: Ordinal
        /// The trimmed `event_id`; nil when the row is keyed by the tuple (user, event, instant).
        public var eventId: String?
        public var userId: String
        public var name: String
        public var at: Instant
        public var line: Int32
        public var fields: [String]?
    }

    public struct Spend: Sendable {
        public var ordinal: Ordinal
        public var row: SpendRow
    }

    public var users: [User] = []
    public var sales: [Sale] = []
    public var events: [Event] = []
    public var spend: [Spend] = []

    public init() {}

    public var isEmpty: Bool { users.isEmpty && sales.isEmpty && events.isEmpty && spend.isEmpty }

    public mutating func append(_ other: PartBatch) {
        users += other.users
        sales += other.sales
        events += other.events
        spend += other.spend
    }

    /// Input order within each input.
    public mutating func sort() {
        users.sort { $0.ordinal < $1.ordinal }
        sales.sort { $0.ordinal < $1.ordinal }
        events.sort { $0.ordinal < $1.ordinal }
        spend.sort { $0.ordinal < $1.ordinal }
    }

    // MARK: - Coding

    func encode(into w: inout PartWriter) {
        func ordinal(_ o: Ordinal) {
            w.i32(o.file)
            w.i32(o.index)
        }
        w.u32(UInt32(users.count))
        for u in users {
            ordinal(u.ordinal)
            w.string(u.id)
            w.instant(u.signupAt)
            w.date(u.signupDate)
            w.string(u.channel)
            w.optionalString(u.country)
        }
        w.u32(UInt32(sales.count))
        for s in sales {
            ordinal(s.ordinal)
            w.string(s.orderId)
            w.string(s.userId)
            w.instant(s.orderedAt)
            w.date(s.orderedDate)
            w.i64(s.amount)
            w.bool(s.updatedAt != nil)
            if let u = s.updatedAt { w.instant(u) }
            w.bool(s.excluded)
            w.i32(s.line)
            w.bool(s.fields != nil)
            if let f = s.fields { w.strings(f) }
        }
        w.u32(UInt32(events.count))
        for e in events {
            ordinal(e.ordinal)
            w.optionalString(e.eventId)
            w.string(e.userId)
            w.string(e.name)
            w.instant(e.at)
            w.i32(e.line)
            w.bool(e.fields != nil)
            if let f = e.fields { w.strings(f) }
        }
        w.u32(UInt32(spend.count))
        for s in spend {
            ordinal(s.ordinal)
            w.date(s.row.date)
            w.string(s.row.channel)
            w.optionalString(s.row.campaign)
            w.i64(s.row.spend)
            w.optionalI64(s.row.impressions)
            w.optionalI64(s.row.clicks)
        }
    }

    static func decode(from r: inout PartReader) throws -> PartBatch {
        func ordinal() throws -> Ordinal {
            let f = try r.i32()
            return Ordinal(file: f, index: try r.i32())
        }
        var b = PartBatch()
        let nu = try r.count(minBytes: 8)
        b.users.reserveCapacity(nu)
        for _ in 0..<nu {
            b.users.append(User(ordinal: try ordinal(), id: try r.string(), signupAt: try r.instant(), signupDate: try r.date(),
                                channel: try r.string(), country: try r.optionalString()))
        }
        let ns = try r.count(minBytes: 8)
        b.sales.reserveCapacity(ns)
        for _ in 0..<ns {
            let o = try ordinal(), order = try r.string(), user = try r.string(), at = try r.instant(), date = try r.date()
            let amount = try r.i64()
            let updated: Instant? = try r.bool() ? try r.instant() : nil
            let excluded = try r.bool(), line = try r.i32()
            let fields: [String]? = try r.bool() ? try r.strings() : nil
            b.sales.append(Sale(ordinal: o, orderId: order, userId: user, orderedAt: at, orderedDate: date, amount: amount,
                                updatedAt: updated, excluded: excluded, line: line, fields: fields))
        }
        let ne = try r.count(minBytes: 8)
        b.events.reserveCapacity(ne)
        for _ in 0..<ne {
            let o = try ordinal(), id = try r.optionalString(), user = try r.string(), name = try r.string(), at = try r.instant()
            let line = try r.i32()
            let fields: [String]? = try r.bool() ? try r.strings() : nil
            b.events.append(Event(ordinal: o, eventId: id, userId: user, name: name, at: at, line: line, fields: fields))
        }
        let np = try r.count(minBytes: 8)
        b.spend.reserveCapacity(np)
        for _ in 0..<np {
            let o = try ordinal()
            let row = SpendRow(date: try r.date(), channel: try r.string(), campaign: try r.optionalString(), spend: try r.i64(),
                               impressions: try r.optionalI64(), clicks: try r.optionalI64())
            b.spend.append(Spend(ordinal: o, row: row))
        }
        return b
    }

    /// Stable partition of an id: FNV-1a over its UTF-8 bytes, mod `partitions` (the same on every
    /// machine and process, unlike Swift's seeded `Hasher`).
    public static func partition(of id: String, partitions: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in id.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return Int(h % UInt64(max(1, partitions)))
    }
}
