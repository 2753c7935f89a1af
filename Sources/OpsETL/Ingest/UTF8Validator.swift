/// Ingest: a streaming UTF-8 validator (SPEC §3.2: a non-UTF-8 file is an error naming the byte offset).
///
/// Blocks arrive in order and a multi-byte sequence may straddle two blocks, so the
/// validator carries the bytes it still expects. ASCII is checked eight bytes at a time.
struct UTF8Validator {
    /// Continuation bytes still expected for the current sequence.
    private var pending = 0
    /// Allowed range of the next continuation byte (narrowed after E0, ED, F0, F4).
    private var lo: UInt8 = 0x80
    private var hi: UInt8 = 0xBF
    /// File offset of the lead byte of the sequence in progress.
    private var leadOffset = 0

    /// Validates `block`, which starts at file offset `offset`. Returns the offset of the
    /// first invalid byte (the lead byte of a broken sequence), or nil when all is well so far.
    mutating func validate(_ block: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        let n = block.count
        var i = 0
        while i < n {
            if pending == 0 {
                // Fast path: eight ASCII bytes at once.
                while i + 8 <= n && block.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                if i >= n { break }
                let b = block[i]
                if b < 0x80 { i += 1; continue }
                leadOffset = offset + i
                switch b {
                case 0xC2...0xDF: pending = 1; lo = 0x80; hi = 0xBF
                case 0xE0: pending = 2; lo = 0xA0; hi = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: pending = 2; lo = 0x80; hi = 0xBF
                case 0xED: pending = 2; lo = 0x80; hi = 0x9F
                case 0xF0: pending = 3; lo = 0x90; hi = 0xBF
                case 0xF1...0xF3: pending = 3; lo = 0x80; hi = 0xBF
                case 0xF4: pending = 3; lo = 0x80; hi = 0x8F
                default: return offset + i
                }
                i += 1
            } else {
                let b = block[i]
                guard b >= lo && b <= hi else { return leadOffset }
                pending -= 1
                lo = 0x80
                hi = 0xBF
                i += 1
            }
        }
        return nil
    }

    /// At end of input: the offset of a truncated final sequence, if any.
    func finish() -> Int? { pending == 0 ? nil : leadOffset }
}
