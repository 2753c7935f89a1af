import Foundation
import Testing

/// Runs the committed sample pipeline end to end and checks its numbers against figures
/// derived independently from the generator's own records (`scripts/make_sample_data.py --check`,
/// listed in sample-data/README.md), not against opsetl's own output.
@Suite struct SamplePipelineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func sampleRunMatchesIndependentlyComputedFigures() throws {
        let ws = Workspace()
        let result = try ws.run("run", Self.root.appendingPathComponent("pipelines/sample.json").path, "--output", "out")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("out/data_quality.csv") == """
            input,rows_read,rows_kept,rejected,duplicates,after_as_of,excluded_status,unknown_user_ignored,reject_rate
            users,3102,3088,7,5,2,0,0,0.002257
            sales,8865,7765,16,224,344,516,0,0.001805
            channels,1993,1967,4,2,20,0,0,0.002007
            events,52324,52297,13,11,3,0,0,0.000248

            """)
        let summary = try #require(ws.read("out/summary.json"))
        for (metric, value) in [("retention.p1", "0.332754"), ("retention.p8", "0.098060"), ("funnel.conversion", "0.299016"),
                                ("roi.total", "2.144468"), ("roas.google", "5.933580"), ("roas.total_paid", "3.720739"),
                                ("roi.tiktok", "-0.370014"), ("cac.total", "123.12")] {
            #expect(summary.contains("\"\(metric)\": \(value)"), "\(metric)")
        }
        let funnel = try #require(ws.read("out/funnel.csv")).split(separator: "\n")
        #expect(funnel[0] == "segment,step,name,users,conversion_from_previous,conversion_from_first,drop_off,median_seconds_from_previous")
        #expect(funnel.filter { $0.hasPrefix("all,") }.map { $0.split(separator: ",")[3] } == ["3050", "2811", "2071", "1558", "912"])
        #expect(funnel.contains { $0.hasPrefix("tiktok,5,purchase,28,0.282828,0.036697,") })
        let roi = try #require(ws.read("out/channel_roi.csv")).split(separator: "\n")
        #expect(roi[0] == "channel,spend,impressions,clicks,signups,paying_users,revenue,gross_profit,roi,roas,cpa,cac,arpu,ctr,signup_rate,pay_rate")
        #expect(roi.map { $0.split(separator: ",")[0] } == ["channel", "facebook", "google", "tiktok", "wechat", "email", "organic", "unknown", "total", "total_paid"])
        #expect(ws.read("out/cohort_retention.csv")?.hasPrefix("cohort,cohort_size,period,active_users,retention_rate,revenue,partial\n") == true)
        #expect(ws.read("out/cohort_retention_matrix.csv")?.hasPrefix("cohort,cohort_size,p0,p1,p2,p3,p4,p5,p6,p7,p8\n") == true)
    }

    @Test func formatsChooseTheTablesButQualityIsAlwaysWritten() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/json-only.json", """
            { "version": 1, "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" } },
              "output": { "dir": "../out", "formats": ["json"] } }
            """)
        let result = try ws.run("run", "pipelines/json-only.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.exists("out/summary.json"))
        #expect(ws.exists("out/data_quality.csv"))
        #expect(ws.exists("out/rejects/users.csv"))
        #expect(!ws.exists("out/channel_roi.csv"))
        #expect(!ws.exists("out/funnel.csv"))
    }

    @Test func aRerunReplacesTheWholeFolderAtomically() throws {
        let ws = Workspace()
        ws.writeShop()
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        ws.write("reports/shop-2025-01-31/stale.txt", "from an older run")
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        #expect(!ws.exists("reports/shop-2025-01-31/stale.txt"))
        #expect(ws.exists("reports/shop-2025-01-31/channel_roi.csv"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.url.appendingPathComponent("reports").path)
        #expect(leftovers.sorted() == [".shop-2025-01-31.lock", "shop-2025-01-31"])   // the hidden run lock stays (OutputLock)
    }
}
