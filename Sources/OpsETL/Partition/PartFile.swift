import Foundation

/// Partition: one file of the intermediate format (docs/partitioned.md, "The intermediate format").
///
/// Layout, little-endian: magic `OPSETL-PART` (11 bytes), format version (u16), record kind (u8);
/// then blocks, each a u32 byte count (< 0xFFFF_FFFF) and that many payload bytes; then the end
/// mark u32 0xFFFF_FFFF, the block count (u64) and the payload bytes in all (u64); then the XXH64
/// checksum of every byte before it (8 bytes, `PartChecksum`). Blocks let a stage write and read a partition of millions of
/// rows a megabyte at a time, so no stage holds a whole file. A reader checks magic, version and
/// kind before the first block and the end mark, counts and checksum after the last one: a stage
/// decodes as it reads, but fails (exit 1, naming the file) before anything it wrote is renamed
/// into place if the file turns out truncated, corrupt, foreign or newer. Files are written to a
/// temporary name and renamed, so a retried task replaces its outputs whole.
public enum PartFile {
    public static let magic = Array("OPSETL-PART".utf8)
    /// Bumped whenever a payload's layout changes; a reader accepts only its own version.
    public static let formatVersion: UInt16 = 2
    static let headerSize = 11 + 2 + 1
    static let trailerSize = 8
    static let endMark: UInt32 = 0xFFFF_FFFF

    /// What a file holds (the u8 after the version).
    public enum Kind: UInt8, Sendable, CaseIterable {
        case task = 1
        case mapPartition = 2
        case context = 3
        case dedupePartition = 4
        case dedupeCounts = 5
        case partial = 6
        case userIds = 7

        var name: String {
            switch self {
            case .task: "map task ledger"
            case .mapPartition: "map partition"
            case .context: "context"
            case .dedupePartition: "dedupe partition"
            case .dedupeCounts: "dedupe counts"
            case .partial: "analyze partial"
            case .userIds: "user ids"
            }
        }
    }

    /// The whole file for a one-block payload (small files: ledgers, context, counts, partials).
    public static func encode(_ kind: Kind, payload: [UInt8]) -> [UInt8] {
        var w = PartWriter()
        w.append(magic)
        w.u16(formatVersion)
        w.u8(kind.rawValue)
        w.u32(UInt32(payload.count))
        w.append(payload)
        w.u32(endMark)
        w.u64(1)
        w.u64(UInt64(payload.count))
        var out = w.bytes
        out.append(contentsOf: out.withUnsafeBytes { PartChecksum.of($0) })
        return out
    }

    /// Writes `payload` as a one-block `kind` file at `path` (temporary file + rename).
    public static func write(_ kind: Kind, payload: [UInt8], to path: String) throws {
        var file = try PartFileWriter(path: path, kind: kind)
        do {
            try file.append(block: payload)
            try file.finish()
        } catch {
            file.abandon()
            throw error
        }
    }

    /// A whole file read and checked, its blocks' payloads concatenated in one reader.
    public static func read(_ path: String, expecting expected: Kind? = nil) throws -> (kind: Kind, reader: PartReader) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OpsError.runtime("\(path): cannot read intermediate file")
        }
        return try decode([UInt8](data), name: path, expecting: expected)
    }

    static func decode(_ bytes: [UInt8], name: String, expecting expected: Kind? = nil) throws -> (kind: Kind, reader: PartReader) {
        let kind = try checkHeader(bytes.prefix(headerSize).map { $0 }, total: bytes.count, name: name, expecting: expected)
        guard bytes.count >= headerSize + 4 + 16 + trailerSize else { throw corrupt(name, "truncated") }
        // The blocks' frame first (a cut file is named truncated), then the checksum, then the payload.
        let body = bytes.count - trailerSize
        var r = PartReader(bytes, from: headerSize, to: body, name: name)
        var blocks: [Range<Int>] = []
        while true {
            guard let n = try? r.u32() else { throw corrupt(name, "truncated") }
            if n == endMark { break }
            guard r.offset + Int(n) <= body else { throw corrupt(name, "truncated") }
            blocks.append(r.offset..<(r.offset + Int(n)))
            r.offset += Int(n)
        }
        guard let count = try? r.u64(), let total = try? r.u64(), r.atEnd else { throw corrupt(name, "truncated") }
        let digest = bytes.withUnsafeBytes { PartChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<body])) }
        guard digest == Array(bytes[body...]) else {
            throw OpsError.runtime("\(name): intermediate file is corrupt (checksum mismatch)")
        }
        guard count == UInt64(blocks.count), total == UInt64(blocks.reduce(0) { $0 + $1.count }) else {
            throw corrupt(name, "block counts differ")
        }
        var payload: [UInt8] = []
        payload.reserveCapacity(Int(total))
        for b in blocks { payload.append(contentsOf: bytes[b]) }
        return (kind, PartReader(payload, from: 0, to: payload.count, name: name, checksum: Array(bytes[body...])))
    }

    static func checkHeader(_ head: [UInt8], total: Int, name: String, expecting expected: Kind?) throws -> Kind {
        guard head.count == headerSize, total >= headerSize + trailerSize, Array(head[0..<11]) == magic else {
            throw OpsError.runtime("\(name): not an opsetl intermediate file (no OPSETL-PART header)")
        }
        let version = UInt16(head[11]) | UInt16(head[12]) << 8
        guard version == formatVersion else {
            throw OpsError.runtime("\(name): intermediate format version \(version), this opsetl reads version \(formatVersion) "
                                   + "(re-run the stages with one opsetl binary)")
        }
        guard let kind = Kind(rawValue: head[13]) else {
            throw OpsError.runtime("\(name): unknown intermediate record kind \(head[13])")
        }
        if let expected, kind != expected {
            throw OpsError.runtime("\(name): is a \(kind.name) file, not a file of kind \(expected.name)")
        }
        return kind
    }

    static func corrupt(_ name: String, _ why: String) -> OpsError {
        OpsError.runtime("\(name): intermediate file is truncated or corrupt (\(why))")
    }

    /// The trailing checksum of a file, read without the rest: equal for two files exactly when their
    /// bytes are, so a second copy of a task's output (a retry) is recognised before it is read.
    static func trailer(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw OpsError.runtime("\(path): cannot read intermediate file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) >= headerSize + trailerSize else { throw corrupt(path, "truncated") }
        var out = [UInt8](repeating: 0, count: trailerSize)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, trailerSize, off_t(Int(info.st_size) - trailerSize)) }
        guard n == trailerSize else { throw corrupt(path, "truncated") }
        return out
    }
}

