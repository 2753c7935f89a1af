/// Clean: what a partition map task keeps of each sales or events row besides its values
/// (docs/partitioned.md): the trimmed bytes of its two key columns (the partition and dedup keys:
/// `order_id` and `user_id`, or `user_id` and `event_id`) and, when the row's user is not a kept
/// user, its original fields — the map task cannot drop those rows (that is the analyze stage's
/// call, SPEC §3.4 step 4) and an `unknown_user` reject needs them.
///
/// Kept as one byte buffer per chunk, already in the intermediate format's layout — each key as a
/// u32 byte count and the bytes; then u8 1 and the field list (u32 byte count of the list, u32
/// field count, then per field a u32 byte count and the bytes), or u8 0 — so a row costs no
/// allocation and the map task copies its parts verbatim.
final class RawFieldLog {
    /// The rows' entries, back to back.
    private(set) var bytes: [UInt8] = []
    /// Start of row i's entry in `bytes` (one entry per row, plus the end).
    private(set) var starts: [Int] = [0]
    /// Physical line of row i, relative to the chunk until `rebase`.
    private(set) var lines: [Int32] = []

    init() {}

    var count: Int { lines.count }

    func reserve(rows: Int) {
        starts.reserveCapacity(rows + 1)
        lines.reserveCapacity(rows)
        bytes.reserveCapacity(rows * 32)
    }

    @inline(__always) private func u32(_ v: Int) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Records `row`'s keys (trimmed), line and, with `fields`, its fields (untrimmed, as written).
    func append(_ row: RawRow, keys first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>, fields: Bool) {
        u32(first.count)
        bytes.append(contentsOf: first)
        u32(second.count)
        bytes.append(contentsOf: second)
        bytes.append(fields ? 1 : 0)
        if fields {
            var total = 4
            for i in 0..<row.count { total += 4 + row.field(i).count }
            u32(total)
            u32(row.count)
            for i in 0..<row.count {
                let f = row.field(i)
                u32(f.count)
                bytes.append(contentsOf: f)
            }
        }
        starts.append(bytes.count)
        lines.append(Int32(truncatingIfNeeded: row.relativeLine))
    }

    func rebase(firstLine: Int) {
        let base = Int32(truncatingIfNeeded: firstLine)
        for i in lines.indices { lines[i] += base }
    }

    /// Row i's entry.
    func entry(_ i: Int) -> Range<Int> { starts[i]..<starts[i + 1] }
}
