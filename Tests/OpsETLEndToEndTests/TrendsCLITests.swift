import Foundation
import Testing

/// The built binary on time-bound targets (SPEC §6, §8): an invalid combination stops the run
/// before any data is read, with exit 2 and one line naming the file and the JSON path; a valid
/// one writes the trends tables.
@Suite struct TrendsCLITests {
    @Test func relativeTargetWithoutStartIsExit2OnOneLine() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/goal.json", """
            { "version": 1, "inputs": { "users": { "path": "../data/users.csv" },
              "sales": { "path": "../data/sales.csv" }, "channels": { "path": "../data/channels.csv" } },
              "targets": [ { "metric": "trend.signups", "increase_by_rate": 0.3, "by": "2025-08-31" } ] }
            """)
        let result = try ws.run("run", "pipelines/goal.json")
        #expect(result.status == 2)
        #expect(result.stderr == #"opsetl: error: pipelines/goal.json: targets[0].increase_by_rate: needs "start""# + "\n", "\(result.stderr)")
        #expect(!ws.exists("reports"))
    }

    @Test func aRunWritesTheTrendTables() throws {
        let ws = Workspace()
        ws.writeShop()
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        let out = "reports/shop-2025-01-31/"
        #expect(ws.read(out + "trends.csv")?.hasPrefix("segment,period,partial,signups,total_users,active_users,paying_users,new_paying_users,orders,revenue,spend,aov,arppu,roas,stickiness\n") == true)
        #expect(ws.read(out + "kpi_changes.csv")?.hasPrefix("segment,metric,period,value,previous_period,previous_value,change,change_rate,year_ago_period,year_ago_value,year_ago_change_rate\n") == true)
        #expect(ws.read(out + "user_lifecycle.csv")?.hasPrefix("period,partial,new,returning,resurrecting,dormant\n") == true)
        #expect(ws.read(out + "summary.json")?.contains("\"trend.signups\": ") == true)
    }
}
