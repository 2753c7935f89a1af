import Foundation
import Testing

/// SPEC §5 and §9: the quality gate's conditions through the CLI — `min_rows` (empty and
/// header-only exports of every kind), `max_age_days` (a stale export), no valid row at all
/// (with and without `--as-of`), exit 3 with one line per failing input, the previous report
/// untouched, `<dir>.failed` holding the quality table and the rejects, and removed again by the
/// next successful run.
@Suite struct QualityGateTests {
    static let headers: [String: String] = [
        "users": "user_id,signup_at,channel\n",
        "sales": "order_id,user_id,ordered_at,amount,status\n",
        "channels": "date,channel,spend\n",
        "events": "user_id,event,occurred_at\n",
    ]

    /// `writeShop()` plus an events file of 2 rows and a pipeline that reads it.
    static func shopWithEvents() -> Workspace {
        let ws = Workspace()
        ws.writeShop()
        ws.write("data/events.csv", "user_id,event,occurred_at\nu1,view_item,2025-01-02\nu2,view_item,2025-01-03\n")
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" }, "events": { "path": "../data/events.csv" } },
              "output": { "dir": "../reports/{name}-{as_of}" } }
            """)
        return ws
    }

    static func head(_ ws: Workspace, _ inputs: String) -> String {
        "opsetl: error: quality gate failed for \(inputs); the previous report is left untouched, data_quality.csv and "
            + "rejects/ are in \(ws.url.path)/reports/shop-2025-01-31.failed\n"
    }

    // Without users every sale's and event's user is unknown: they fail on their reject rate too, and no sale is kept.
    static let salesOfUnknownUsers = #"opsetl: error: sales: 2 of 2 rows rejected (1.0000), above cleaning.max_reject_rate 0.05; most often unknown_user (2), e.g. "u5" at line 2"# + "\n"
    static let noSaleKept = "opsetl: warning: no_purchases: sales: no sale was kept, so there is no purchase event; retention, the funnel and paying users count no purchase.\n"

    struct EmptyCase: CustomTestStringConvertible, Sendable {
        let kind: String
        let headerOnly: Bool
        var testDescription: String { "\(kind) \(headerOnly ? "header only" : "empty")" }
    }

    static let emptyCases = ["users", "sales", "channels", "events"].flatMap { k in [false, true].map { EmptyCase(kind: k, headerOnly: $0) } }

    @Test(arguments: emptyCases)
    func anEmptyOrHeaderOnlyInputFailsTheGate(_ c: EmptyCase) throws {
        let ws = Self.shopWithEvents()
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        let before = try #require(ws.report("reports/shop-2025-01-31"))

        ws.write("data/\(c.kind).csv", c.headerOnly ? Self.headers[c.kind]! : "")
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 3)
        let what = c.headerOnly ? "a header only" : "an empty file"
        let line = "opsetl: error: \(c.kind): 0 data rows read (\(what)), fewer than inputs.\(c.kind).min_rows 1: an empty or truncated export?\n"
        let expected = switch c.kind {
        case "users": Self.noSaleKept + Self.head(ws, "users, sales, events") + line + Self.salesOfUnknownUsers
            + #"opsetl: error: events: 2 of 2 rows rejected (1.0000), above cleaning.max_reject_rate 0.05; most often unknown_user (2), e.g. "u1" at line 2"# + "\n"
        case "sales": Self.noSaleKept + Self.head(ws, "sales") + line
        default: Self.head(ws, c.kind) + line
        }
        #expect(result.stderr == expected)
        // The previous report is untouched; the quality table and every input's rejects are beside it.
        #expect(ws.report("reports/shop-2025-01-31") == before)
        #expect(ws.exists("reports/shop-2025-01-31.failed/data_quality.csv"))
        #expect(!ws.exists("reports/shop-2025-01-31.failed/summary.json"))
        #expect(ws.listing("reports/shop-2025-01-31.failed/rejects") == ["channels.csv", "events.csv", "sales.csv", "users.csv"])
        let quality = try #require(ws.read("reports/shop-2025-01-31.failed/data_quality.csv"))
        #expect(quality.contains("\n\(c.kind),0,0,0,0,0,0,0,0.000000\n"))

        // SPEC §9: the next successful run removes <dir>.failed, so a monitor never reads it as new.
        ws.write("data/\(c.kind).csv", Self.headers[c.kind]! + (c.kind == "events" ? "u1,view_item,2025-01-02\n" : ""))
        if c.kind == "users" { ws.writeShop() }
        if c.kind == "sales" { ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount,status\no1,u5,2025-01-10,10.00,paid\n") }
        if c.kind == "channels" { ws.write("data/channels.csv", "date,channel,spend\n2025-01-01,facebook,100\n") }
        let again = try ws.run("run", "pipelines/shop.json")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!ws.exists("reports/shop-2025-01-31.failed"))
        #expect(ws.listing("reports").allSatisfy { !$0.contains("failed") })
    }

    @Test func minRowsCanAskForMore() throws {
        let ws = Workspace()
        ws.writeShop()
        let json = try #require(ws.read("pipelines/shop.json"))
        ws.write("pipelines/shop.json", json.replacingOccurrences(of: #""../data/sales.csv" }"#, with: #""../data/sales.csv", "min_rows": 3 }"#))
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 3)
        #expect(result.stderr == Self.head(ws, "sales")
            + "opsetl: error: sales: 2 data rows read, fewer than inputs.sales.min_rows 3: an empty or truncated export?\n")
        #expect(!ws.exists("reports/shop-2025-01-31"))
    }

    /// The channels file's only row is dated 2025-01-01: 30 days before as_of 2025-01-31.
    @Test(arguments: [(10, true), (29, true), (30, false)])
    func aStaleExportFailsTheGate(maxAge: Int, fails: Bool) throws {
        let ws = Workspace()
        ws.writeShop()
        let json = try #require(ws.read("pipelines/shop.json"))
        ws.write("pipelines/shop.json", json.replacingOccurrences(
            of: #""../data/channels.csv" }"#, with: #""../data/channels.csv", "max_age_days": \#(maxAge) }"#))
        let result = try ws.run("run", "pipelines/shop.json")
        if fails {
            #expect(result.status == 3)
            #expect(result.stderr == Self.head(ws, "channels")
                + "opsetl: error: channels: the latest valid row is dated 2025-01-01, 30 days before as_of 2025-01-31, "
                + "more than inputs.channels.max_age_days \(maxAge): a stale export?\n")
            #expect(ws.read("reports/shop-2025-01-31.failed/data_quality.csv")?.contains("channels,1,1,0,") == true)
        } else {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty)
        }
    }

    /// An input failing two conditions gets one line naming both.
    @Test func oneLinePerInputNamesEveryCondition() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("data/channels.csv", "date,channel,spend\n2025-01-01,facebook,100\n2025-01-02,google,x\n")
        let json = try #require(ws.read("pipelines/shop.json"))
        ws.write("pipelines/shop.json", json.replacingOccurrences(
            of: #""../data/channels.csv" }"#, with: #""../data/channels.csv", "max_age_days": 7 }"#))
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 3)
        #expect(result.stderr == Self.head(ws, "channels")
            + #"opsetl: error: channels: 1 of 2 rows rejected (0.5000), above cleaning.max_reject_rate 0.05; most often bad_number:spend (1), e.g. "x" at line 3: not an amount opsetl reads; "#
            + "the latest valid row is dated 2025-01-01, 30 days before as_of 2025-01-31, more than inputs.channels.max_age_days 7: a stale export?\n")
    }

    /// Every date written as `19970101`: nothing parses, so `since`/`as_of` cannot default. SPEC §5:
    /// a gate failure naming each input's most frequent reason with an example and its line.
    static func writeAllRejected(_ ws: Workspace, asOf: String?, dir: String) {
        ws.write("data/users.csv", "user_id,signup_at,channel\nu1,19970101,organic\nu2,19970102,organic\nu3,,organic\n")
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount\no1,u1,19970103,5\no2,u2,2025-01-02\n")
        ws.write("data/channels.csv", "date,channel,spend\n19970101,facebook,100\n")
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop"\(asOf.map { #", "as_of": "\#($0)""# } ?? ""),
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" } },
              "output": { "dir": "\(dir)" } }
            """)
    }

    static let allRejectedLines = """
        opsetl: error: users: 3 of 3 rows rejected, most often bad_timestamp:signup_at (2), e.g. "19970101" at line 2: not a timestamp form opsetl reads; add inputs.users.timestamp_formats: ["YYYYMMDD"]
        opsetl: error: sales: 2 of 2 rows rejected, most often bad_timestamp:ordered_at (1), e.g. "19970103" at line 2: not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: ["YYYYMMDD"]
        opsetl: error: channels: 1 of 1 rows rejected, most often bad_timestamp:date (1), e.g. "19970101" at line 2: not a timestamp form opsetl reads; add inputs.channels.timestamp_formats: ["YYYYMMDD"]

        """

    @Test(arguments: [[], ["--as-of", "2025-01-31"]])
    func allRowsRejectedIsAGateFailureNotARuntimeError(_ flags: [String]) throws {
        let ws = Workspace()
        Self.writeAllRejected(ws, asOf: nil, dir: "../reports/{name}")
        let result = try CLI.run(["run", "pipelines/shop.json"] + flags, in: ws.url)
        #expect(result.status == 3)
        #expect(result.stderr == "opsetl: error: quality gate failed: no input has a valid row, so there is nothing to analyse; "
            + "the previous report is left untouched, data_quality.csv and rejects/ are in \(ws.url.path)/reports/shop.failed\n"
            + Self.allRejectedLines)
        #expect(!result.stderr.contains("--as-of"))
        #expect(ws.read("reports/shop.failed/rejects/users.csv") == """
            file,line,reason,user_id,signup_at,channel
            ../data/users.csv,2,bad_timestamp:signup_at,u1,19970101,organic
            ../data/users.csv,3,bad_timestamp:signup_at,u2,19970102,organic
            ../data/users.csv,4,missing:signup_at,u3,,organic

            """)
        #expect(ws.read("reports/shop.failed/rejects/sales.csv")?.contains("../data/sales.csv,3,malformed_row,o2,u2,2025-01-02\n") == true)
        #expect(!ws.exists("reports/shop"))
    }

    /// With `{as_of}` in the folder and no `as_of` anywhere, the failure is filed under today's local date.
    @Test func withoutAsOfTheFailureIsFiledUnderToday() throws {
        let ws = Workspace()
        Self.writeAllRejected(ws, asOf: nil, dir: "../reports/{as_of}")
        func today() -> String {
            let f = DateFormatter()
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd"
            return f.string(from: Date())
        }
        let before = today()
        let result = try ws.run("run", "pipelines/shop.json")
        let after = today()
        #expect(result.status == 3)
        #expect(ws.exists("reports/\(before).failed/rejects/users.csv") || ws.exists("reports/\(after).failed/rejects/users.csv"))
    }

    /// A stated `as_of` names the folder and the message, and never asks for `--as-of`.
    @Test func allRowsRejectedWithAsOfInThePipeline() throws {
        let ws = Workspace()
        Self.writeAllRejected(ws, asOf: "2025-01-31", dir: "../reports/{name}-{as_of}")
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 3)
        #expect(result.stderr == "opsetl: error: quality gate failed: no input has a valid row, so there is nothing to analyse; "
            + "the previous report is left untouched, data_quality.csv and rejects/ are in \(ws.url.path)/reports/shop-2025-01-31.failed\n"
            + Self.allRejectedLines)
        #expect(ws.read("reports/shop-2025-01-31.failed/data_quality.csv") == """
            input,rows_read,rows_kept,rejected,duplicates,after_as_of,excluded_status,unknown_user_ignored,reject_rate
            users,3,0,3,0,0,0,0,1.000000
            sales,2,0,2,0,0,0,0,1.000000
            channels,1,0,1,0,0,0,0,1.000000

            """)
    }
}
