import Foundation
import Testing

/// Issue 11 §3, §7, §8 and issue 10 §2-3 through the CLI: `timestamp_formats`, `decimal_separator`,
/// `round_money`, values out of range, dates outside 1900–2199, the reject diagnosis in the gate's
/// line and the report's reject table, and the delimiter hint (SPEC §2, §3.1, §3.3, §5, §9).
@Suite struct ValueSettingsTests {
    /// Three users and three sales; `users`/`sales` lines and the pipeline's extra keys vary per test.
    static func shop(users: [String], sales: [String], usersKeys: String = "", salesKeys: String = "",
                     top: String = #", "as_of": "2025-01-31""#, cleaning: String = "") -> Workspace {
        let ws = Workspace()
        ws.write("data/users.csv", "user_id,signup_at,channel\n" + users.map { $0 + "\n" }.joined())
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,amount\n" + sales.map { $0 + "\n" }.joined())
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop"\(top),
              "inputs": { "users": { "path": "../data/users.csv"\(usersKeys) }, "sales": { "path": "../data/sales.csv"\(salesKeys) } },
              "cleaning": { "max_reject_rate": 0.05\(cleaning) },
              "output": { "dir": "../out" } }
            """)
        return ws
    }

    static let users = ["u1,2025-01-02,organic", "u2,2025-01-02,organic", "u3,2025-01-03,organic"]

    static func gateHead(_ ws: Workspace, _ inputs: String) -> String {
        "opsetl: error: quality gate failed for \(inputs); the previous report is left untouched, data_quality.csv and "
            + "rejects/ are in \(ws.url.path)/out.failed\n"
    }

    /// The `sales` row of data_quality.csv: input,rows_read,rows_kept,rejected,….
    static func salesQuality(_ ws: Workspace) -> String? {
        ws.read("out/data_quality.csv")?.split(separator: "\n").first { $0.hasPrefix("sales,") }.map(String.init)
    }

    // MARK: timestamp_formats

    /// The issue's four real-export forms, each read by its pattern: every row kept. The user
    /// `2025年1月2日 08:30` and the sale `20250102` both fall on 2025-01-02 in UTC, so the one cohort
    /// (week of 2024-12-30, Monday) has 3 users, and 3 sales of 10.00 each are its period-0 revenue.
    @Test func timestampFormatsReadTheIssuesExports() throws {
        let ws = Self.shop(users: ["u1,01/02/2025,organic", "u2,2025年1月2日 08:30,organic", "u3,2025.01.03,organic"],
                           sales: ["o1,u1,20250102,10", "o2,u2,2025.01.02,10", "o3,u3,2025-01-03,10"],
                           usersKeys: #", "timestamp_formats": ["MM/DD/YYYY", "YYYY年M月D日 HH:mm", "YYYY.MM.DD"]"#,
                           salesKeys: #", "timestamp_formats": ["YYYYMMDD", "YYYY.MM.DD"]"#)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.salesQuality(ws) == "sales,3,3,0,0,0,0,0,0.000000")
        #expect(ws.read("out/data_quality.csv")?.contains("\nusers,3,3,0,0,0,0,0,0.000000\n") == true)
        #expect(ws.read("out/cohort_retention.csv")?.contains("\n2024-12-30,3,0,3,1.000000,30.00,") == true)
    }

    @Test func aMalformedPatternIsExit2AtItsPath() throws {
        let ws = Self.shop(users: Self.users, sales: [], salesKeys: #", "timestamp_formats": ["MM/DD/YYYY", "YYY-MM-DD"]"#)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == #"opsetl: error: pipelines/shop.json: inputs.sales.timestamp_formats[1]: "YYY-MM-DD": "YYY" is not a token; the tokens are YYYY, MM, M, DD, D, HH, H, mm, ss, S to SSSSSSSSS (a fraction) and Z (an offset); other characters are literal"# + "\n")
        #expect(!ws.exists("out"))
    }

    /// Without a pattern the same export is rejected; the gate says which pattern reads it, and that
    /// 01/02/2025 reads either way (1 of 3 rows = 0.3333 > 0.05).
    @Test func theGateSaysWhichPatternWouldReadADate() throws {
        let ws = Self.shop(users: Self.users, sales: ["o1,u1,01/02/2025,10", "o2,u2,2025-01-02,10", "o3,u3,2025-01-03,10"])
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 3)
        #expect(result.stderr == Self.gateHead(ws, "sales")
            + #"opsetl: error: sales: 1 of 3 rows rejected (0.3333), above cleaning.max_reject_rate 0.05; most often bad_timestamp:ordered_at (1), e.g. "01/02/2025" at line 2: not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: ["MM/DD/YYYY"] (or ["DD/MM/YYYY"] if the day comes first: the value reads either way)"# + "\n")
    }

    // MARK: decimal_separator

    /// 1 234.50 + 1 234.50 − 12.50 = 2 456.50, every user in one cohort (2025-01-02 and -03 are in the
    /// week of 2024-12-30); with the `.` default the same file is 3 rejects, and the gate says why.
    @Test func decimalCommasWithDotAndSpaceGrouping() throws {
        let sales = [#"o1,u1,2025-01-02,"1.234,50""#, "o2,u2,2025-01-02,\"1\u{00A0}234,50\"", #"o3,u3,2025-01-03,"-12,5""#]
        let ws = Self.shop(users: Self.users, sales: sales, salesKeys: #", "decimal_separator": ",""#)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.salesQuality(ws) == "sales,3,3,0,0,0,0,0,0.000000")
        #expect(ws.read("out/cohort_retention.csv")?.contains("\n2024-12-30,3,0,2,0.666667,2456.50,") == true)

        let plain = Self.shop(users: Self.users, sales: sales)
        let rejected = try plain.run("run", "pipelines/shop.json")
        #expect(rejected.status == 3)
        // No sale is kept, so the no_purchases warning (SPEC §9) comes first.
        #expect(rejected.stderr == "opsetl: warning: no_purchases: sales: no sale was kept, so there is no purchase event; "
            + "retention, the funnel and paying users count no purchase.\n" + Self.gateHead(plain, "sales")
            + #"opsetl: error: sales: 3 of 3 rows rejected (1.0000), above cleaning.max_reject_rate 0.05; most often bad_number:amount (3), e.g. "1.234,50" at line 2: a decimal comma; inputs.sales.decimal_separator: "," reads it"# + "\n")
    }

    // MARK: round_money

    /// 1.4299 (4 decimals) is read either way; 1.429999948 (9) and 0.00005 (5) only with round_money:
    /// 1.4300 and 0.0001, so revenue is 1.4299 + 1.4300 + 0.0001 = 2.8600 → 2.86. Off: 2 of 3 rejected.
    @Test(arguments: [true, false])
    func roundMoney(_ on: Bool) throws {
        let ws = Self.shop(users: Self.users, sales: ["o1,u1,2025-01-02,1.4299", "o2,u2,2025-01-02,1.429999948", "o3,u3,2025-01-03,0.00005"],
                           cleaning: on ? #", "round_money": true"# : "")
        let result = try ws.run("run", "pipelines/shop.json")
        if on {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(ws.read("out/cohort_retention.csv")?.contains("\n2024-12-30,3,0,3,1.000000,2.86,") == true)
        } else {
            #expect(result.status == 3)
            #expect(result.stderr == Self.gateHead(ws, "sales")
                + #"opsetl: error: sales: 2 of 3 rows rejected (0.6667), above cleaning.max_reject_rate 0.05; most often bad_number:amount (2), e.g. "1.429999948" at line 3: more than 4 decimals; cleaning.round_money rounds it"# + "\n")
        }
    }

    // MARK: out of range

    /// SPEC §9: 922 337 203 685 477.5808 is one unit past Int64 in 1/10 000 units — a reject that says so.
    @Test func aSingleValueBeyond64BitsIsBadNumberOutOfRange() throws {
        let ws = Self.shop(users: Self.users, sales: ["o1,u1,2025-01-02,922337203685477.5808", "o2,u2,2025-01-02,922337203685477.5807"])
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 3)
        #expect(result.stderr == Self.gateHead(ws, "sales")
            + #"opsetl: error: sales: 1 of 2 rows rejected (0.5000), above cleaning.max_reject_rate 0.05; most often bad_number:amount (1), e.g. "922337203685477.5808" at line 2: out of range: beyond 64 bits in units of 1/10 000 (at most 922337203685477.5807)"# + "\n")
        #expect(ws.read("out.failed/rejects/sales.csv") == """
            file,line,reason,order_id,user_id,ordered_at,amount
            ../data/sales.csv,2,bad_number:amount,o1,u1,2025-01-02,922337203685477.5808

