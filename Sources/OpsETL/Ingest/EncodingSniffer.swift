/// Ingest: what the bytes of a file look like — gzip, a UTF-16 or UTF-8 byte-order mark, UTF-16
/// without one, likely GB18030 — for `opsetl inspect` and for the hint of a "not UTF-8" error
/// (SPEC §3.2: "says what the bytes look like when that is clear … and which setting reads them").
///
/// Only clear cases are named: a byte-order mark or a gzip header is certain. From the first
/// non-UTF-8 byte on, bytes ≥ 0x80 that each stand alone between ASCII bytes are accented Latin
/// letters (Windows-1252: `Zürich` is `Z FC r…`); Chinese text has them in runs (every GB2312
/// character is two bytes ≥ 0xA1), so valid GB18030 with such a run is "GB18030". Anything else
/// gets no guess.
public enum EncodingSniffer {
    /// What a sample of a file's (decompressed) first bytes is.
    public enum Guess: Equatable, Sendable {
        case utf8(bom: Bool)
        /// A UTF-16 byte-order mark: read with `"utf-16"`.
        case utf16(littleEndian: Bool)
        /// UTF-16 text without a mark (zero bytes every other byte): no setting reads it.
        case utf16WithoutBOM(littleEndian: Bool)
        case likelyGB18030
        case likelyWindows1252
        case unknown
    }

    /// True when `bytes` start like gzip data (the two magic bytes).
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        Array(bytes.prefix(2)) == [0x1F, 0x8B]
    }

    /// Guesses the encoding of `sample`, the first bytes of a file; `complete`: it is the whole file.
    public static func guess(_ sample: [UInt8], complete: Bool) -> Guess {
        if sample.starts(with: [0xFF, 0xFE]) { return .utf16(littleEndian: true) }
        if sample.starts(with: [0xFE, 0xFF]) { return .utf16(littleEndian: false) }
        if let le = utf16WithoutMark(sample) { return .utf16WithoutBOM(littleEndian: le) }
        var validator = UTF8Validator()
        let bad = sample.withUnsafeBytes { validator.validate($0, at: 0) } ?? (complete ? validator.finish() : nil)
        guard let bad else { return .utf8(bom: sample.starts(with: [0xEF, 0xBB, 0xBF])) }
        let rest = Array(sample[bad...])
        if looksLikeWindows1252(rest) { return .likelyWindows1252 }
        if looksLikeGB18030(rest, complete: complete) { return .likelyGB18030 }
        return .unknown
    }

    /// The hint of a "not UTF-8" error: what the bytes look like and the setting that reads them.
    /// `window`: the bytes from the first invalid one on (as much as is at hand).
    static func hint(firstStored: [UInt8], firstText: [UInt8], gzip: Bool, window: UnsafeRawBufferPointer,
                     setting: String?) -> String? {
        func set(_ name: String) -> String {
            setting.map { "set \($0).encoding: \"\(name)\"" } ?? "read it with --encoding \(name)"
        }
        if !gzip && isGzip(firstStored) {
            return "the bytes are gzip-compressed: give the file a name ending in .gz, and it is decompressed as it is read"
        }
        if firstText.starts(with: [0xFF, 0xFE]) || firstText.starts(with: [0xFE, 0xFF]) {
            let order = firstText[0] == 0xFF ? "LE" : "BE"
            return "it starts with a UTF-16 \(order) byte-order mark: \(set("utf-16"))"
        }
        let rest = Array(window.prefix(4096))
        if looksLikeWindows1252(rest) {
            return "the bytes look like Windows-1252 text: \(set("windows-1252"))"
        }
        if looksLikeGB18030(rest, complete: window.count <= 4096) {
            return "the bytes look like GB18030 (GBK) text, as Excel writes on a Chinese system: \(set("gb18030"))"
        }
        return nil
    }

    /// Little-endian (true) or big-endian (false) UTF-16 without a mark: mostly ASCII text, so one
    /// byte of nearly every pair is zero, always the same one.
    static func utf16WithoutMark(_ sample: [UInt8]) -> Bool? {
        let pairs = min(sample.count / 2, 256)
        guard pairs >= 2 else { return nil }
        var evenZero = 0, oddZero = 0
        for i in 0..<pairs {
            if sample[2 * i] == 0 { evenZero += 1 }
            if sample[2 * i + 1] == 0 { oddZero += 1 }
        }
        if oddZero * 10 >= pairs * 7 && evenZero * 20 <= pairs { return true }
        if evenZero * 10 >= pairs * 7 && oddZero * 20 <= pairs { return false }
        return nil
    }

    /// Valid GB18030 with a character of two or four bytes (a cut last character allowed unless `complete`).
    static func looksLikeGB18030(_ bytes: [UInt8], complete: Bool) -> Bool {
        guard bytes.contains(where: { $0 >= 0x80 }), let converter = TextConverter(from: .gb18030) else { return false }
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count * 4 + 16, alignment: 1)
        defer { out.deallocate() }
        let (_, _, stop) = bytes.withUnsafeBytes { converter.convert($0, into: out) }
        return stop == .inputUsed || (stop == .incomplete && !complete)
    }

    /// Bytes ≥ 0x80 only alone between ASCII bytes and all defined in Windows-1252: accented Latin text.
    static func looksLikeWindows1252(_ bytes: [UInt8]) -> Bool {
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        var high = 0
        for (i, b) in bytes.enumerated() where b >= 0x80 {
            if undefined.contains(b) { return false }
            if i + 1 < bytes.count && bytes[i + 1] >= 0x80 { return false }
            high += 1
        }
        return high > 0
    }
}
