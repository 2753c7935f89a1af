import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Size and SHA-256 of an input file, so `summary.json` traces a report to its exact exports.
public struct FileDigest: Sendable, Equatable {
    public let bytes: Int
    public let sha256: String

    /// A digest recorded earlier (a partition stage's task ledger, docs/partitioned.md).
    public init(bytes: Int, sha256: String) {
        self.bytes = bytes
        self.sha256 = sha256
    }

    /// Streams the file in 1 MiB blocks (constant memory).
    public init(path: String, displayPath: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpsError.runtime("\(displayPath): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var hasher = SHA256()
        var total = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw OpsError.runtime("\(displayPath): read error: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += n
        }
        bytes = total
        sha256 = hasher.finalize().map { byte in
            let s = String(byte, radix: 16)
            return byte < 16 ? "0" + s : s
        }.joined()
    }
}