            """)
    }

    // MARK: the date range

    /// Go's zero time, Excel's day 0 and 2200-01-01 are rejects (SPEC §9); the rejects keep the raw values,
    /// and the report's table explains the most frequent one — in English and in Chinese.
    @Test(arguments: ["en", "zh"])
    func sentinelDatesAreRejectsAndTheReportSaysWhy(_ language: String) throws {
        let ws = Self.shop(users: Self.users + ["u4,0001-01-01T00:00:00Z,organic", "u5,1899-12-30,organic", "u6,2200-01-01,organic"],
                           sales: ["o1,u1,2025-01-02,10"], top: #", "as_of": "2025-01-31", "language": "\#(language)""#,
                           cleaning: "").replacingMaxRejectRate()
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("out/data_quality.csv")?.contains("\nusers,6,3,3,0,0,0,0,0.500000\n") == true)
        #expect(ws.read("out/rejects/users.csv") == """
            file,line,reason,user_id,signup_at,channel
            ../data/users.csv,5,bad_timestamp:signup_at,u4,0001-01-01T00:00:00Z,organic
            ../data/users.csv,6,bad_timestamp:signup_at,u5,1899-12-30,organic
            ../data/users.csv,7,bad_timestamp:signup_at,u6,2200-01-01,organic

            """)
        let md = try #require(ws.read("out/report.md"))
        if language == "en" {
            #expect(md.contains(#"| Users | unreadable date or time in signup\_at (bad\_timestamp:signup\_at) | 3 | "0001-01-01T00:00:00Z" at line 5: dated 0001-01-01, before 1900-01-01: a placeholder such as Go's zero time or Excel's day 0, not an event |"#), "\(md)")
        } else {
            #expect(md.contains(#"| 用户 | signup\_at 的日期时间无法识别 (bad\_timestamp:signup\_at) | 3 | "0001-01-01T00:00:00Z"（第 5 行）：日期为 0001-01-01，早于 1900-01-01：这是占位值（如 Go 的零时间或 Excel 的第 0 天），不是事件 |"#), "\(md)")
        }
        let html = try #require(ws.read("out/report.html"))
        #expect(html.contains(language == "en" ? "<th class=\"text\">Example / how to read it</th>" : "<th class=\"text\">示例 / 如何读取</th>"))
    }

    @Test(arguments: [
        ([#", "since": "1899-12-31""#], "opsetl: error: pipelines/shop.json: since: 1899-12-31 is before 1900-01-01, the first date opsetl reads; expected a date from 1900-01-01 to 2199-12-31\n"),
        ([#", "as_of": "2200-01-01""#], "opsetl: error: pipelines/shop.json: as_of: 2200-01-01 is after 2199-12-31, the last date opsetl reads; expected a date from 1900-01-01 to 2199-12-31\n"),
        ([#""#, "--as-of", "0001-01-01"], "--as-of 0001-01-01 is before 1900-01-01, the first date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"),
        ([#""#, "--as-of", "2200-01-01"], "--as-of 2200-01-01 is after 2199-12-31, the last date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"),
    ])
    func sinceAndAsOfOutsideTheRangeAreExit2(_ setup: [String], _ expected: String) throws {
        let ws = Self.shop(users: Self.users, sales: ["o1,u1,2025-01-02,10"], top: setup[0])
        let result = try CLI.run(["run", "pipelines/shop.json"] + setup.dropFirst(), in: ws.url)
        #expect(result.status == 2)
        if setup.count > 1 {
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        } else {
            #expect(result.stderr == expected)
        }
        #expect(!ws.exists("out"))
    }

    /// Issue 10 §3: `since 1900-01-01`, `as_of 2199-12-31`, daily retention and trends with 520 periods over
    /// 5 rows. Work follows the rows: the 2 cohorts that exist (2025-01-02 with u1, u2; 2025-01-03 with u3)
    /// get periods 0…520 each (2 × 521 cells), nothing for the 80 000 empty days; trends are the last 520
    /// days up to 2199-12-31 for the `all` segment and the one channel (2 × 520 rows), all zeros there.
    @Test func aTwoHundredYearRangeBuildsOnlyWhatExists() throws {
        let ws = Self.shop(users: Self.users, sales: ["o1,u1,2025-01-02,10", "o2,u3,2025-01-04,5"],
                           top: #", "since": "1900-01-01", "as_of": "2199-12-31", "retention": { "period": "day", "periods": 520 }, "trends": { "period": "day", "periods": 520 }"#)
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        let cells = try #require(ws.read("out/cohort_retention.csv")).split(separator: "\n").dropFirst()
        #expect(cells.count == 2 * 521)
        #expect(Set(cells.map { $0.prefix(10) }) == ["2025-01-02", "2025-01-03"])
        // u1's sale on day 0 of its cohort; u3's on day 1 of its own (2025-01-04 − 2025-01-03).
        #expect(cells.first == "2025-01-02,2,0,1,0.500000,10.00,false")   // partial: false, as_of is long after
        #expect(cells.contains("2025-01-03,1,1,1,1.000000,5.00,false"))
        let trends = try #require(ws.read("out/trends.csv")).split(separator: "\n").dropFirst()
        #expect(trends.count == 2 * 520)
        #expect(trends.allSatisfy { !$0.contains("2025-") })
    }

    // MARK: the delimiter hint

    @Test func aSemicolonFileGetsTheDelimiterHint() throws {
        let ws = Self.shop(users: Self.users, sales: [])
        ws.write("data/sales.csv", "order_id;user_id;ordered_at;amount\no1;u1;2025-01-02;10\n")
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == #"opsetl: error: ../data/sales.csv: required column "order_id" not found; headers found: "order_id;user_id;ordered_at;amount" (the header splits on ";" into the expected columns: set inputs.sales.delimiter to ";")"# + "\n")
    }
}

extension Workspace {
    /// The shop's pipeline with `max_reject_rate` 1, so a run with rejects still writes its report.
    func replacingMaxRejectRate() -> Workspace {
        let json = read("pipelines/shop.json")!
        write("pipelines/shop.json", json.replacingOccurrences(of: #""max_reject_rate": 0.05"#, with: #""max_reject_rate": 1"#))
        return self
    }
}
