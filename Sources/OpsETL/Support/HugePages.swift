import Glibc

/// Support: asks the kernel to back a large array's room with 2 MiB pages (`madvise(MADV_HUGEPAGE)`;
/// this machine's transparent huge pages are "madvise" only).
///
/// The final arrays of an input (every row and key of the events, the stream) are written once, front
/// to back, into fresh pages; with 4 KiB pages that is ~850 k page faults on the 2 M shop (issue 15:
/// system time). Only whole 2 MiB stretches inside the room are advised, and only pages that are
/// written are ever backed, so untouched room still costs nothing. Rooms under 64 MiB (a chunk's
/// arrays, partly filled) are left alone: there a 2 MiB page would back much that is never used.
enum HugePages {
    static let size = 2 << 20

    static func advise(_ start: UnsafeRawPointer?, bytes: Int) {
        guard let start, bytes >= 32 * size else { return }
        let lo = (Int(bitPattern: start) + size - 1) & ~(size - 1)
        let hi = (Int(bitPattern: start) + bytes) & ~(size - 1)
        guard hi > lo, let base = UnsafeMutableRawPointer(bitPattern: lo) else { return }
        _ = madvise(base, hi - lo, 14)   // MADV_HUGEPAGE; a kernel without THP says EINVAL, which changes nothing
    }

    /// Reserves room for `n` elements and advises it (see above).
    static func reserve<T>(_ array: inout [T], _ n: Int) {
        array.reserveCapacity(n)
        let capacity = array.capacity - array.count
        array.withUnsafeMutableBufferPointer { buffer in
            advise(buffer.baseAddress.map { UnsafeRawPointer($0 + buffer.count) }, bytes: capacity * MemoryLayout<T>.stride)
        }
    }
}
