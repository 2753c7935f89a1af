import Foundation

/// Clean: an identifier (`user_id`, `order_id`, `event_id`) as 16 exact bytes instead of a `String`.
///
/// Ids of up to 15 bytes — nearly all real ones — are packed verbatim with their length, so two
/// keys are equal exactly when the trimmed ids are (SPEC §9: case-sensitive, after trimming).
/// Longer ids are interned once in `LongIds` (a lock taken only on that rare path) and the key
/// holds their number. Keys compare and hash as two integers: deduplicating and looking up
/// millions of rows creates no `String` and allocates nothing per row.
public struct IdKey: Hashable, Sendable {
    var a: UInt64
    var b: UInt64

    /// Top byte of `b`: bits 0–3 the length of a packed id, `long` for an interned one, `tuple` marks
    /// an events tuple key (SPEC §9: rows keyed by `event_id` never match rows keyed by the tuple).
    static let long: UInt64 = 0x10 << 56
    static let tuple: UInt64 = 0x20 << 56

    @inline(__always) init(a: UInt64, b: UInt64) {
        self.a = a
        self.b = b
    }

    /// The key of trimmed id bytes; `longIds` interns ids longer than 15 bytes.
    @inline(__always)
    init(_ bytes: UnsafeBufferPointer<UInt8>, longIds: LongIds) {
        let n = bytes.count
        if n <= 15 {
            var words: (UInt64, UInt64) = (0, 0)
            if n > 0 {
                withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: n) }
            }
            a = UInt64(littleEndian: words.0)
            b = (UInt64(littleEndian: words.1) & 0x00FF_FFFF_FFFF_FFFF) | (UInt64(n) << 56)
        } else {
            a = longIds.intern(bytes)
            b = IdKey.long
        }
    }

    /// The same id as an events tuple key (its user part).
    var asTuple: IdKey { IdKey(a: a, b: b | IdKey.tuple) }
    var isTuple: Bool { b & IdKey.tuple != 0 }

    /// A well-mixed 64-bit hash for open addressing.
    @inline(__always) var mixed: UInt64 {
        var h = a &* 0x9E37_79B9_7F4A_7C15 ^ (b &+ 0x632B_E59B_D9B4_E019)
        h ^= h >> 32
        h &*= 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h
    }
}

/// Clean: ids longer than 15 bytes, numbered in order of first sight (shared by every chunk of a run).
public final class LongIds: @unchecked Sendable {
    private let lock = NSLock()
    private var numbers: [[UInt8]: UInt64] = [:]

    public init() {}

    func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let id = Array(bytes)
        lock.lock()
        defer { lock.unlock() }
        if let n = numbers[id] { return n }
        let n = UInt64(numbers.count)
        numbers[id] = n
        return n
    }
}
