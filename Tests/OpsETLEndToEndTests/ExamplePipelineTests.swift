import Foundation
import Testing

/// The example pipelines the README and docs/ show: `pipelines/nightly.json` (cron-ready, no
/// `as_of`) passes the gate, fails it for a night its exports do not reach, and each file in
/// `pipelines/mistakes/` gives the message the docs quote. Run from the repository root, so the
/// paths in the messages are those a user sees.
@Suite struct ExamplePipelineTests {
    static let root = SamplePipelineTests.root

    static func run(_ arguments: String...) throws -> CLIResult {
        try CLI.run(arguments, in: root)
    }

    @Test func theNightlyPipelineHasNoAsOfAndPassesTheGate() throws {
        let json = try String(contentsOf: Self.root.appendingPathComponent("pipelines/nightly.json"), encoding: .utf8)
        #expect(!json.contains(#""as_of""#))
        let result = try Self.run("validate", "pipelines/nightly.json", "--data")
        #expect(result.status == 0, "\(result.stderr)")
        // The latest date of the sample's exports (users signing up on 2025-07-05) is the night.
        #expect(result.stdout.hasSuffix("""
            warnings: none
            quality gate: passed
            ok: pipelines/nightly.json is valid and its data passes the quality gate (2025-01-01 … 2025-07-05; nothing written)

            """))
    }

    /// docs/data-quality.md: a night the exports do not reach fails on max_age_days (sales 2, spend 3).
    @Test func theNightlyPipelineRefusesStaleExports() throws {
        let ws = Workspace()
        let out = ws.url.appendingPathComponent("out").path
        let result = try Self.run("run", "pipelines/nightly.json", "--as-of", "2025-07-20", "--output", out)
        #expect(result.status == 3)
        #expect(result.stderr == """
            opsetl: error: quality gate failed for sales, channels; the previous report is left untouched, data_quality.csv and rejects/ are in \(out).failed
            opsetl: error: sales: the latest valid row is dated 2025-07-03, 17 days before as_of 2025-07-20, more than inputs.sales.max_age_days 2: a stale export?
            opsetl: error: channels: the latest valid row is dated 2025-07-02, 18 days before as_of 2025-07-20, more than inputs.channels.max_age_days 3: a stale export?

            """)
        #expect(ws.exists("out.failed/data_quality.csv") && !ws.exists("out"))
    }

    @Test(arguments: [
        ("pipelines/mistakes/typo.json",
         #"opsetl: error: pipelines/mistakes/typo.json: cleaning.unkown_users: unknown key (did you mean "unknown_users"?)"#),
        ("pipelines/mistakes/wrong-column.json",
         #"opsetl: error: ../../sample-data/sales_2024.csv: column "total" (inputs.sales.columns.amount) not found; headers found: "order_id", "user_id", "ordered_at", "amount", "status", "payment_method", "updated_at""#),
        ("pipelines/mistakes/abbreviated-zone.json",
         #"opsetl: error: pipelines/mistakes/abbreviated-zone.json: timezone: "CST" is a time-zone abbreviation, not a time zone: it may mean "Asia/Shanghai" or "America/Chicago"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
    ])
    func eachMistakeGivesTheDocumentedError(_ file: String, _ message: String) throws {
        let result = try Self.run("validate", file)
        #expect(result.status == 2)
        #expect(result.stderr == message + "\n")
    }

    @Test func misspeltNamesGiveTheDocumentedWarnings() throws {
        let result = try Self.run("validate", "pipelines/mistakes/misspelt-names.json", "--data")
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("""
            warning: unknown_event: funnel.steps[2]: no event in the data is named "add_to_card", so it matches nothing; did you mean "add_to_cart"?
            warning: unknown_event: retention.activity[0]: no event in the data is named "purchases", so it matches nothing; did you mean "purchase"?
            warning: unknown_channel: targets[0].metric: "roi.totl" names the channel "totl", which no ROI row has, so the goal is no_data; did you mean "total"?
            warning: unknown_channel: targets[1].metric: "roas.facebok" names the channel "facebok", which no ROI row has, so the goal is no_data; did you mean "facebook"?
            warning: unused_alias: cleaning.channel_aliases["TikTok Ads"]: no channel in the data is "tiktok ads", so the alias is never used; the names in the data are "email", "facebook", "google", "organic", "tiktok", "unknown", "wechat".
            quality gate: passed
            ok: pipelines/mistakes/misspelt-names.json is valid and its data passes the quality gate (2025-01-01 … 2025-06-30; nothing written)

            """))
    }
}
