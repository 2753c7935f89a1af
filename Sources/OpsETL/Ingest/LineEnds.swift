#if canImport(Glibc)
import Glibc
#endif

/// Ingest: how many lines of a text end in LF, CRLF and a lone CR (SPEC §3.2 line ends, §9 line
/// numbers: a lone CR ends a physical line as LF and CRLF do, so `opsetl inspect` names it).
///
/// Counted over every byte, quoted fields included, as the physical lines of `rejects/` are.
public struct LineEnds: Sendable, Equatable {
    public var lf = 0
    public var crlf = 0
    public var cr = 0

    public init(lf: Int = 0, crlf: Int = 0, cr: Int = 0) {
        self.lf = lf
        self.crlf = crlf
        self.cr = cr
    }

    /// Line breaks of every kind.
    public var total: Int { lf + crlf + cr }

    /// "LF", "CRLF", "CR", "none", or the mix with counts ("mixed: 3 LF, 1 CR").
    public var description: String {
        let kinds = [("LF", lf), ("CRLF", crlf), ("CR", cr)].filter { $0.1 > 0 }
        switch kinds.count {
        case 0: return "none"
        case 1: return kinds[0].0
        default: return "mixed: " + kinds.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        }
    }

    /// Adds the ends in `bytes`; `afterCR`: the byte before them was a CR (counted already as a
    /// lone CR, which becomes a CRLF if `bytes` starts with LF).
    mutating func add(_ bytes: UnsafePointer<UInt8>, _ count: Int, afterCR: Bool) {
        var from = 0
        while from < count, let hit = memchr(bytes + from, 0x0D, count - from) {
            let i = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - bytes
            // A CR as the last byte is a lone CR until the next block shows an LF.
            if i + 1 < count && bytes[i + 1] == 0x0A { crlf += 1 } else { cr += 1 }
            from = i + 1
        }
        from = 0
        while from < count, let hit = memchr(bytes + from, 0x0A, count - from) {
            let i = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - bytes
            if i == 0 && afterCR {
                cr -= 1
                crlf += 1
            } else if i == 0 || bytes[i - 1] != 0x0D {
                lf += 1
            }
            from = i + 1
        }
    }
}
