import Foundation
import Logging
import Testing
@testable import OpsETL

/// `opsetl sample`: the same seed gives the same bytes, sizes scale with `--users`, and the
/// pipeline it writes runs (with the defects it plants counted, not fatal).
@Suite struct SampleShopTests {
    static let names = ["users.csv", "sales_1.csv", "sales_2.csv", "sales_3.csv", "sales_4.csv",
                        "events.csv", "channel_spend.csv", "pipeline.json"]

    @Test func theSameSeedWritesTheSameBytes() throws {
        let a = TempDir(), b = TempDir(), c = TempDir()
        _ = try SampleShop(users: 3_000, seed: 7).write(to: a.path)
        _ = try SampleShop(users: 3_000, seed: 7).write(to: b.path)
        _ = try SampleShop(users: 3_000, seed: 8).write(to: c.path)
        for name in Self.names {
            let x = try Data(contentsOf: URL(fileURLWithPath: a.path + "/" + name))
            #expect(x == (try Data(contentsOf: URL(fileURLWithPath: b.path + "/" + name))), "\(name)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.path + "/events.csv"))
                != Data(contentsOf: URL(fileURLWithPath: c.path + "/events.csv")))
    }

    @Test func rowCountsScaleWithUsers() throws {
        let small = TempDir(), large = TempDir()
        let s = try SampleShop(users: 2_000, seed: 1).write(to: small.path)
        let l = try SampleShop(users: 20_000, seed: 1).write(to: large.path)
        func rows(_ summary: SampleShop.Summary, _ prefix: String) -> Int {
            summary.files.filter { $0.name.hasPrefix(prefix) }.reduce(0) { $0 + $1.rows }
        }
        // Users: one row each plus ~0.1 % exported twice; sales ≈ 4.5 and events ≈ 11 per user.
        #expect((2_000...2_020).contains(rows(s, "users")))
        #expect((20_000...20_100).contains(rows(l, "users")))
        for prefix in ["sales", "events"] {
            let ratio = Double(rows(l, prefix)) / Double(rows(s, prefix))
            #expect(ratio > 9 && ratio < 11, "\(prefix): \(ratio)")
        }
        #expect(rows(l, "sales") > 20_000 * 4 && rows(l, "events") > 20_000 * 9)
        // Spend does not depend on the number of users' rows, only its amounts do.
        #expect(rows(s, "channel_spend") == rows(l, "channel_spend"))
        // The sizes reported are the sizes on disk.
        for f in l.files {
            let size = try FileManager.default.attributesOfItem(atPath: large.path + "/" + f.name)[.size] as! Int
            #expect(size == f.bytes, "\(f.name)")
        }
    }

    @Test func theGeneratedPipelineRuns() throws {
        let dir = TempDir()
        _ = try SampleShop(users: 3_000, seed: 3).write(to: dir.path)
        let pipeline = try Pipeline.load(path: dir.path + "/pipeline.json")
        let prepared = try PipelineJob(pipeline: pipeline, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })).prepare()
        let q = Dictionary(uniqueKeysWithValues: prepared.quality.inputs.map { ($0.kind, $0) })
        // Every planted defect kind shows up, and stays well under the quality gate.
        #expect(q[.users]!.rejectedByReason["bad_timestamp:signup_at", default: 0] > 0)
        #expect(q[.users]!.duplicates > 0)
        #expect(q[.sales]!.excludedStatus > 0 && q[.sales]!.duplicates > 0)
        #expect(q[.sales]!.rejectedByReason["unknown_user", default: 0] > 0)
        #expect(q[.events]!.duplicates > 0)
        for input in q.values { #expect(!input.exceeds(pipeline.cleaning.maxRejectRate), "\(input.kind)") }
        #expect(prepared.data.since.description == "2025-01-01" && prepared.data.asOf.description == "2025-12-31")
    }
}
