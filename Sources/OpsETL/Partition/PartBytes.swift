import Foundation

/// Partition: the little-endian encoder of the intermediate format's payloads (docs/partitioned.md).
///
/// Integers are fixed width, little-endian; a string is a u32 byte count and its UTF-8 bytes; an
/// optional is a u8 flag (0 absent, 1 present) and the value. No per-row allocation beyond the buffer.
public struct PartWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    @inline(__always) mutating func u8(_ v: UInt8) { bytes.append(v) }
    @inline(__always) mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    @inline(__always) mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    @inline(__always) mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    @inline(__always) mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    @inline(__always) mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    @inline(__always) mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    @inline(__always) mutating func int(_ v: Int) { i64(Int64(v)) }
    /// Two u64: the low 64 bits, then the high 64 bits (two's complement, so the whole is little-endian).
    @inline(__always) mutating func int128(_ v: Int128) {
        u64(UInt64(truncatingIfNeeded: v))
        u64(UInt64(truncatingIfNeeded: v >> 64))
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            u32(UInt32(buf.count))
            bytes.append(contentsOf: buf)
        }
    }

    mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }

    mutating func optionalI64(_ v: Int64?) {
        bool(v != nil)
        if let v { i64(v) }
    }

    mutating func strings(_ list: [String]) {
        u32(UInt32(list.count))
        for s in list { string(s) }
    }

    @inline(__always) mutating func instant(_ t: Instant) {
        i64(t.seconds)
        i32(t.nanos)
    }

    @inline(__always) mutating func date(_ d: LocalDate) { i32(d.days) }

    mutating func optionalDate(_ d: LocalDate?) {
        bool(d != nil)
        if let d { date(d) }
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Raw bytes as a string field (u32 count + bytes): ids and names straight from a parsed record.
    @inline(__always) mutating func bytes(_ b: UnsafeBufferPointer<UInt8>) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }

    /// Raw bytes with no count (a slice of another payload copied verbatim).
    @inline(__always) mutating func raw(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }

    public var count: Int { bytes.count }

    /// Empties the buffer, keeping its capacity (one buffer per partition, reused block after block).
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Overwrites the u32 at `offset` (a count known only once its items are written).
    mutating func patch(u32 v: UInt32, at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { c in for i in 0..<4 { bytes[offset + i] = c[i] } }
    }

}

/// Partition: the decoder matching `PartWriter`. Reading past the end throws (exit 1 naming the file).
public struct PartReader {
    let bytes: [UInt8]
    var offset: Int
    let end: Int
    /// For error messages.
    let name: String

    /// The file's trailing SHA-256 (when read whole by `PartFile.read`): equal for two files exactly
    /// when their bytes are, so a duplicate copy is recognised without keeping the first one's bytes.
    let checksum: [UInt8]

    init(_ bytes: [UInt8], from: Int, to: Int, name: String, checksum: [UInt8] = []) {
        self.bytes = bytes
        offset = from
        end = to
        self.name = name
        self.checksum = checksum
    }

    var atEnd: Bool { offset >= end }

    private func truncated() -> OpsError {
        OpsError.runtime("\(name): intermediate file is truncated or corrupt (payload ends early at byte \(offset))")
    }

    @inline(__always) mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let n = MemoryLayout<T>.size
        guard offset + n <= end else { throw truncated() }
        let at = offset
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
        offset += n
        return T(littleEndian: v)
    }

    /// The byte range of a string field (u32 count + bytes) in `bytes`, skipped over.
    @inline(__always) mutating func span() throws -> Range<Int> {
        let n = Int(try u32())
        guard offset + n <= end else { throw truncated() }
        defer { offset += n }
        return offset..<(offset + n)
    }

    @inline(__always) mutating func skip(_ n: Int) throws {
        guard offset + n <= end else { throw truncated() }
        offset += n
    }

    @inline(__always) mutating func u8() throws -> UInt8 { try fixed(UInt8.self) }
    @inline(__always) mutating func bool() throws -> Bool { try u8() != 0 }
    @inline(__always) mutating func u16() throws -> UInt16 { try fixed(UInt16.self) }
    @inline(__always) mutating func u32() throws -> UInt32 { try fixed(UInt32.self) }
    @inline(__always) mutating func i32() throws -> Int32 { try fixed(Int32.self) }
    @inline(__always) mutating func u64() throws -> UInt64 { try fixed(UInt64.self) }
    @inline(__always) mutating func i64() throws -> Int64 { try fixed(Int64.self) }
    @inline(__always) mutating func int() throws -> Int { Int(try i64()) }
    /// The inverse of `PartWriter.int128`: low u64, then high u64.
    mutating func int128() throws -> Int128 {
        let low = try u64()
        let high = try u64()
        return Int128(Int64(bitPattern: high)) << 64 | Int128(low)
    }

    /// A count that must fit in what is left of the payload (each element at least `minBytes`).
    mutating func count(minBytes: Int = 1) throws -> Int {
        let n = Int(try u32())
        guard n * max(1, minBytes) <= end - offset else { throw truncated() }
        return n
    }

    mutating func string() throws -> String {
        let n = Int(try u32())
        guard offset + n <= end else { throw truncated() }
        let s = String(decoding: bytes[offset..<(offset + n)], as: UTF8.self)
        offset += n
        return s
    }

    mutating func optionalString() throws -> String? { try bool() ? try string() : nil }
    mutating func optionalI64() throws -> Int64? { try bool() ? try i64() : nil }

    mutating func strings() throws -> [String] {
        let n = try count(minBytes: 4)
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    @inline(__always) mutating func instant() throws -> Instant {
        let s = try i64()
        return Instant(seconds: s, nanos: try i32())
    }

    @inline(__always) mutating func date() throws -> LocalDate { LocalDate(days: try i32()) }
    mutating func optionalDate() throws -> LocalDate? { try bool() ? try date() : nil }
}
