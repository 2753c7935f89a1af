/// Report: builds one CSV output in memory (SPEC §7, §9: UTF-8 without BOM, LF line ends,
/// RFC 4180 quoting only where needed — through libcsv's writer).
///
/// Every cell says what it is (`Cell`): a number opsetl formatted itself, written as it is; a
/// text cell — a name, a label, a date, a raw field in `rejects/`, anything that is not one of
/// our numbers — which gets SPEC §9's two protections; or null, an empty field (SPEC §7).
///
/// - **Formula guard** (SPEC §9, OWASP CSV injection): a text cell that starts with `=`, `+`,
///   `-`, `@`, `|`, tab, CR, their full-width forms `＝＋－＠`, or spaces followed by one of
///   these, is written with a leading `'`, which spreadsheets read as "text follows"; a text
///   cell that is entirely a plain decimal number (`-3.50`, `+12`) is not a formula and is
///   written as it is.
/// - **Control characters** (SPEC §9): C0 other than tab/LF/CR, DEL, C1, bidi overrides and
///   isolates in a text cell are written as visible escapes (`\u{1B}`, `VisibleText`), so a
///   spreadsheet never shows a name reversed or hides a character. Tab, LF and CR stay (a field
///   with a line break is quoted). The original bytes stay in the export the row came from.
public struct CSVTable {
    /// One field of a row.
    public enum Cell: Sendable, Equatable {
        /// Text from the data or the pipeline: escaped and guarded (see the type's summary).
        case text(String)
        /// A number opsetl formatted itself (`FixedPoint`, `String(Int)`): plain ASCII digits
        /// with an optional leading `-` and decimal point, written as it is.
        case number(String)
        /// Null: an empty field (SPEC §7).
        case null

        /// A text cell, or null for nil.
        public static func textOrNull(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }
        /// A number cell, or null for nil.
        public static func numberOrNull(_ value: String?) -> Cell { value.map(Cell.number) ?? .null }
        /// An integer count.
        public static func count(_ value: Int) -> Cell { .number(String(value)) }
    }

    private(set) var bytes: [UInt8] = []

    /// A table whose first line is `header` (text cells: the names are ours, so nothing is guarded).
    public init(header: [String]) {
        append(header.map(Cell.text))
    }

    /// Appends one row.
    public mutating func append(_ cells: [Cell]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            switch cell {
            case .null:
                continue
            case .number(var text):
                assert(CSVTable.isPlainNumber(text.utf8), "CSVTable: \(text) is not a formatted number")
                text.withUTF8 { LibCSVQuote.append($0, to: &bytes) }
            case .text(let value):
                var text = VisibleText.escaped(value)
                text.withUTF8 { field in
                    if CSVTable.needsFormulaGuard(field) {
                        var guarded: [UInt8] = [CSVTable.formulaGuard]
                        guarded.append(contentsOf: field)
                        guarded.withUnsafeBufferPointer { LibCSVQuote.append($0, to: &bytes) }
                    } else {
                        LibCSVQuote.append(field, to: &bytes)
                    }
                }
            }
        }
        bytes.append(0x0A)
    }

    /// Appends one row in which every value is text (nil is null). For tables that hold no
    /// numbers of ours; a plain decimal number still passes the guard unchanged.
    public mutating func append(_ cells: [String?]) {
        append(cells.map(Cell.textOrNull))
    }

    public var data: [UInt8] { bytes }
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The byte put in front of a cell that would start a formula: `'`, which spreadsheets
    /// read as "text follows" (OWASP, CSV injection).
    public static let formulaGuard = UInt8(ascii: "'")

    /// SPEC §9's rule for a text cell's UTF-8 bytes: true when, after any leading spaces, it
    /// starts with a formula character, unless the whole cell is a plain decimal number.
    public static func needsFormulaGuard(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while let width = spaceWidth(field, at: i) { i += width }
        guard i < field.count, startsFormula(field, at: i) else { return false }
        return !isPlainNumber(field)
    }

    /// `[+-]?[0-9]+(\.[0-9]+)?`, the whole field: what a spreadsheet reads as a number and
    /// never as a formula (`-3.50`, `+12`). `-.5`, `1e5`, `- 3` or ` -3` are not.
    static func isPlainNumber<Bytes: Collection<UInt8>>(_ field: Bytes) -> Bool {
        var i = field.startIndex
        if i < field.endIndex, field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+") { i = field.index(after: i) }
        let integerStart = i
        while i < field.endIndex, isDigit(field[i]) { i = field.index(after: i) }
        guard i != integerStart else { return false }
        guard i < field.endIndex else { return true }
        guard field[i] == UInt8(ascii: ".") else { return false }
        i = field.index(after: i)
        let fractionStart = i
        while i < field.endIndex, isDigit(field[i]) { i = field.index(after: i) }
        return i != fractionStart && i == field.endIndex
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// `=`, `+`, `-`, `@`, `|`, tab, CR, or the full-width `＝` (EF BC 9D), `＋` (EF BC 8B),
    /// `－` (EF BC 8D), `＠` (EF BC A0) at byte `i`.
    private static func startsFormula(_ field: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        switch field[i] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "|"), 0x09, 0x0D:
            return true
        case 0xEF:
            guard i + 2 < field.count, field[i + 1] == 0xBC else { return false }
            return [0x9D, 0x8B, 0x8D, 0xA0].contains(field[i + 2])
        default:
            return false
        }
    }

    /// The byte width of a space at `i` — U+0020, the no-break space U+00A0 or the ideographic
    /// space U+3000 (what sits before a full-width `＝`) — or nil.
    private static func spaceWidth(_ field: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i < field.count else { return nil }
        if field[i] == 0x20 { return 1 }
        if field[i] == 0xC2, i + 1 < field.count, field[i + 1] == 0xA0 { return 2 }
        if field[i] == 0xE3, i + 2 < field.count, field[i + 1] == 0x80, field[i + 2] == 0x80 { return 3 }
        return nil
    }
}
