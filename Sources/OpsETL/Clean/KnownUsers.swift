/// Clean: the kept users' ids, looked up while sales and events are cleaned.
///
/// Users are cleaned and deduplicated first, so every sales or events row can be tagged
/// with its user's dense index at parse time; rows of other ids keep their fields in case
/// they survive deduplication and become `unknown_user` rejects (SPEC §3.4 step 4).
/// An open-addressing table of `IdKey`s: a lookup hashes two integers, never a `String`.
public struct KnownUsers: Sendable {
    private let keys: [IdKey]
    private let slots: [Int32]
    private let mask: Int

    public init(keys: [IdKey]) {
        var size = 16
        while size < keys.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for (i, k) in keys.enumerated() {
            var s = Int(truncatingIfNeeded: k.mixed) & mask
            while slots[s] >= 0 && keys[Int(slots[s])] != k { s = (s + 1) & mask }
            slots[s] = Int32(i)
        }
        self.keys = keys
        self.slots = slots
        self.mask = mask
    }

    /// The dense index of a kept user, nil for any other id.
    @inline(__always) public func index(of key: IdKey) -> Int32? {
        var s = Int(truncatingIfNeeded: key.mixed) & mask
        while true {
            let v = slots[s]
            if v < 0 { return nil }
            if keys[Int(v)] == key { return v }
            s = (s + 1) & mask
        }
    }

    public var count: Int { keys.count }
}

extension KnownUsers {
    /// Kept users with the `LongIds` their keys were made with (a key of a long id is a number of
    /// that table), shared by the tasks that look ids up in them.
    public struct Shared: Sendable {
        public let users: KnownUsers
        public let longIds: LongIds

        public init(users: KnownUsers, longIds: LongIds) {
            self.users = users
            self.longIds = longIds
        }
    }
}
