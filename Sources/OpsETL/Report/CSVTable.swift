/// Report: builds one CSV output in memory (SPEC §7, §9: UTF-8 without BOM, LF line ends,
/// RFC 4180 quoting only where needed — through libcsv's writer).
///
/// A nil cell is written as an empty field (SPEC §7: null is an empty field).
public struct CSVTable {
    private(set) var bytes: [UInt8] = []

    public init(header: [String]) {
        append(header)
    }

    public mutating func append(_ cells: [String?]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            guard var text = cell else { continue }
            text.withUTF8 { LibCSVQuote.append($0, to: &bytes) }
        }
        bytes.append(0x0A)
    }

    public var data: [UInt8] { bytes }
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
