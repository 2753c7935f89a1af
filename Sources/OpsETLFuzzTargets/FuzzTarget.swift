/// Fuzzing (issue 5): the targets libFuzzer drives, as plain functions from bytes to the list
/// of invariants the input broke (empty = fine).
///
/// A crash (trap, sanitizer report) is a finding by itself; a non-empty result is one too —
/// `opsetl-fuzz` turns it into a crash so libFuzzer saves the input. The unit tests run every
/// file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` through the same functions.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// One input file, bytes → rows, rejects and the quality ledger (`IngestTarget`).
    case ingest
    /// The value parsers: timestamp, money, count, channel, trimming (`ValuesTarget`).
    case values

    /// Runs the target on one input; returns the invariants it broke.
    public func check(_ bytes: UnsafeRawBufferPointer) -> [String] {
        switch self {
        case .ingest: IngestTarget.shared.check(bytes)
        case .values: ValuesTarget.check(bytes)
        }
    }

    public func check(_ bytes: [UInt8]) -> [String] {
        bytes.withUnsafeBytes { check($0) }
    }
}
