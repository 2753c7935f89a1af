import Crypto
import Foundation

/// Partition: one file of the intermediate format (docs/partitioned.md).
///
/// Layout, little-endian: magic `OPSETL-PART` (11 bytes), format version (u16), record kind (u8),
/// payload length (u64), payload, SHA-256 of every byte before it (32 bytes). A reader checks all of
/// it before decoding a byte of the payload, so a truncated, corrupt, foreign or newer file is exit 1
/// naming the file. Files are written to a temporary name and renamed, so a retried task replaces
/// its outputs whole.
public enum PartFile {
    public static let magic = Array("OPSETL-PART".utf8)
    /// Bumped whenever a payload's layout changes; a reader accepts only its own version.
    public static let formatVersion: UInt16 = 1
    static let headerSize = 11 + 2 + 1 + 8
    static let trailerSize = 32

    /// What a file holds (the u8 after the version).
    public enum Kind: UInt8, Sendable, CaseIterable {
        case task = 1
        case mapPartition = 2
        case context = 3
        case dedupePartition = 4
        case dedupeCounts = 5
        case partial = 6

        var name: String {
            switch self {
            case .task: "map task ledger"
            case .mapPartition: "map partition"
            case .context: "context"
            case .dedupePartition: "dedupe partition"
            case .dedupeCounts: "dedupe counts"
            case .partial: "analyze partial"
            }
        }
    }

    /// The whole file for a payload.
    public static func encode(_ kind: Kind, payload: [UInt8]) -> [UInt8] {
        var w = PartWriter()
        w.append(magic)
        w.u16(formatVersion)
        w.u8(kind.rawValue)
        w.u64(UInt64(payload.count))
        w.append(payload)
        var out = w.bytes
        out.append(contentsOf: SHA256.hash(data: out))
        return out
    }

    /// Writes `payload` as a `kind` file at `path` (temporary file + rename).
    public static func write(_ kind: Kind, payload: [UInt8], to path: String) throws {
        let data = Data(encode(kind, payload: payload))
        let temp = path + ".tmp-\(getpid())"
        do {
            try data.write(to: URL(fileURLWithPath: temp))
            guard rename(temp, path) == 0 else {
                throw OpsError.runtime("\(path): cannot rename into place: \(String(cString: strerror(errno)))")
            }
        } catch let error as OpsError {
            throw error
        } catch {
            unlink(temp)
            throw OpsError.runtime("\(path): cannot write: \(error.localizedDescription)")
        }
    }

    /// The kind of a file, checked whole; `expected` nil accepts any kind.
    public static func read(_ path: String, expecting expected: Kind? = nil) throws -> (kind: Kind, reader: PartReader) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OpsError.runtime("\(path): cannot read intermediate file")
        }
        return try decode([UInt8](data), name: path, expecting: expected)
    }

    static func decode(_ bytes: [UInt8], name: String, expecting expected: Kind? = nil) throws -> (kind: Kind, reader: PartReader) {
        guard bytes.count >= headerSize + trailerSize, Array(bytes[0..<11]) == magic else {
            throw OpsError.runtime("\(name): not an opsetl intermediate file (no OPSETL-PART header)")
        }
        var head = PartReader(bytes, from: 11, to: headerSize, name: name)
        let version = try head.u16()
        guard version == formatVersion else {
            throw OpsError.runtime("\(name): intermediate format version \(version), this opsetl reads version \(formatVersion) "
                                   + "(re-run the stages with one opsetl binary)")
        }
        let rawKind = try head.u8()
        let length = try head.u64()
        guard length == UInt64(bytes.count - headerSize - trailerSize) else {
            throw OpsError.runtime("\(name): intermediate file is truncated or corrupt (payload length \(length), "
                                   + "file holds \(bytes.count - headerSize - trailerSize) bytes)")
        }
        let body = bytes.count - trailerSize
        let digest = bytes.withUnsafeBufferPointer { SHA256.hash(data: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[0..<body])) }
        guard Array(digest) == Array(bytes[body...]) else {
            throw OpsError.runtime("\(name): intermediate file is corrupt (SHA-256 checksum mismatch)")
        }
        guard let kind = Kind(rawValue: rawKind) else {
            throw OpsError.runtime("\(name): unknown intermediate record kind \(rawKind)")
        }
        if let expected, kind != expected {
            throw OpsError.runtime("\(name): is a \(kind.name) file, not a file of kind \(expected.name)")
        }
        return (kind, PartReader(bytes, from: headerSize, to: body, name: name))
    }
}
