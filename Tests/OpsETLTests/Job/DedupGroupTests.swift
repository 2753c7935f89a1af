import Testing
@testable import OpsETL

/// Inputs above 2^18 rows are deduplicated in hash groups of ~64 K rows, taken in passes of at most
/// `passEntries` rows, each group walking its own rows in input order; the result must equal the
/// keep rules applied in one plain pass over the rows.
@Suite struct DedupGroupTests {
    @Test func groupedEventDedupeKeepsTheFirstOfEachKeyInInputOrder() throws {
        let n = 1_100_003   // 16 groups, and a tail that is not a multiple of the cores
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
        let zone = try #require(ZoneRules(identifier: "UTC"))
        // One pass of every group, and passes of ~100 K rows (several groups each, 11 passes).
        for passEntries in [Deduplicator.passEntries, 100_000] {
            var input = CleanedInput(kind: .events, files: [], header: nil, rows: rows, rejects: [], origins: [:],
                                     keys: keys, rowsRead: n, span: DateSpan())
            let deduped = Deduplicator.events(&input, asOf: LocalDate(days: 30_000), zone: zone, passEntries: passEntries)
            let kept = deduped.rows.map(\.user) == expected   // a Bool: a failure does not print millions of rows
            #expect(kept, "passEntries \(passEntries)")
            #expect(deduped.duplicates == n - expected.count)
        }
    }

    /// Sales: the greatest `updated_at` wins, a row without one ranks lowest, ties go to the later
    /// row; rows ordered after `as_of` are dropped first and take no part (SPEC §3.4, §9).
    @Test func groupedSalesDedupeKeepsTheLatestUpdateAndDropsRowsAfterAsOf() {
        let n = 700_001
        let asOf = LocalDate(days: 20_100)
        var rng = SystemRandomNumberGenerator()
        var rows: [SaleRow] = []
        var keys: [IdKey] = []
        rows.reserveCapacity(n)
        keys.reserveCapacity(n)
        for i in 0..<n {
            let update = Int.random(in: 0..<5, using: &rng)   // 0: no updated_at; 1–4: few values, many ties
            rows.append(SaleRow(orderedAt: Instant(seconds: Int64(i)), user: Int32(i), amount: Int64(i),
                                updatedAt: update == 0 ? nil : Instant(seconds: Int64(update)),
                                orderedDate: LocalDate(days: 20_000 + Int32.random(in: 0..<110, using: &rng)),
                                excluded: false))
            keys.append(IdKey(a: UInt64.random(in: 0..<250_000, using: &rng), b: 3 << 56))
        }
        // The reference: one plain pass with a dictionary.
        var best: [UInt64: Int] = [:]
        var after = 0
        for i in 0..<n {
            if rows[i].orderedDate > asOf {
                after += 1
                continue
            }
            guard let b = best[keys[i].a] else {
                best[keys[i].a] = i
                continue
            }
            let wins: Bool = switch (rows[i].updatedAt, rows[b].updatedAt) {
            case (nil, _): rows[b].updatedAt == nil
            case (.some, nil): true
            case let (c?, o?): c >= o
            }
            if wins { best[keys[i].a] = i }
        }
        let expected = best.values.sorted().map { Int32($0) }
        for passEntries in [Deduplicator.passEntries, 65_536 + 5_000] {
            var input = CleanedInput(kind: .sales, files: [], header: nil, rows: rows, rejects: [], origins: [:],
                                     keys: keys, rowsRead: n, span: DateSpan())
            let deduped = Deduplicator.sales(&input, asOf: asOf, passEntries: passEntries)
            let kept = deduped.rows.map(\.user) == expected   // a Bool: a failure does not print millions of rows
            #expect(kept, "passEntries \(passEntries)")
            #expect(deduped.afterAsOf == after)
            #expect(deduped.duplicates == n - after - expected.count)
        }
    }
}
