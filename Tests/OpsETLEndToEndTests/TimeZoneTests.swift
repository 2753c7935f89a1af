import Foundation
import Testing

/// SPEC §9 "Time zones" through the CLI: abbreviations and `GMT±N` are exit 2 naming what to
/// write (at the JSON path `timezone`), fixed offsets are zones and move local dates.
@Suite struct TimeZoneTests {
    static func shop(timezone: String, signup: String = "2025-01-01T20:00:00Z") -> Workspace {
        let ws = Workspace()
        ws.write("data/users.csv", "user_id,signup_at\nu1,\(signup)\n")
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount\no1,u1,\(signup),5\n")
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop", "timezone": "\(timezone)",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" } },
              "retention": { "period": "day", "periods": 1 },
              "output": { "dir": "../reports/{name}" } }
            """)
        return ws
    }

    @Test(arguments: [
        ("CST", #"opsetl: error: pipelines/shop.json: timezone: "CST" is a time-zone abbreviation, not a time zone: it may mean "Asia/Shanghai" or "America/Chicago"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
        ("EST", #"opsetl: error: pipelines/shop.json: timezone: "EST" is a time-zone abbreviation, not a time zone: it may mean "America/New_York"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
        ("IST", #"opsetl: error: pipelines/shop.json: timezone: "IST" is a time-zone abbreviation, not a time zone: it may mean "Asia/Kolkata", "Europe/Dublin" or "Asia/Jerusalem"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
        ("GMT+8", #"opsetl: error: pipelines/shop.json: timezone: "GMT+8" is not accepted: the sign of GMT offsets is reversed in IANA names (Etc/GMT+8 is 8 hours behind UTC); write "UTC+8" for 8 hours ahead of UTC"#),
        ("UTC+15", #"opsetl: error: pipelines/shop.json: timezone: "UTC+15" is not a UTC offset; expected UTC+8, UTC+08:00 or UTC-05:30 (from UTC-12:00 to UTC+14:00), or an IANA name such as Asia/Shanghai"#),
    ])
    func refusedZonesAreExit2(_ zone: String, _ message: String) throws {
        let ws = Self.shop(timezone: zone)
        for command in ["run", "validate"] {
            let result = try ws.run(command, "pipelines/shop.json")
            #expect(result.status == 2)
            #expect(result.stderr == message + "\n")
        }
        #expect(!ws.exists("reports"))
    }

    /// 2025-01-01T20:00Z is 2025-01-02 04:00 at UTC+8 (the same as Asia/Shanghai), and
    /// 2025-01-01T03:00Z is 2024-12-31 21:30 at UTC-05:30: the day cohort follows the local date.
    @Test(arguments: [("UTC+8", "2025-01-01T20:00:00Z", "2025-01-02"), ("UTC+08:00", "2025-01-01T20:00:00Z", "2025-01-02"),
                      ("Asia/Shanghai", "2025-01-01T20:00:00Z", "2025-01-02"), ("UTC", "2025-01-01T20:00:00Z", "2025-01-01"),
                      ("UTC-05:30", "2025-01-01T03:00:00Z", "2024-12-31")])
    func fixedOffsetsMoveLocalDates(_ zone: String, _ signup: String, _ cohort: String) throws {
        let ws = Self.shop(timezone: zone, signup: signup)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("reports/shop/cohort_retention.csv") == """
            cohort,cohort_size,period,active_users,retention_rate,revenue,partial
            \(cohort),1,0,1,1.000000,5.00,false

            """)
        #expect(ws.read("reports/shop/summary.json")?.contains(#""timezone": "\#(zone)""#) == true)
    }
}
