/// Clean: the original fields of a chunk's rows as bytes, for a partition map task
/// (docs/partitioned.md): a map task does not yet know the kept users, so every sales and events
/// row may become an `unknown_user` reject and must carry its fields to the stage that knows.
///
/// Kept as one byte buffer per chunk, already in the intermediate format's field-list layout —
/// u32 byte count of the list, u32 field count, then per field a u32 byte count and the bytes —
/// so a row costs no allocation and the map task copies each list verbatim.
final class RawFieldLog {
    /// The rows' field lists, back to back.
    private(set) var bytes: [UInt8] = []
    /// Start of row i's list in `bytes` (one entry per row, plus the end).
    private(set) var starts: [Int] = [0]
    /// Physical line of row i, relative to the chunk until `rebase`.
    private(set) var lines: [Int32] = []

    init() {}

    var count: Int { lines.count }

    func reserve(rows: Int) {
        starts.reserveCapacity(rows + 1)
        lines.reserveCapacity(rows)
        bytes.reserveCapacity(rows * 64)
    }

    @inline(__always) private func u32(_ v: Int) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Records `row`'s fields (untrimmed, as written) and line.
    func append(_ row: RawRow) {
        var total = 4
        for i in 0..<row.count { total += 4 + row.field(i).count }
        u32(total)
        u32(row.count)
        for i in 0..<row.count {
            let f = row.field(i)
            u32(f.count)
            bytes.append(contentsOf: f)
        }
        starts.append(bytes.count)
        lines.append(Int32(truncatingIfNeeded: row.relativeLine))
    }

    func rebase(firstLine: Int) {
        let base = Int32(truncatingIfNeeded: firstLine)
        for i in lines.indices { lines[i] += base }
    }

    /// Row i's field list (with its leading byte count).
    func list(_ i: Int) -> Range<Int> { starts[i]..<starts[i + 1] }
}
