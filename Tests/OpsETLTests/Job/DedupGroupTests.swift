import Testing
@testable import OpsETL

/// Inputs above 2^18 rows are deduplicated in hash groups, each walking its own rows in input
/// order; the result must equal "keep the first row of each key" done in one pass.
@Suite struct DedupGroupTests {
    @Test func groupedEventDedupeKeepsTheFirstOfEachKeyInInputOrder() throws {
        let n = 1_100_003   // 2 groups, and a tail that is not a multiple of 8
        var rng = SystemRandomNumberGenerator()
        var rows: [EventRow] = []
        var keys: [IdKey] = []
        rows.reserveCapacity(n)
        keys.reserveCapacity(n)
        for i in 0..<n {
            rows.append(EventRow(at: Instant(seconds: 1_735_689_600 + Int64(i)), name: 0, user: Int32(i)))
            keys.append(IdKey(a: UInt64.random(in: 0..<700_000, using: &rng), b: 0))
        }
        var seen = Set<UInt64>()
        let expected = (0..<n).filter { seen.insert(keys[$0].a).inserted }.map { Int32($0) }
        let input = CleanedInput(kind: .events, files: [], header: nil, rows: rows, rejects: [], origins: [:],
                                 keys: keys, rowsRead: n, span: DateSpan())
        let zone = try #require(ZoneRules(identifier: "UTC"))
        let deduped = Deduplicator.events(input, asOf: LocalDate(days: 30_000), zone: zone)
        #expect(deduped.rows.map(\.user) == expected)
        #expect(deduped.duplicates == n - expected.count)
    }
}
