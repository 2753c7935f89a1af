import Foundation
import Testing

/// The CLI contract of SPEC §8: exit codes 0/1/2/3, one-line errors naming the file and
/// JSON path, `validate` writing nothing, `inspect` output, flags overriding the pipeline.
@Suite struct CLITests {
    @Test func runSucceedsFromAnyDirectoryAndWritesQualityOutputs() throws {
        let ws = Workspace()
        ws.writeShop()
        // Run from a sub-folder: paths resolve against the pipeline file, not the working directory.
        let result = try CLI.run(["run", "pipelines/shop.json"], in: ws.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("reports/shop-2025-01-31/data_quality.csv") == """
            input,rows_read,rows_kept,rejected,duplicates,after_as_of,excluded_status,unknown_user_ignored,reject_rate
            users,20,20,0,0,0,0,0,0.000000
            sales,2,2,0,0,0,0,0,0.000000
            channels,1,1,0,0,0,0,0,0.000000

            """)
        let summary = try #require(ws.read("reports/shop-2025-01-31/summary.json"))
        #expect(summary.contains(#""since": "2025-01-01""#))
        #expect(summary.contains(#""as_of": "2025-01-31""#))
        // Size and SHA-256 of the sales file as written above (checked with `sha256sum`).
        let compact = summary.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
        #expect(compact.contains(#""path":"../data/sales.csv","bytes":98,"sha256":"08cd355db467239ac30700dcbf22bd3547ead1e851454d20c832c6e8e8829689""#))
        // Not a terminal and not --verbose: nothing on stderr for a clean run.
        #expect(result.stderr.isEmpty)
    }

    @Test func asOfAndOutputFlagsOverrideThePipeline() throws {
        let ws = Workspace()
        ws.writeShop()
        let result = try ws.run("run", "pipelines/shop.json", "--as-of", "2025-01-10", "--output", "custom/{as_of}")
        #expect(result.status == 0, "\(result.stderr)")
        // Users signing up after 2025-01-10 are after_as_of; so is o2 (01-11). o1's user u5 is kept.
        #expect(ws.read("custom/2025-01-10/data_quality.csv")?.contains("users,20,10,0,0,10,0,0,0.000000") == true)
        #expect(ws.read("custom/2025-01-10/data_quality.csv")?.contains("sales,2,1,0,0,1,0,0,0.000000") == true)
    }

    @Test func qualityGateFailsWithExit3AndLeavesThePreviousReport() throws {
        let ws = Workspace()
        ws.writeShop(userRejects: 1)   // 1/20 = 0.05: not strictly greater than 0.05, passes
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        let before = ws.read("reports/shop-2025-01-31/data_quality.csv")
        #expect(before?.contains("users,20,19,1,") == true)

        ws.writeShop(userRejects: 2)   // 2/20 = 0.10 > 0.05: the gate fails
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 3)
        // SPEC §5: a first line, then one line per failing input naming the condition and an example.
        #expect(result.stderr == """
            opsetl: error: quality gate failed for users; the previous report is left untouched, data_quality.csv and \
            rejects/ are in \(ws.url.path)/reports/shop-2025-01-31.failed
            opsetl: error: users: 2 of 20 rows rejected (0.1000), above cleaning.max_reject_rate 0.05; most often \
            bad_timestamp:signup_at (2), e.g. "not-a-date" at line 2: not a timestamp form opsetl reads; inputs.users.timestamp_formats can describe it

