/// Report: builds one CSV output in memory (SPEC §7, §9: UTF-8 without BOM, LF line ends,
/// RFC 4180 quoting only where needed — through libcsv's writer).
///
/// A nil cell is written as an empty field (SPEC §7: null is an empty field). A text cell
/// that a spreadsheet would run as a formula gets a leading `'` (`formulaGuard`), so every
/// CSV the tool writes — tables and `rejects/` alike — is safe to open in Excel or Sheets.
public struct CSVTable {
    private(set) var bytes: [UInt8] = []

    public init(header: [String]) {
        append(header)
    }

    public mutating func append(_ cells: [String?]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            guard var text = cell else { continue }
            text.withUTF8 { field in
                if CSVTable.startsLikeAFormula(field) {
                    var guarded: [UInt8] = [CSVTable.formulaGuard]
                    guarded.append(contentsOf: field)
                    guarded.withUnsafeBufferPointer { LibCSVQuote.append($0, to: &bytes) }
                } else {
                    LibCSVQuote.append(field, to: &bytes)
                }
            }
        }
        bytes.append(0x0A)
    }

    public var data: [UInt8] { bytes }
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The byte put in front of a cell that would start a formula: `'`, which spreadsheets
    /// read as "text follows" (OWASP, CSV injection).
    public static let formulaGuard = UInt8(ascii: "'")

    /// OWASP's CSV-injection rule: a cell starting with `=`, `+`, `@`, tab or CR, or with `-`
    /// not followed by a digit, would be evaluated by a spreadsheet. Our own numbers never
    /// match (`-3.50` and `-0.370014` start with `-` and a digit), so they are written as they are.
    public static func startsLikeAFormula(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "-"):
            guard field.count > 1 else { return true }
            return !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(field[1])
        default:
            return false
        }
    }
}
