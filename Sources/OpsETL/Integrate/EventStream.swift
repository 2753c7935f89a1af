/// Integrate: the one stream of (user, event name, timestamp) every analysis reads (SPEC §3.5).
///
/// Stored user by user (compressed sparse rows): `events[userStart[u] ..< userStart[u+1]]`
/// are user u's events in the stream's total order, so each analysis can walk one user
/// at a time and split users across cores without locks. Names are interned:
/// `signup` is always id 0 and `purchase` id 1.
///
/// The total order (SPEC §4.2, which `funnel.order: strict` depends on): by instant, then the
/// user's `signup` before its `purchase`s before its event rows, then input order (sorted file
/// path, then row). The builders place each user's events in exactly that order of sources —
/// signup, sales in input order, event rows in input order — and a *stable* sort by instant
/// (the standard library's sort is documented stable) keeps it among equal instants. An event
/// row named `signup` or `purchase` is an event row: it comes after the user's own signup and sales.
public struct EventStream: Sendable {
    /// 16 bytes: the instant first, so the name fills its tail padding.
    public struct Event: Sendable, Equatable {
        public var at: Instant
        public var name: Int32

        public init(name: Int32, at: Instant) {
            self.at = at
            self.name = name
        }
    }

    public static let signup: Int32 = 0
    public static let purchase: Int32 = 1

    /// Interned event names; index = id.
    public let names: [String]
    public let userStart: [Int]
    public let events: [Event]

    public var userCount: Int { userStart.count - 1 }

    /// Id of an event name, nil when no event of that name exists.
    public func id(of name: String) -> Int32? {
        names.firstIndex(of: name).map(Int32.init)
    }

    /// User u's events in stream order.
    public func events(of user: Int) -> ArraySlice<Event> {
        events[userStart[user]..<userStart[user + 1]]
    }

    /// Instant order only: the sort is stable, so equal instants keep the placement order
    /// (signup, sales, event rows, each in input order), the same on every run.
    static func precedes(_ a: Event, _ b: Event) -> Bool {
        a.at < b.at
    }

    /// Builds the stream from per-user (name, time) pairs; a user's pairs at one instant keep
    /// the order they are given in.
    init(userCount: Int, names: [String], entries: [(user: Int32, event: Event)]) {
        var start = [Int](repeating: 0, count: userCount + 1)
        for e in entries { start[Int(e.user) + 1] += 1 }
        for u in 0..<userCount { start[u + 1] += start[u] }
        var fill = start
        var grouped = [Event](repeating: Event(name: 0, at: Instant(seconds: 0)), count: entries.count)
        for e in entries {
            grouped[fill[Int(e.user)]] = e.event
            fill[Int(e.user)] += 1
        }
        self.init(names: names, userStart: start, unsorted: grouped)
    }

    /// The stream from events already grouped by user (`userStart`), each user's in placement
    /// order, not yet by time. Each user's slice is sorted (stably) on its own; users are split
    /// across cores.
    init(names: [String], userStart start: [Int], unsorted: consuming [Event]) {
        self.names = names
        var sorted = consume unsorted
        let userCount = start.count - 1
        let parts = max(1, min(userCount, 8))
        sorted.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            _ = try? parallelMap(parts) { (p: Int) -> Void in
                let lo: Int = userCount * p / parts
                let hi: Int = userCount * (p + 1) / parts
                for u in lo..<hi where start[u + 1] - start[u] > 1 {
                    var slice = UnsafeMutableBufferPointer(rebasing: buf[start[u]..<start[u + 1]])
                    slice.sort(by: EventStream.precedes)
                }
            }
        }
        userStart = start
        events = sorted
    }
}