            """)
        #expect(ws.read("reports/shop-2025-01-31/data_quality.csv") == before)
        #expect(ws.read("reports/shop-2025-01-31.failed/data_quality.csv")?.contains("users,20,18,2,0,0,0,0,0.100000") == true)
        #expect(ws.read("reports/shop-2025-01-31.failed/rejects/users.csv")?.contains("data/users.csv,3,bad_timestamp:signup_at,u2,not-a-date,organic") == true)
        #expect(!ws.exists("reports/shop-2025-01-31.failed/summary.json"))
    }

    @Test func pipelineErrorsAreExit2WithTheJSONPath() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/bad.json", """
            { "version": 1, "inputs": { "users": { "path": "../data/users.csv" },
              "sales": { "path": "../data/sales.csv", "columns": { "amount": 5 } },
              "channels": { "path": "../data/channels.csv" } } }
            """)
        let result = try ws.run("run", "pipelines/bad.json")
        #expect(result.status == 2)
        #expect(result.stderr.contains("inputs.sales.columns.amount"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!ws.exists("reports"))
    }

    @Test func missingRequiredColumnIsExit2NamingFileColumnAndHeaders() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("data/sales.csv", "order_id,user_id,ordered_at,total\no1,u1,2025-01-10,5\n")
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 2)
        #expect(result.stderr == #"opsetl: error: ../data/sales.csv: required column "amount" not found; headers found: "order_id", "user_id", "ordered_at", "total" (map it with inputs.sales.columns.amount)"# + "\n")
    }

    @Test func runtimeErrorsAreExit1() throws {
        let ws = Workspace()
        ws.writeShop()
        try FileManager.default.removeItem(at: ws.url.appendingPathComponent("data/channels.csv"))
        var result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("../data/channels.csv: cannot open"))

        ws.writeShop()
        try Data([0x64, 0x61, 0x74, 0x65, 0x2C, 0xFF, 0x0A]).write(to: ws.url.appendingPathComponent("data/channels.csv"))
        result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("not UTF-8 text (invalid byte sequence at byte offset 5)"))
    }

    @Test func globMatchingNothingIsExit1() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/glob.json", """
            { "version": 1, "inputs": { "users": { "path": "../data/users.csv" },
              "sales": { "path": "../data/sales_*.csv" }, "channels": { "path": "../data/channels.csv" } } }
            """)
        let result = try ws.run("run", "pipelines/glob.json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("inputs.sales.path matches no file"))
    }

    @Test func globFilesMustShareOneHeader() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("data/sales_1.csv", "order_id,user_id,ordered_at,amount\no1,u1,2025-01-10,5\n")
        ws.write("data/sales_2.csv", "order_id,user_id,ordered_at,amount,status\no2,u1,2025-01-10,5,paid\n")
        ws.write("pipelines/glob.json", """
            { "version": 1, "inputs": { "users": { "path": "../data/users.csv" },
              "sales": { "path": "../data/sales_*.csv" }, "channels": { "path": "../data/channels.csv" } } }
            """)
        let result = try ws.run("run", "pipelines/glob.json")
        #expect(result.status == 2)
        #expect(result.stderr.contains("../data/sales_2.csv: header differs from ../data/sales_1.csv"))
    }

    @Test func usageErrorsAreExit2() throws {
        let ws = Workspace()
        #expect(try ws.run("run").status == 2)
        #expect(try ws.run("frobnicate").status == 2)
        let bad = try ws.run("run", "x.json", "--as-of", "2025-13-01")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--as-of must be a date like 2025-06-30"))
        let missing = try ws.run("run", "nope.json")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.json: cannot read pipeline file"))
    }

    @Test func validateChecksHeadersAndWritesNothing() throws {
        let ws = Workspace()
        ws.writeShop()
        let ok = try ws.run("validate", "pipelines/shop.json")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains(#"sales: ../data/sales.csv: 5 columns; order_id←"order_id", user_id←"user_id", ordered_at←"ordered_at", amount←"amount", status←"status""#))
        #expect(ok.stdout.contains("ok: pipelines/shop.json is valid (3 input file(s) checked)"))
        #expect(!ws.exists("reports"))

        ws.write("data/users.csv", "id,signup_at\n")
        let bad = try ws.run("validate", "pipelines/shop.json")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(#"required column "user_id" not found"#))
    }

    @Test func inspectShowsDialectHeaderCountAndPreview() throws {
        let ws = Workspace()
        ws.write("x.csv", "\u{FEFF}id;name\r\n1;\"Ann; B\"\r\n2;Bo\r\n3\r\n")
        let result = try ws.run("inspect", "x.csv", "--rows", "2")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            file:        x.csv
            size:        33 bytes
            encoding:    UTF-8 with byte-order mark
            line ends:   CRLF
            delimiter:   ";" (guessed)
            columns:     2: id, name
            rows:        3 data rows (1 with a field count unlike the header's)

            id | name
            ---+-------
            1  | Ann; B
            2  | Bo

            """)
    }
}
