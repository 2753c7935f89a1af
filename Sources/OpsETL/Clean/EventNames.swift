import Foundation

/// Clean: event names (SPEC §3.5: trimmed, case kept) numbered once, shared by every chunk.
///
/// A name's number is its order of first sight while parsing, which depends on thread timing;
/// it only serves to compare names as integers. The stream renumbers names in input order of
/// the kept rows (`Integrator`), so outputs never depend on it. Each chunk keeps a small cache
/// in front of the lock, so the lock is taken once per distinct name and chunk.
public final class EventNames: @unchecked Sendable {
    private let lock = NSLock()
    private var numbers: [[UInt8]: Int32] = [:]
    private var list: [String] = []

    public init() {}

    func number(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let key = Array(bytes)
        lock.lock()
        defer { lock.unlock() }
        if let n = numbers[key] { return n }
        let n = Int32(list.count)
        numbers[key] = n
        list.append(String(decoding: bytes, as: UTF8.self))
        return n
    }

    /// Every name seen, by number.
    var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }

    /// A chunk's lock-free front: the few names it has met, compared byte by byte.
    struct Cache {
        private var seen: [(bytes: [UInt8], number: Int32)] = []

        @inline(__always)
        mutating func number(of bytes: UnsafeBufferPointer<UInt8>, in names: EventNames) -> Int32 {
            for entry in seen where entry.bytes.count == bytes.count {
                if entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                    return entry.number
                }
            }
            let n = names.number(of: bytes)
            seen.append((Array(bytes), n))
            return n
        }
    }
}
