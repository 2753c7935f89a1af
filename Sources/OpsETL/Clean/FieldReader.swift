/// Clean: reads one record's canonical fields with the checks every input shares.
///
/// SPEC §9 gives a faulty row exactly one reason: `malformed_row` first, then
/// `missing:` in canonical column order, then bad values in canonical column order.
/// The per-input cleaners call `checkShape` and `checkMissing` before converting any value,
/// and convert values in canonical order, stopping at the first failure.
struct FieldReader {
    let map: ColumnMap
    /// The required columns and their positions, in canonical order (two arrays, so the per-row
    /// check walks plain integers and touches no `String`).
    private let requiredNames: [String]
    private let requiredPositions: [Int]

    init(map: ColumnMap) {
        self.map = map
        requiredNames = map.kind.requiredColumns
        requiredPositions = map.kind.requiredColumns.map { map.position(of: $0)! }
    }

    /// `malformed_row` when the field count differs from the header's (or a quote never closed).
    func checkShape(_ row: RawRow) -> String? {
        row.count != map.fieldCount || row.unterminatedQuote ? "malformed_row" : nil
    }

    /// The first required column whose trimmed value is empty, as `missing:<column>`.
    func checkMissing(_ row: RawRow) -> String? {
        for (k, position) in requiredPositions.enumerated() where ByteTrim.trim(row.field(position)).isEmpty {
            return "missing:\(requiredNames[k])"
        }
        return nil
    }

    /// Trimmed bytes of a canonical column; empty when the column is absent or the value null.
    func value(_ row: RawRow, _ column: Int?) -> UnsafeBufferPointer<UInt8> {
        guard let column else { return UnsafeBufferPointer(start: nil, count: 0) }
        return ByteTrim.trim(row.field(column))
    }

    /// Trimmed text of a canonical column, nil when absent or empty.
    func text(_ row: RawRow, _ column: Int?) -> String? {
        let bytes = value(row, column)
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
