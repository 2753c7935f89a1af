import Foundation
import Testing
@testable import OpsETL

/// Loading the pipeline file (SPEC §2): values, defaults, and one error line per fault
/// naming the file and the JSON path (SPEC §8, exit 2).
@Suite("Pipeline loading")
struct PipelineLoadingTests {
    static func decode(_ json: String, file: String = "pipelines/x.json") throws -> Pipeline {
        try Pipeline.decode(json: Data(json.utf8), filePath: file)
    }

    static func dec(_ text: String) -> Decimal { Decimal(string: text)! }

    // MARK: A full file

    static let full = #"""
    {
      "version": 1,
      "name": "sample-shop",
      "timezone": "Asia/Shanghai",
      "since": "2025-01-01",
      "as_of": "2025-06-30",
      "currency": "cny",
      "language": "zh",
      "inputs": {
        "users":    { "path": "../sample-data/users.csv",
                      "columns": { "user_id": "uid", "signup_at": "created_at", "channel": "utm_source", "country": "country" } },
        "sales":    { "path": "../sample-data/sales_*.csv", "delimiter": ";" },
        "channels": { "path": "/data/./exports/../channel_spend.csv", "delimiter": "\t" },
        "events":   { "path": "events.csv", "columns": { "event_id": "id" } }
      },
      "cleaning": {
        "channel_aliases": { "fb": "facebook", "Facebook Ads": "Facebook" },
        "exclude_statuses": [" Refunded ", "CANCELLED", "canceled", "failed", "refunded"],
        "unknown_users": "ignore",
        "max_reject_rate": 0.1
      },
      "retention": { "cohort_by": "first_purchase", "period": "month", "periods": 6, "week_start": "sunday",
                     "activity": ["purchase", " view_item "] },
      "funnel": { "steps": ["signup", "view_item", "add_to_cart", "purchase", "purchase"], "window_days": 7.5, "by_channel": false },
      "roi": { "revenue_window_days": 30, "gross_margin": 0.35 },
      "targets": [
        { "metric": "retention.p1", "min": 0.25, "label": "Month-1 retention" },
        { "metric": "roi.total", "min": 0.5 },
        { "metric": "cac.total", "max": 80 },
        { "metric": "funnel.step5", "min": 0.3 },
        { "metric": "roas.Facebook Ads", "min": 1.5 }
      ],
      "suggestions": { "min_spend_share": 0.1, "reallocate_fraction": 0.25 },
      "output": { "dir": "../reports/{name}/{as_of}", "formats": ["html", "csv", "html"] }
    }
    """#

    @Test func decodesAFullFile() throws {
        let p = try Self.decode(Self.full, file: "/srv/etl/pipelines/shop.json")
        #expect(p.filePath == "/srv/etl/pipelines/shop.json")
        #expect(p.baseDirectory == "/srv/etl/pipelines")
        #expect(p.version == 1)
        #expect(p.name == "sample-shop")
        #expect(p.timezone == "Asia/Shanghai")
        #expect(p.since == LocalDate(year: 2025, month: 1, day: 1))
        #expect(p.asOf == LocalDate(year: 2025, month: 6, day: 30))
        #expect(p.currency == "CNY")
        #expect(p.language == .zh)

        #expect(p.inputs.users.path == "../sample-data/users.csv")
        #expect(p.inputs.users.resolvedPath == "/srv/etl/sample-data/users.csv")
        #expect(p.inputs.users.columns == ["user_id": "uid", "signup_at": "created_at", "channel": "utm_source", "country": "country"])
        #expect(p.inputs.users.delimiter == UInt8(ascii: ","))
        #expect(p.inputs.sales.resolvedPath == "/srv/etl/sample-data/sales_*.csv")
        #expect(p.inputs.sales.columns.isEmpty)
        #expect(p.inputs.sales.delimiter == UInt8(ascii: ";"))
        #expect(p.inputs.channels?.resolvedPath == "/data/channel_spend.csv")
        #expect(p.inputs.channels?.delimiter == UInt8(ascii: "\t"))
        #expect(p.inputs.events?.resolvedPath == "/srv/etl/pipelines/events.csv")
        #expect(p.inputs.events?.columns == ["event_id": "id"])

        #expect(p.cleaning.channelAliases == ["fb": "facebook", "Facebook Ads": "Facebook"])
        #expect(p.cleaning.excludeStatuses == ["refunded", "cancelled", "canceled", "failed"])
        #expect(p.cleaning.unknownUsers == .ignore)
        #expect(p.cleaning.maxRejectRate == Self.dec("0.1"))

        #expect(p.retention.cohortBy == .firstPurchase)
        #expect(p.retention.period == .month)
        #expect(p.retention.periods == 6)
        #expect(p.retention.weekStart == .sunday)
        #expect(p.retention.activity == ["purchase", "view_item"])

        let funnel = try #require(p.funnel)
        #expect(funnel.steps == ["signup", "view_item", "add_to_cart", "purchase", "purchase"])
        #expect(funnel.windowDays == Self.dec("7.5"))
        #expect(funnel.byChannel == false)

        #expect(p.roi.revenueWindowDays == 30)
        #expect(p.roi.grossMargin == Self.dec("0.35"))

        #expect(p.targets.map(\.metric) == ["retention.p1", "roi.total", "cac.total", "funnel.step5", "roas.Facebook Ads"])
        #expect(p.targets.map(\.kind) == [.min, .min, .max, .min, .min])
        #expect(p.targets.map(\.value) == [Self.dec("0.25"), Self.dec("0.5"), 80, Self.dec("0.3"), Self.dec("1.5")])
        #expect(p.targets.map(\.label) == ["Month-1 retention", nil, nil, nil, nil])

        #expect(p.suggestions.minSpendShare == Self.dec("0.1"))
        #expect(p.suggestions.reallocateFraction == Self.dec("0.25"))

        #expect(p.output.dir == "/srv/etl/reports/{name}/{as_of}")
        #expect(p.output.formats == [.csv, .html])
    }

    // MARK: Defaults

    static let minimal = #"""
    {"version": 1, "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}, "channels": {"path": "c.csv"}}}
    """#

    @Test func aMinimalFileGetsEveryDefault() throws {
        let p = try Self.decode(Self.minimal, file: "pipelines/minimal.json")
        let cwd = FileManager.default.currentDirectoryPath
        let base = PipelinePaths.normalized(cwd + "/pipelines")
        #expect(p.filePath == base + "/minimal.json")
        #expect(p.baseDirectory == base)
        #expect(p.name == "minimal")
        #expect(p.timezone == "UTC")
        #expect(p.since == nil)
        #expect(p.asOf == nil)
        #expect(p.currency == "USD")
        #expect(p.language == .en)
        #expect(p.inputs.users.resolvedPath == base + "/u.csv")
        #expect(p.inputs.sales.resolvedPath == base + "/s.csv")
        #expect(p.inputs.channels?.resolvedPath == base + "/c.csv")
        #expect(p.inputs.events == nil)
        for spec in [p.inputs.users, p.inputs.sales, p.inputs.channels!] {
            #expect(spec.columns.isEmpty)
            #expect(spec.delimiter == UInt8(ascii: ","))
        }
        #expect(p.cleaning.channelAliases.isEmpty)
        #expect(p.cleaning.excludeStatuses == ["refunded", "cancelled", "canceled", "failed"])
        #expect(p.cleaning.unknownUsers == .reject)
        #expect(p.cleaning.maxRejectRate == Self.dec("0.05"))
        #expect(p.retention.cohortBy == .signup)
        #expect(p.retention.period == .week)
        #expect(p.retention.periods == 8)
        #expect(p.retention.weekStart == .monday)
        #expect(p.retention.activity == ["purchase"])
        #expect(p.funnel == nil)
        #expect(p.roi.revenueWindowDays == 90)
        #expect(p.roi.grossMargin == 1)
        #expect(p.targets.isEmpty)
        #expect(p.suggestions.minSpendShare == Self.dec("0.05"))
        #expect(p.suggestions.reallocateFraction == Self.dec("0.2"))
        #expect(p.output.dir == base + "/reports/{as_of}")
        #expect(p.output.formats == [.csv, .json, .md, .html])
    }

    @Test func funnelDefaultsApplyInsideAGivenSection() throws {
        let json = Self.minimal.replacingOccurrences(of: "{\"version\": 1,", with: #"{"version": 1, "funnel": {"steps": ["signup", "purchase"]},"#)
        let funnel = try #require(try Self.decode(json).funnel)
        #expect(funnel.steps == ["signup", "purchase"])
        #expect(funnel.windowDays == 14)
        #expect(funnel.byChannel == true)
    }

    @Test(arguments: [
        ("pipelines/shop.json", "shop"),
        ("shop.v2.json", "shop.v2"),
        ("/etc/opsetl/nightly", "nightly"),
        ("./.hidden", ".hidden"),
    ])
    func nameDefaultsToTheFileStem(_ file: String, _ name: String) throws {
        #expect(try Self.decode(Self.minimal, file: file).name == name)
    }

    // MARK: Exact numbers (SPEC §9: the quality gate compares exactly)

    @Test(arguments: [
        ("0.05", "5", -2), ("0.1", "1", -1), ("0.3", "3", -1), ("1e-3", "1", -3), ("1E-3", "1", -3),
        ("0.001", "1", -3), ("0.07", "7", -2), ("1", "1", 0), ("1.0", "1", 0), ("0", "0", 0),
        ("0.123456789012345678901", "123456789012345678901", -21), ("5e-1", "5", -1),
    ])
    func numbersAreExactDecimals(_ literal: String, _ digits: String, _ exponent: Int) throws {
        let significand = try #require(Decimal(string: digits))
        let json = Self.minimal.replacingOccurrences(of: "{\"version\": 1,",
                                                     with: "{\"version\": 1, \"cleaning\": {\"max_reject_rate\": \(literal)},")
        let value = try Self.decode(json).cleaning.maxRejectRate
        #expect(value == Decimal(sign: .plus, exponent: exponent, significand: significand))
    }

    @Test func exactDecimalsCompareAsWritten() throws {
        let json = Self.minimal.replacingOccurrences(of: "{\"version\": 1,",
                                                     with: #"{"version": 1, "cleaning": {"max_reject_rate": 0.3}, "suggestions": {"min_spend_share": 0.1, "reallocate_fraction": 0.2},"#)
        let p = try Self.decode(json)
        // 0.1 + 0.2 == 0.3 holds for decimals, never for binary doubles.
        #expect(p.suggestions.minSpendShare + p.suggestions.reallocateFraction == p.cleaning.maxRejectRate)
        #expect("\(p.cleaning.maxRejectRate)" == "0.3")
    }

    // MARK: Bad files

    struct Bad: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        /// The JSON path the message must name, right after the file.
        var path: String
        /// A part of the message after the path.
        var says: String
        var testDescription: String { name }
    }

    /// A valid file with `extra` top-level members added (and `inputs` replaced when given).
    static func file(_ extra: String = "", inputs: String? = nil) -> String {
        let inputs = inputs ?? #"{"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}, "channels": {"path": "c.csv"}}"#
        return "{\"version\": 1, \"inputs\": \(inputs)\(extra.isEmpty ? "" : ", " + extra)}"
    }

    static func sales(_ sales: String) -> String {
        #"{"users": {"path": "u.csv"}, "sales": "# + sales + #", "channels": {"path": "c.csv"}}"#
    }

    static let funnel5 = #""funnel": {"steps": ["a", "b", "c", "d", "e"]}"#

    static let badFiles: [Bad] = [
        Bad(name: "unknown top-level key", json: file(#""nmae": "x""#), path: "nmae", says: "unknown key (did you mean \"name\"?)"),
        Bad(name: "unknown key without a near match", json: file(#""zzz": 1"#), path: "zzz",
            says: "unknown key; expected one of version, name, timezone"),
        Bad(name: "unknown nested key", json: file(inputs: sales(#"{"path": "s.csv", "colums": {}}"#)),
            path: "inputs.sales.colums", says: "unknown key (did you mean \"columns\"?)"),
        Bad(name: "misspelt cleaning key", json: file(#""cleaning": {"unkown_users": "ignore"}"#),
            path: "cleaning.unkown_users", says: "unknown key (did you mean \"unknown_users\"?)"),
        Bad(name: "repeated key", json: file(#""name": "a", "name": "b""#), path: "name", says: "the key appears more than once"),
        Bad(name: "wrong type: number for a header", json: file(inputs: sales(#"{"path": "s.csv", "columns": {"amount": 5}}"#)),
            path: "inputs.sales.columns.amount", says: "expected a string, found a number"),
        Bad(name: "wrong type: bool for a number", json: file(#""roi": {"gross_margin": true}"#),
            path: "roi.gross_margin", says: "expected a number, found a boolean"),
        Bad(name: "wrong type: quoted number", json: file(#""cleaning": {"max_reject_rate": "0.05"}"#),
            path: "cleaning.max_reject_rate", says: "expected a number, found a string (write 0.05 without quotes)"),
        Bad(name: "wrong type: number for a bool", json: file(#""funnel": {"steps": ["a", "b"], "by_channel": 1}"#),
            path: "funnel.by_channel", says: "expected true or false, found a number"),
        Bad(name: "null instead of leaving the key out", json: file(#""since": null"#),
            path: "since", says: "expected a string, found null (leave the key out to use the default)"),
        Bad(name: "top level is not an object", json: "[1]", path: "(top level)", says: "expected an object, found an array"),
        Bad(name: "bad enum: retention.period", json: file(#""retention": {"period": "weekly"}"#),
            path: "retention.period", says: "\"weekly\" is not one of day, week, month (did you mean \"week\"?)"),
        Bad(name: "bad enum: language", json: file(#""language": "fr""#), path: "language", says: "\"fr\" is not one of en, zh"),
        Bad(name: "bad enum: week_start", json: file(#""retention": {"week_start": "Monday"}"#),
            path: "retention.week_start", says: "\"Monday\" is not one of monday, tuesday"),
        Bad(name: "bad enum: unknown_users", json: file(#""cleaning": {"unknown_users": "drop"}"#),
            path: "cleaning.unknown_users", says: "\"drop\" is not one of reject, ignore"),
        Bad(name: "bad enum: cohort_by", json: file(#""retention": {"cohort_by": "purchase"}"#),
            path: "retention.cohort_by", says: "is not one of signup, first_purchase"),
        Bad(name: "bad output format", json: file(#""output": {"formats": ["csv", "pdf"]}"#),
            path: "output.formats[1]", says: "\"pdf\" is not one of csv, json, md, html"),
        Bad(name: "no output formats", json: file(#""output": {"formats": []}"#),
            path: "output.formats", says: "expected at least one of csv, json, md, html"),
        Bad(name: "bad timezone", json: file(#""timezone": "Mars/Olympus""#),
            path: "timezone", says: "\"Mars/Olympus\" is not a known IANA time zone"),
        Bad(name: "timezone in the wrong case", json: file(#""timezone": "asia/shanghai""#),
            path: "timezone", says: "(did you mean \"Asia/Shanghai\"?)"),
        Bad(name: "bad date", json: file(#""as_of": "2025-02-30""#), path: "as_of", says: "\"2025-02-30\" is not a valid date; expected YYYY-MM-DD"),
        Bad(name: "date in another format", json: file(#""since": "2025/01/01""#), path: "since", says: "is not a valid date"),
        Bad(name: "since after as_of", json: file(#""since": "2025-07-01", "as_of": "2025-06-30""#),
            path: "since", says: "2025-07-01 is after as_of (2025-06-30)"),
        Bad(name: "currency not three letters", json: file(#""currency": "US$""#), path: "currency", says: "expected three letters"),
        Bad(name: "empty name", json: file(#""name": "  ""#), path: "name", says: "expected a non-empty string"),
        Bad(name: "two-character delimiter", json: file(inputs: sales(#"{"path": "s.csv", "delimiter": ";;"}"#)),
            path: "inputs.sales.delimiter", says: "\";;\" is not one ASCII character"),
        Bad(name: "non-ASCII delimiter", json: file(inputs: sales(#"{"path": "s.csv", "delimiter": "，"}"#)),
            path: "inputs.sales.delimiter", says: "is not one ASCII character"),
        Bad(name: "quote as delimiter", json: file(inputs: sales(#"{"path": "s.csv", "delimiter": "\""}"#)),
            path: "inputs.sales.delimiter", says: "it is the CSV quote character"),
        Bad(name: "newline as delimiter", json: file(inputs: sales(#"{"path": "s.csv", "delimiter": "\n"}"#)),
            path: "inputs.sales.delimiter", says: "\"\\n\" cannot be the delimiter: it ends a line"),
        Bad(name: "non-canonical column key", json: file(inputs: sales(#"{"path": "s.csv", "columns": {"total": "amount"}}"#)),
            path: "inputs.sales.columns.total",
            says: "\"total\" is not a sales column; the sales columns are order_id, user_id, ordered_at, amount, status, updated_at"),
        Bad(name: "column of another input", json: file(inputs: sales(#"{"path": "s.csv", "columns": {"signup_at": "x"}}"#)),
            path: "inputs.sales.columns.signup_at", says: "is not a sales column"),
        Bad(name: "empty header name", json: file(inputs: sales(#"{"path": "s.csv", "columns": {"amount": ""}}"#)),
            path: "inputs.sales.columns.amount", says: "expected the non-empty header name of the amount column"),
        Bad(name: "empty input path", json: file(inputs: sales(#"{"path": ""}"#)), path: "inputs.sales.path", says: "expected a non-empty path"),
        Bad(name: "input without a path", json: file(inputs: sales(#"{"delimiter": ";"}"#)), path: "inputs.sales.path", says: "missing; expected"),
        Bad(name: "version 2", json: #"{"version": 2, "inputs": {}, "future_key": 1}"#,
            path: "version", says: "2 is not supported; this opsetl reads version 1"),
        Bad(name: "version as a string", json: #"{"version": "1"}"#, path: "version", says: "expected a number, found a string"),
        Bad(name: "missing version", json: #"{"inputs": {}}"#, path: "version", says: "missing; expected 1"),
        Bad(name: "missing inputs", json: #"{"version": 1}"#, path: "inputs", says: "missing; expected an object with users and sales (channels and events are optional)"),
        Bad(name: "missing inputs.users", json: file(inputs: #"{"sales": {"path": "s.csv"}, "channels": {"path": "c.csv"}}"#),
            path: "inputs.users", says: "missing; expected an object with the \"path\" of the users file(s)"),
        Bad(name: "unknown input", json: file(inputs: #"{"users": {"path": "u"}, "sales": {"path": "s"}, "channels": {"path": "c"}, "orders": {"path": "o"}}"#),
            path: "inputs.orders", says: "unknown key; expected one of users, sales, channels, events"),
        Bad(name: "alias to an empty name", json: file(#""cleaning": {"channel_aliases": {"Facebook Ads": " "}}"#),
            path: "cleaning.channel_aliases[\"Facebook Ads\"]", says: "expected a non-empty string"),
        Bad(name: "alias with an empty key", json: file(#""cleaning": {"channel_aliases": {"": "facebook"}}"#),
            path: "cleaning.channel_aliases[\"\"]", says: "an alias needs a non-empty channel name as its key"),
        Bad(name: "aliases not an object", json: file(#""cleaning": {"channel_aliases": [["fb", "facebook"]]}"#),
            path: "cleaning.channel_aliases", says: "expected an object, found an array"),
        Bad(name: "status not a string", json: file(#""cleaning": {"exclude_statuses": ["refunded", 3]}"#),
            path: "cleaning.exclude_statuses[1]", says: "expected a string, found a number"),
        Bad(name: "empty status", json: file(#""cleaning": {"exclude_statuses": ["refunded", ""]}"#),
            path: "cleaning.exclude_statuses[1]", says: "expected a non-empty string"),
        Bad(name: "max_reject_rate above 1", json: file(#""cleaning": {"max_reject_rate": 5}"#),
            path: "cleaning.max_reject_rate", says: "5 is out of range; expected a share from 0 to 1"),
        Bad(name: "negative gross margin", json: file(#""roi": {"gross_margin": -0.1}"#),
            path: "roi.gross_margin", says: "-0.1 is out of range"),
        Bad(name: "negative revenue window", json: file(#""roi": {"revenue_window_days": -1}"#),
            path: "roi.revenue_window_days", says: "-1 is out of range"),
        Bad(name: "fractional periods", json: file(#""retention": {"periods": 8.5}"#),
            path: "retention.periods", says: "expected a whole number, found 8.5"),
        Bad(name: "too many periods", json: file(#""retention": {"periods": 1000}"#),
            path: "retention.periods", says: "1000 is out of range; expected a whole number from 0 to 520"),
        Bad(name: "empty activity", json: file(#""retention": {"activity": []}"#),
            path: "retention.activity", says: "expected at least one event name, found an empty array"),
        Bad(name: "one funnel step", json: file(#""funnel": {"steps": ["signup"]}"#),
            path: "funnel.steps", says: "expected at least 2 steps, found 1"),
        Bad(name: "funnel without steps", json: file(#""funnel": {"window_days": 3}"#), path: "funnel.steps", says: "missing"),
        Bad(name: "blank funnel step", json: file(#""funnel": {"steps": ["signup", " "]}"#),
            path: "funnel.steps[1]", says: "expected a non-empty string"),
        Bad(name: "zero funnel window", json: file(#""funnel": {"steps": ["a", "b"], "window_days": 0}"#),
            path: "funnel.window_days", says: "0 is out of range; expected a number of days greater than 0"),
        Bad(name: "reallocate_fraction above 1", json: file(#""suggestions": {"reallocate_fraction": 1.5}"#),
            path: "suggestions.reallocate_fraction", says: "1.5 is out of range"),
        Bad(name: "too many digits", json: file(#""roi": {"gross_margin": 0.123456789012345678901234567890123456789}"#),
            path: "roi.gross_margin", says: "has more than 38 significant digits"),
        Bad(name: "target with both min and max", json: file(#""targets": [{"metric": "roi.total", "min": 0}, {"metric": "roi.total", "min": 0, "max": 1}]"#),
            path: "targets[1]", says: "has both min and max; a target has exactly one of them"),
        Bad(name: "target with neither min nor max", json: file(#""targets": [{"metric": "roi.total"}]"#),
            path: "targets[0]", says: "needs a min or a max"),
        Bad(name: "target value not a number", json: file(#""targets": [{"metric": "roi.total", "min": "high"}]"#),
            path: "targets[0].min", says: "expected a number, found a string"),
        Bad(name: "target without a metric", json: file(#""targets": [{"min": 1}]"#), path: "targets[0].metric", says: "missing"),
        Bad(name: "unknown target key", json: file(#""targets": [{"metric": "roi.total", "min": 1, "lable": "x"}]"#),
            path: "targets[0].lable", says: "unknown key (did you mean \"label\"?)"),
        Bad(name: "unknown metric family", json: file(#""targets": [{"metric": "ctr.total", "min": 0.01}]"#),
            path: "targets[0].metric", says: "unknown metric \"ctr.total\"; expected one of retention.pK (K = 0…8)"),
        Bad(name: "retention.p9 with periods 8", json: file(#""retention": {"periods": 8}, "targets": [{"metric": "retention.p9", "min": 0.1}]"#),
            path: "targets[0].metric", says: "retention.p9 is beyond retention.periods (8)"),
        Bad(name: "funnel.step6 with 5 steps", json: file(funnel5 + #", "targets": [{"metric": "funnel.step6", "min": 0.1}]"#),
            path: "targets[0].metric", says: "funnel.step6 is beyond the funnel's 5 steps"),
        Bad(name: "funnel metric without a funnel", json: file(#""targets": [{"metric": "funnel.conversion", "min": 0.1}]"#),
            path: "targets[0].metric", says: "funnel.conversion needs a funnel section"),
        Bad(name: "targets not an array", json: file(#""targets": {"metric": "roi.total", "min": 1}"#),
            path: "targets", says: "expected an array, found an object"),
        Bad(name: "empty output dir", json: file(#""output": {"dir": ""}"#), path: "output.dir", says: "expected a non-empty folder path"),
    ]

    @Test(arguments: badFiles)
    func badFilesNameTheJSONPath(_ c: Bad) {
        let prefix = "pipelines/x.json: \(c.path): "
        do {
            _ = try Self.decode(c.json)
            Issue.record("decoded without an error")
        } catch let error as OpsError {
            #expect(error.kind == .configuration)
            #expect(error.exitCode == 2)
            #expect(error.message.hasPrefix(prefix), "\(error.message)")
            #expect(error.message.dropFirst(prefix.count).contains(c.says), "\(error.message)")
            #expect(!error.message.contains("\n"))
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func validFileVariantsStillDecode() throws {
        // The good twins of some bad cases, so the table above is not passing for the wrong reason.
        let targets = #""targets": [{"metric": "retention.p8", "min": 0.1}, {"metric": "funnel.step5", "max": 0.9}, "#
            + #"{"metric": "cac.total_paid", "max": 80}, {"metric": "revenue.total", "min": 1000}, {"metric": "signups.total", "min": 10}]"#
        let p = try Self.decode(Self.file(Self.funnel5 + #", "retention": {"periods": 8.0}, "since": "2025-06-30", "as_of": "2025-06-30", "# + targets))
        #expect(p.targets.count == 5)
        #expect(p.retention.periods == 8)
        #expect(p.since == p.asOf)
    }

    // MARK: Invalid JSON and unreadable files

    @Test func invalidJSONNamesTheFileLineAndColumn() {
        let json = "{\n  \"version\": 1,\n  \"name\": \"x\",\n}\n"
        #expect(throws: OpsError.configuration("pipelines/x.json: line 4, column 1: invalid JSON: expected a key in double quotes, found \"}\"")) {
            try Self.decode(json)
        }
    }

    @Test func aMissingFileIsAConfigurationError() {
        let path = "/nonexistent-opsetl-dir/pipeline.json"
        #expect(throws: OpsError.configuration("\(path): cannot read pipeline file: No such file or directory")) {
            try Pipeline.load(path: path)
        }
    }

    @Test func aFolderIsNotAPipelineFile() {
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: OpsError.configuration("\(dir): cannot read pipeline file: Is a directory")) {
            try Pipeline.load(path: dir)
        }
    }

    @Test func loadReadsTheFileAndAnchorsPathsAtItsFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsetl-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("nightly.json")
        try Data(Self.minimal.utf8).write(to: file)

        let p = try Pipeline.load(path: file.path)
        let folder = PipelinePaths.normalized(dir.path)
        #expect(p.filePath == folder + "/nightly.json")
        #expect(p.baseDirectory == folder)
        #expect(p.name == "nightly")
        #expect(p.inputs.users.resolvedPath == folder + "/u.csv")
        #expect(p.output.dir == folder + "/reports/{as_of}")
    }
}

