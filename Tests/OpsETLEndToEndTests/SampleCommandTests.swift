import Foundation
import Testing

/// `opsetl sample` end to end: the generated shop runs, and the parallel path (several chunks
/// per file, deduplication and the stream split across cores, the trends split by user ranges)
/// writes byte for byte the same tables as the fully sequential one (`--threads 1`). No figure of
/// the committed sample-data/ shop is asserted here: those are in SamplePipelineTests, taken from
/// `scripts/make_sample_data.py --check`.
@Suite struct SampleCommandTests {
    static let tables = ["data_quality.csv", "cohort_retention.csv", "cohort_retention_matrix.csv", "day_retention.csv", "funnel.csv",
                         "channel_roi.csv", "trends.csv", "kpi_changes.csv", "user_lifecycle.csv", "goals.csv",
                         "rejects/users.csv", "rejects/sales.csv", "rejects/events.csv"]

    @Test func threadsOneWritesTheSameTablesAsTheDefault() throws {
        let ws = Workspace()
        // 30 000 users: events.csv is ~18 MB, so it is cut into chunks parsed concurrently.
        let sample = try ws.run("sample", "--users", "30000", "--seed", "5", "--out", "shop")
        #expect(sample.status == 0, "\(sample.stderr)")
        #expect(sample.stdout.contains("events.csv: "))
        let parallel = try ws.run("run", "shop/pipeline.json", "--output", "parallel", "--threads", "4")
        #expect(parallel.status == 0, "\(parallel.stderr)")
        let sequential = try ws.run("run", "shop/pipeline.json", "--output", "sequential", "--threads", "1")
        #expect(sequential.status == 0, "\(sequential.stderr)")
        for table in Self.tables {
            let a = try #require(ws.read("parallel/" + table), "\(table)")
            #expect(a == ws.read("sequential/" + table), "\(table)")
        }
        // The planted defects are counted, not fatal.
        #expect(ws.read("parallel/rejects/sales.csv")?.contains("unknown_user") == true)
    }

    @Test func sampleRejectsAnImpossibleSize() throws {
        let ws = Workspace()
        let result = try ws.run("sample", "--users", "0", "--out", "x")
        #expect(result.status == 2)
    }
}
