import Crypto

/// Size and SHA-256 of an input file as stored, so `summary.json` traces a report to its exact
/// exports (SPEC §9: computed from the very bytes that were parsed).
///
/// `InputReader` adds each block to the hash as it reads it for the parser; there is no second read.
public struct FileDigest: Sendable, Equatable {
    public let bytes: Int
    public let sha256: String

    /// A digest recorded earlier (a partition stage's task ledger, docs/partitioned.md).
    public init(bytes: Int, sha256: String) {
        self.bytes = bytes
        self.sha256 = sha256
    }

    init(bytes: Int, sha256 digest: SHA256.Digest) {
        self.bytes = bytes
        self.sha256 = digest.map { byte in
            let s = String(byte, radix: 16)
            return byte < 16 ? "0" + s : s
        }.joined()
    }
}
