/// Clean: the kept users' ids, looked up while sales and events are cleaned.
///
/// Users are cleaned and deduplicated first, so every sales or events row can be tagged
/// with its user's dense index at parse time; rows of other ids keep their fields in case
/// they survive deduplication and become `unknown_user` rejects (SPEC §3.4 step 4).
public struct KnownUsers: Sendable {
    private let indexById: [String: Int32]

    public init(ids: [String]) {
        var map = [String: Int32](minimumCapacity: ids.count)
        for (i, id) in ids.enumerated() { map[id] = Int32(i) }
        indexById = map
    }

    @inline(__always) public func index(of id: String) -> Int32? { indexById[id] }
    public var count: Int { indexById.count }
}
