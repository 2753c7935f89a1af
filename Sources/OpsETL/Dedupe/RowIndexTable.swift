/// Dedupe: an open-addressing set of row indices, for one hash group of an input.
///
/// A slot holds 32 bits of the row's hash above `index + 1` (0 = empty), so a probe only reaches
/// into the rows (`equals`, a cache miss) when those 32 bits match: 8 bytes per slot, the rows stay
/// in their arrays. The caller knows its group's size, so the table is made large enough once
/// (at most 70 % full) and emptied between groups, never grown: its pages are faulted in once.
struct RowIndexTable {
    private var slots: [UInt64]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size * 7 < capacity * 10 + 7 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Empties the table, keeping its slots for the next group.
    mutating func removeAll() {
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// The stored index equal to the candidate `index`, or nil after storing it. At most the
    /// `capacity` the table was made for are stored between two `removeAll()`s.
    @inline(__always)
    mutating func insert(_ index: Int, hash: UInt32, equals: (Int) -> Bool) -> Int? {
        let tag = UInt64(hash) << 32
        var i = Int(hash) & mask
        return slots.withUnsafeMutableBufferPointer { s in
            while true {
                let v = s[i]
                if v == 0 {
                    s[i] = tag | UInt64(index + 1)
                    return nil
                }
                if v & 0xFFFF_FFFF_0000_0000 == tag {
                    let stored = Int(v & 0xFFFF_FFFF) - 1
                    if equals(stored) { return stored }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Replaces the index stored for an existing entry (same key, so the same hash).
    @inline(__always)
    mutating func replace(_ old: Int, with new: Int, hash: UInt32) {
        var i = Int(hash) & mask
        while slots[i] & 0xFFFF_FFFF != UInt64(old + 1) { i = (i + 1) & mask }
        slots[i] = UInt64(hash) << 32 | UInt64(new + 1)
    }
}
