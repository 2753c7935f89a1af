import Foundation
import Testing

/// Issue 5, hostile values: a text cell that a spreadsheet would evaluate is written with a
/// leading `'` in every CSV output (OWASP's CSV-injection advice) — analysis tables and rejects.
@Suite struct HostileValueTests {
    @Test func formulaCellsAreDefusedInTablesAndRejects() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("data/users.csv", """
            user_id,signup_at,channel
            u1,2025-01-01,=HYPERLINK("http://x")
            u2,2025-01-02,@SUM(1)
            =cmd|' /C calc'!A0,not-a-date,+x
            u3,2025-01-03,-2
            u4,2025-01-04,-x

            """)
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount\no1,u1,2025-01-10,-12.50\n")
        let result = try ws.run("run", "pipelines/shop.json", "--output", "out")
        #expect(result.status == 3)   // 1 reject in 5 users is over the default gate; .failed holds the rejects
        let rejects = try #require(ws.read("out.failed/rejects/users.csv"))
        #expect(rejects == """
            file,line,reason,user_id,signup_at,channel
            ../data/users.csv,4,bad_timestamp:signup_at,'=cmd|' /C calc'!A0,not-a-date,'+x

            """)

        ws.write("pipelines/lenient.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" } },
              "cleaning": { "max_reject_rate": 1 } }
            """)
        let ok = try ws.run("run", "pipelines/lenient.json", "--output", "out")
        #expect(ok.status == 0, "\(ok.stderr)")
        let roi = try #require(ws.read("out/channel_roi.csv")).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false)[0] }
        // Channel names are lower-cased; `-2` starts with `-` and a digit, so it is left alone; money stays a plain `-12.50`.
        #expect(Set(roi).isSuperset(of: ["\"'=hyperlink(\"\"http://x\"\")\"", "'@sum(1)", "-2", "'-x"]))
        #expect(ws.read("out/channel_roi.csv")?.contains("'-x,0.00,,,1,0,0.00,") == true)
    }
}