/// Partition: writes one intermediate file block by block (to `<path>.tmp-<pid>`, renamed by `finish`).
public struct PartFileWriter {
    let path: String
    private let temp: String
    private var fd: Int32
    private var hash = PartChecksum()
    private var blocks: UInt64 = 0
    private var payloadBytes: UInt64 = 0

    public init(path: String, kind: PartFile.Kind) throws {
        self.path = path
        temp = path + ".tmp-\(getpid())"
        fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpsError.runtime("\(path): cannot write: \(String(cString: strerror(errno)))") }
        var w = PartWriter()
        w.append(PartFile.magic)
        w.u16(PartFile.formatVersion)
        w.u8(kind.rawValue)
        try write(w.bytes)
    }

    private mutating func write(_ bytes: [UInt8]) throws {
        hash.update(bytes)
        if let code = bytes.withUnsafeBytes({ writeAll(fd, $0) }) {
            throw OpsError.runtime("\(path): cannot write: \(String(cString: strerror(code)))")
        }
    }

    /// Appends one block (an empty payload writes nothing).
    public mutating func append(block payload: [UInt8]) throws {
        guard !payload.isEmpty || blocks == 0 else { return }
        precondition(payload.count < Int(PartFile.endMark), "PartFileWriter: a block of 4 GiB")
        var w = PartWriter()
        w.u32(UInt32(payload.count))
        try write(w.bytes)
        try write(payload)
        blocks += 1
        payloadBytes += UInt64(payload.count)
    }

    /// The end mark, counts and checksum; then the temporary file takes the final name.
    public mutating func finish() throws {
        var w = PartWriter()
        w.u32(PartFile.endMark)
        w.u64(blocks)
        w.u64(payloadBytes)
        try write(w.bytes)
        try write(hash.trailer)
        _ = Foundation.close(fd)
        fd = -1
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw OpsError.runtime("\(path): cannot rename into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the temporary file after a failure.
    public mutating func abandon() {
        if fd >= 0 { _ = Foundation.close(fd) }
        fd = -1
        unlink(temp)
    }
}

/// Partition: reads one intermediate file block by block, checking it whole as it goes.
///
/// `next()` hands out each block's payload; after the last it checks the end mark, the counts and
/// the checksum of everything read, and throws if any differs. So a caller that decodes while
/// reading must publish nothing before `next()` has returned nil.
public struct PartFileReader {
    public let name: String
    public let kind: PartFile.Kind
    /// The open file, closed when the last copy of this reader is gone (or by `close`).
    private final class Descriptor {
        let fd: Int32
        var open = true
        init(_ fd: Int32) { self.fd = fd }
        func close() {
            if open { _ = Foundation.close(fd) }
            open = false
        }
        deinit { close() }
    }
    private let descriptor: Descriptor
    private var fd: Int32 { descriptor.fd }
    private var hash = PartChecksum()
    private var blocks: UInt64 = 0
    private var payloadBytes: UInt64 = 0
    private var done = false
    private let size: Int
    private var position = 0

    /// Whether the checksum is computed and compared (a stage reading a file a second time, after
    /// a first read checked it, skips it; the frame and counts are still checked).
    private let verify: Bool

    public init(path: String, expecting expected: PartFile.Kind? = nil, verify: Bool = true) throws {
        self.verify = verify
        name = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpsError.runtime("\(path): cannot read intermediate file: \(String(cString: strerror(errno)))") }
        descriptor = Descriptor(fd)
        var info = stat()
        fstat(fd, &info)
        size = Int(info.st_size)
        var head = [UInt8](repeating: 0, count: PartFile.headerSize)
        do {
            let n = head.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, PartFile.headerSize) }
            kind = try PartFile.checkHeader(n == PartFile.headerSize ? head : [], total: size, name: path, expecting: expected)
        } catch {
            descriptor.close()
            throw error
        }
        hash.update(head)
        position = PartFile.headerSize
    }

    /// Closes the file (also done when the last block has been read and checked).
    public func close() { descriptor.close() }

    /// Reads `n` bytes into `into` (grown when too small, never shrunk), so one buffer serves every block.
    private mutating func read(_ n: Int, into buffer: inout [UInt8], at offset: Int = 0) throws {
        guard position + n <= size else { throw PartFile.corrupt(name, "truncated") }
        if buffer.count < offset + n { buffer = [UInt8](repeating: 0, count: max(offset + n, buffer.count * 2)) }
        var got = 0
        let fd = self.fd, name = self.name
        try buffer.withUnsafeMutableBytes { buf in
            while got < n {
                let r = Foundation.read(fd, buf.baseAddress! + offset + got, n - got)
                if r < 0 && errno == EINTR { continue }
                guard r > 0 else { throw PartFile.corrupt(name, "truncated") }
                got += r
            }
        }
        position += n
    }

    private mutating func readExactly(_ n: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        try read(n, into: &out)
        return Array(out[0..<n])
    }

    private func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    private func u64(_ b: [UInt8], _ at: Int) -> UInt64 {
        UInt64(u32(b, at)) | UInt64(u32(b, at + 4)) << 32
    }

    /// The next block's length, or nil at the end mark (the file then checked whole).
    private mutating func nextLength() throws -> Int? {
        if done { return nil }
        let lengthBytes = try readExactly(4)
        hash.update(lengthBytes)
        let n = u32(lengthBytes, 0)
        if n == PartFile.endMark {
            let counts = try readExactly(16)
            hash.update(counts)
            let trailer = try readExactly(PartFile.trailerSize)
            done = true
            close()
            guard u64(counts, 0) == blocks, u64(counts, 8) == payloadBytes, position == size else {
                throw PartFile.corrupt(name, "block counts differ")
            }
            guard !verify || hash.trailer == trailer else {
                throw OpsError.runtime("\(name): intermediate file is corrupt (checksum mismatch)")
            }
            return nil
        }
        return Int(n)
    }

    /// The next block's payload (a buffer of its own), or nil after the last (the file then checked whole).
    public mutating func next() throws -> PartReader? {
        guard let n = try nextLength() else { return nil }
        var payload: [UInt8] = []
        try read(n, into: &payload)
        payload.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        blocks += 1
        payloadBytes += UInt64(n)
        return PartReader(payload, from: 0, to: n, name: name)
    }

    /// Closes the file after a failure part-way (nothing more is read); returns `error`.
    private mutating func failed(_ error: any Error) -> any Error {
        close()
        done = true
        return error
    }

    /// Reads only the blocks whose first payload byte is in `firstBytes` (a rows file's row kind),
    /// seeking past the others; without the checksum (a later full read checks the file).
    public mutating func forEachBlock(startingWith firstBytes: Set<UInt8>, _ body: (inout PartReader) throws -> Void) throws {
        precondition(!verify, "PartFileReader: skipping blocks cannot check the checksum")
        do {
            var buffer: [UInt8] = []
            while let n = try nextLength() {
                blocks += 1
                payloadBytes += UInt64(n)
                guard n > 0 else { continue }
                try read(1, into: &buffer)
                if !firstBytes.contains(buffer[0]) {
                    guard position + n - 1 <= size, lseek(fd, off_t(n - 1), SEEK_CUR) >= 0 else { throw PartFile.corrupt(name, "truncated") }
                    position += n - 1
                    continue
                }
                let first = buffer[0]
                try read(n - 1, into: &buffer, at: 1)   // (a buffer grown here starts anew: put the byte back)
                buffer[0] = first
                var block = PartReader(buffer, from: 0, to: n, name: name)
                try body(&block)
            }
        } catch {
            throw failed(error)
        }
    }

    /// Reads every remaining block into `body`, then checks the file. One buffer is reused block after
    /// block (the reader handed to `body` must not outlive the call), so reading allocates nothing per block.
    public mutating func forEachBlock(_ body: (inout PartReader) throws -> Void) throws {
        do {
            var buffer: [UInt8] = []
            while let n = try nextLength() {
                try read(n, into: &buffer)
                if verify { buffer.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
                blocks += 1
                payloadBytes += UInt64(n)
                var block = PartReader(buffer, from: 0, to: n, name: name)
                try body(&block)
            }
        } catch {
            throw failed(error)
        }
    }
}
