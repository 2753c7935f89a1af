import Foundation
import Testing

/// SPEC §8: `opsetl validate PIPELINE --data` reads every row as a run would and prints the ledger
/// of each input, the gate's verdict and every warning, writing nothing; exit codes as `run`.
@Suite struct ValidateDataTests {
    static let headerLines = """
        users: ../data/users.csv: 3 columns; user_id←"user_id", signup_at←"signup_at", channel←"channel"
        sales: ../data/sales.csv: 5 columns; order_id←"order_id", user_id←"user_id", ordered_at←"ordered_at", amount←"amount", status←"status"
        channels: ../data/channels.csv: 3 columns; date←"date", channel←"channel", spend←"spend"

        """

    static func ledger(users: (read: Int, kept: Int, rejected: Int, rate: String)) -> String {
        func cell(_ n: Int, _ width: Int) -> String { String(n).padding(toLength: width, withPad: " ", startingAt: 0) }
        return """
            input    | rows_read | rows_kept | rejected | duplicates | after_as_of | excluded_status | unknown_user_ignored | reject_rate
            ---------+-----------+-----------+----------+------------+-------------+-----------------+----------------------+------------
            users    | \(cell(users.read, 9)) | \(cell(users.kept, 9)) | \(cell(users.rejected, 8)) | 0          | 0           | 0               | 0                    | \(users.rate)
            sales    | 2         | 2         | 0        | 0          | 0           | 0               | 0                    | 0.000000
            channels | 1         | 1         | 0        | 0          | 0           | 0               | 0                    | 0.000000

            """
    }

    @Test func aGoodShopPassesAndNothingIsWritten() throws {
        let ws = Workspace()
        ws.writeShop()
        let result = try ws.run("validate", "pipelines/shop.json", "--data")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == Self.headerLines + "\n" + Self.ledger(users: (20, 20, 0, "0.000000")) + """

            warnings: none
            quality gate: passed
            ok: pipelines/shop.json is valid and its data passes the quality gate (2025-01-01 … 2025-01-31; nothing written)

            """)
        // Nothing written: no report, no .failed, no lock file.
        #expect(ws.listing("") == ["data", "pipelines"])
    }

    @Test func aFailingGateIsExit3WithTheVerdictAndStillWritesNothing() throws {
        let ws = Workspace()
        ws.writeShop(userRejects: 2)   // 2 of 20 = 0.10 > 0.05
        let result = try ws.run("validate", "pipelines/shop.json", "--data")
        #expect(result.status == 3)
        #expect(result.stdout == Self.headerLines + "\n" + Self.ledger(users: (20, 18, 2, "0.100000")) + """

            warnings: none
            quality gate: failed
              users: 2 of 20 rows rejected (0.1000), above cleaning.max_reject_rate 0.05; most often bad_timestamp:signup_at (2), e.g. "not-a-date" at line 2: not a timestamp form opsetl reads; inputs.users.timestamp_formats can describe it

            """)
        #expect(result.stderr == "opsetl: error: quality gate failed for users; validate --data wrote nothing\n")
        #expect(ws.listing("") == ["data", "pipelines"])
    }

    @Test func warningsArePrintedAndDoNotChangeTheExitCode() throws {
        let ws = Workspace()
        ws.writeShop()
        let json = try #require(ws.read("pipelines/shop.json"))
        ws.write("pipelines/shop.json", json.replacingOccurrences(
            of: #""output""#, with: #""funnel": { "steps": ["signup", "purchses"] }, "targets": [ { "metric": "roas.facebok", "min": 2 } ], "output""#))
        let result = try ws.run("validate", "pipelines/shop.json", "--data")
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("""
            warning: unknown_event: funnel.steps[1]: no event in the data is named "purchses", so it matches nothing; did you mean "purchase"?
            warning: unknown_channel: targets[0].metric: "roas.facebok" names the channel "facebok", which no ROI row has, so the goal is no_data; did you mean "facebook"?
            quality gate: passed
            ok: pipelines/shop.json is valid and its data passes the quality gate (2025-01-01 … 2025-01-31; nothing written)

            """))
        // Warnings are on stdout here (the verdict's page), not repeated on stderr.
        #expect(result.stderr.isEmpty)
        #expect(ws.listing("") == ["data", "pipelines"])
    }

    @Test func withoutDataOnlyTheHeadersAreChecked() throws {
        let ws = Workspace()
        ws.writeShop(userRejects: 20)   // every row bad: only --data would notice
        let result = try ws.run("validate", "pipelines/shop.json")
        #expect(result.status == 0)
        #expect(result.stdout == Self.headerLines + "ok: pipelines/shop.json is valid (3 input file(s) checked)\n")
    }

    @Test func noValidRowIsExit3() throws {
        let ws = Workspace()
        QualityGateTests.writeAllRejected(ws, asOf: nil, dir: "../reports/{name}")
        let result = try ws.run("validate", "pipelines/shop.json", "--data")
        #expect(result.status == 3)
        #expect(result.stdout.hasSuffix("""
            warnings: none
            quality gate: failed
              users: 3 of 3 rows rejected, most often bad_timestamp:signup_at (2), e.g. "19970101" at line 2: not a timestamp form opsetl reads; add inputs.users.timestamp_formats: ["YYYYMMDD"]
              sales: 2 of 2 rows rejected, most often bad_timestamp:ordered_at (1), e.g. "19970103" at line 2: not a timestamp form opsetl reads; add inputs.sales.timestamp_formats: ["YYYYMMDD"]
              channels: 1 of 1 rows rejected, most often bad_timestamp:date (1), e.g. "19970101" at line 2: not a timestamp form opsetl reads; add inputs.channels.timestamp_formats: ["YYYYMMDD"]

            """))
        #expect(result.stderr == "opsetl: error: quality gate failed: no input has a valid row, so there is nothing to analyse; validate --data wrote nothing\n")
        #expect(ws.listing("") == ["data", "pipelines"])
    }
}
