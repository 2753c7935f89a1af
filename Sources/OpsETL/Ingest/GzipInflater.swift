/// Ingest: decompresses a gzip stream block by block (SPEC §3.2: a path ending in `.gz` is
/// decompressed while it is read). The only file that imports zlib.
///
/// Several gzip members one after another (what `cat a.gz b.gz` makes) are one stream, as
/// `gzip -d` reads them. Anything else after a member, a stream that ends early (a download cut
/// short) or a corrupt block is an error naming the file: a damaged export must not be read as a
/// shorter one.
internal import CZlib

final class GzipInflater {
    private var stream = z_stream()
    private let displayPath: String
    /// Compressed bytes handed to zlib so far (for the error's offset).
    private var consumed = 0
    /// True between members: the next bytes must start a new member or be the end of the file.
    private var betweenMembers = false
    /// True once at least one member ended cleanly.
    private var sawEnd = false

    init(displayPath: String) throws {
        self.displayPath = displayPath
        // 15 + 16: a 32 KiB window and a gzip (not zlib) header.
        let rc = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw OpsError.runtime("\(displayPath): cannot start gzip decompression (zlib error \(rc))") }
    }

    deinit { inflateEnd(&stream) }

    /// Decompresses from `input` into `output`. Returns (compressed bytes used, bytes written).
    /// Call again with the rest of `input` (or more of it) until it is all used.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> (used: Int, written: Int) {
        var used = 0
        if betweenMembers {
            guard !input.isEmpty else { return (0, 0) }
            // SPEC §3.2: only a further gzip member may follow a member.
            guard input[0] == 0x1F else { throw trailing() }
            betweenMembers = false
            inflateReset(&stream)
        }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let rc = CZlib.inflate(&stream, Z_NO_FLUSH)
        used = input.count - Int(stream.avail_in)
        let written = output.count - Int(stream.avail_out)
        consumed += used
        switch rc {
        case Z_OK, Z_BUF_ERROR:
            break
        case Z_STREAM_END:
            betweenMembers = true
            sawEnd = true
        default:
            let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
            throw OpsError.runtime("\(displayPath): not valid gzip data (\(reason)) near compressed byte offset \(consumed); "
                                   + "the file is damaged, or not gzip though its name ends in .gz")
        }
        return (used, written)
    }

    /// At the end of the compressed bytes: the stream must have ended on a member's end.
    func finish() throws {
        guard betweenMembers && sawEnd else {
            throw OpsError.runtime("\(displayPath): truncated gzip data: the file ends inside the compressed stream "
                                   + "(\(consumed) bytes; a download or copy cut short?)")
        }
    }

    private func trailing() -> OpsError {
        .runtime("\(displayPath): not valid gzip data (bytes that are not gzip after the end of the compressed stream, "
                 + "at compressed byte offset \(consumed))")
    }
}
