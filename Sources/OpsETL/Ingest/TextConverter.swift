#if canImport(Glibc)
import Glibc
#endif

/// Ingest: converts text in an input's encoding to UTF-8, block by block, with glibc's `iconv`
/// (SPEC §2 `inputs.X.encoding`, §3.2: converted to UTF-8 before parsing).
///
/// A character may straddle two blocks: `iconv` then stops before it (EINVAL) and the caller
/// hands the unused bytes back with the next block. An invalid sequence (EILSEQ) stops the
/// conversion at its first byte, whose offset the caller turns into the error line.
final class TextConverter {
    private let descriptor: iconv_t

    /// Why a conversion call stopped.
    enum Stop {
        /// Every input byte was used.
        case inputUsed
        /// The output is full; call again with the rest.
        case outputFull
        /// The input ends inside a character: hand the rest back with more bytes.
        case incomplete
        /// An invalid sequence starts at the first unused byte.
        case invalid
    }

    /// nil when this glibc has no converter for the encoding.
    init?(from encoding: InputEncoding) {
        let name: String
        switch encoding {
        case .utf8: name = "UTF-8"
        case .gb18030: name = "GB18030"
        // The byte-order mark was read (and removed) by the reader, which names the order.
        case .utf16, .utf16LittleEndianWithoutBOM: name = "UTF-16LE"
        case .utf16BigEndianWithoutBOM: name = "UTF-16BE"
        case .windows1252: name = "WINDOWS-1252"
        }
        let d = iconv_open("UTF-8", name)
        guard Int(bitPattern: d) != -1 else { return nil }
        descriptor = d!
    }

    deinit { iconv_close(descriptor) }

    /// Converts from `input` into `output`: (input bytes used, output bytes written, why it stopped).
    func convert(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> (used: Int, written: Int, stop: Stop) {
        guard let inBase = input.baseAddress, input.count > 0 else { return (0, 0, .inputUsed) }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        var outPointer: UnsafeMutablePointer<CChar>? = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        var outLeft = output.count
        let rc = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
        let used = input.count - inLeft
        let written = output.count - outLeft
        if rc != -1 { return (used, written, .inputUsed) }
        switch errno {
        case E2BIG: return (used, written, .outputFull)
        case EINVAL: return (used, written, .incomplete)
        default: return (used, written, .invalid)
        }
    }
}
