import Foundation

/// Pipeline stage 0: the pipeline file (JSON) → a validated `Pipeline` with every default
/// filled in (SPEC §2; exit 2 on any problem, SPEC §8).
///
/// The file is read strictly: unknown keys, repeated keys, wrong types, values outside their
/// set or range, a repeated day in `retention.days`, an unknown metric family or a metric beyond
/// `retention.periods`, `retention.days` or the funnel's steps (SPEC §9) all stop the run before
/// any data is read, each with one line
/// `<pipeline file>: <json.path>: <what is wrong and what is expected>`.
extension Pipeline {
    /// Reads and decodes the pipeline file at `path` (absolute, or relative to the working directory).
    ///
    /// - Throws: `OpsError.configuration` — `<path>: cannot read pipeline file: <reason>` when the
    ///   file cannot be read, otherwise whatever `decode(json:filePath:)` throws.
    public static func load(path: String) throws -> Pipeline {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw OpsError.configuration("\(path): cannot read pipeline file: \(readFailureReason(error))")
        }
        return try decode(json: data, filePath: path)
    }

    /// Decodes a pipeline file's bytes; `filePath` (absolute, or relative to the working
    /// directory) names the file in messages and anchors relative paths (SPEC §2).
    ///
    /// - Throws: `OpsError.configuration` with `<filePath>: line L, column C: invalid JSON: …`
    ///   for a syntax error and `<filePath>: <json.path>: …` for anything else.
    public static func decode(json: Data, filePath: String) throws -> Pipeline {
        let root: PipelineJSON.Value
        do {
            root = try PipelineJSON.Parser.parse(json)
        } catch {
            throw OpsError.configuration("\(filePath): \(error)")
        }
        let absolute = PipelinePaths.absoluteFromWorkingDirectory(filePath)
        do {
            return try PipelineJSON.PipelineDecoder(filePath: absolute).decode(PipelineJSON.Node(value: root, path: .root))
        } catch {
            throw OpsError.configuration("\(filePath): \(error.path): \(error.message)")
        }
    }

    /// "No such file or directory" rather than Foundation's multi-sentence description.
    private static func readFailureReason(_ error: any Error) -> String {
        // On Linux the underlying error is a Swift `POSIXError`, which `as? NSError` does not
        // match; bridging through `any Error` works on both platforms.
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error {
            let u = underlying as NSError
            if u.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(u.code))) }
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}

extension PipelineJSON {
    /// Walks the JSON tree section by section in a fixed order, so the same file always reports
    /// the same (first) error.
    fileprivate struct PipelineDecoder {
        /// The absolute path of the pipeline file; relative paths resolve against its folder.
        let filePath: String
        var baseDirectory: String { PipelinePaths.parent(of: filePath) }

        /// Upper bound for `retention.periods`: ten years of weeks, far beyond a useful matrix.
        static let maxRetentionPeriods = 520
        /// Upper bound for a day of `retention.days`: a century, like the day windows.
        static let maxRetentionDay = 36_500
        /// Upper bound for the day windows: a century keeps `days × 86 400 s` in nanoseconds
        /// well inside Int64 for the analyses.
        static let maxWindowDays: Decimal = DayWindow.maxDays
        /// SPEC §2: `output.dir` default, relative to the pipeline folder like any other path.
        static let defaultOutputDir = "reports/{as_of}"

        func decode(_ rootNode: Node) throws(Issue) -> Pipeline {
            // The version decides what the other keys mean, so it is checked before them: a
            // version-2 file gets "version 2 is not supported", not a list of unknown keys.
            let any = try rootNode.object(allowedKeys: nil)
            let versionNode = try any.required("version", "1 (the pipeline file format version)")
            guard case .number(let versionText) = versionNode.value else { throw versionNode.typeMismatch(expected: "a number") }
            guard try versionNode.decimal() == 1 else {
                throw versionNode.issue("\(versionText) is not supported; this opsetl reads version 1")
            }

            let root = try rootNode.object(allowedKeys: [
                "version", "name", "timezone", "since", "as_of", "currency", "language",
                "inputs", "cleaning", "retention", "funnel", "roi", "trends", "targets", "suggestions", "output",
            ])

            let name = try root["name"]?.nonEmptyTrimmedString() ?? PipelinePaths.stem(of: filePath)
            let timezone = try root["timezone"].map(decodeTimezone) ?? "UTC"
            let since = try root["since"].map(decodeDate)
            let asOf = try root["as_of"].map(decodeDate)
            if let since, let asOf, since > asOf {
                throw Issue(path: Path.root.appending("since"),
                            message: "\(since) is after as_of (\(asOf)); expected a date on or before as_of")
            }
            let currency = try root["currency"].map(decodeCurrency) ?? "USD"
            let language = try root["language"]?.enumeration(ReportLanguage.allCases) ?? .en
            let inputs = try decodeInputs(root.required("inputs", "an object with users and sales (channels and events are optional)"))
            let cleaning = try root["cleaning"].map(decodeCleaning) ?? Cleaning()
            let retention = try root["retention"].map(decodeRetention) ?? Retention()
            let funnel = try root["funnel"].map(decodeFunnel)
            let roi = try root["roi"].map(decodeROI) ?? ROI()
            let trends = try root["trends"].map { node throws(Issue) in try decodeTrends(node, retention: retention) }
                ?? Trends(activity: retention.activity)
            let targets = try root["targets"].map { node throws(Issue) in
                try decodeTargets(node, retentionPeriods: retention.periods, retentionDays: retention.days,
                                  funnelStepCount: funnel?.steps.count)
            } ?? []
            let suggestions = try root["suggestions"].map(decodeSuggestions) ?? Suggestions()
            let output = try root["output"].map(decodeOutput)
                ?? Output(dir: PipelinePaths.absolute(Self.defaultOutputDir, relativeTo: baseDirectory))

            return Pipeline(filePath: filePath, baseDirectory: baseDirectory, version: 1, name: name,
                            timezone: timezone, since: since, asOf: asOf, currency: currency, language: language,
                            inputs: inputs, cleaning: cleaning, retention: retention, funnel: funnel, roi: roi,
                            trends: trends, targets: targets, suggestions: suggestions, output: output)
        }

        // MARK: Top-level scalars

        /// SPEC §2, §9 "Time zones": an IANA name, `UTC`/`GMT` or a fixed offset (`UTC+8`); every
        /// local date is taken in it. Stored as written (Foundation on Linux reports `UTC` back as
        /// `GMT`, and the report should echo the user's text).
        func decodeTimezone(_ node: Node) throws(Issue) -> String {
            let text = try node.string()
            if case .failure(let problem) = ZoneName.parse(text) { throw node.issue(problem.message) }
            guard ZoneRules(identifier: text) != nil else {
                throw node.issue("\(Path.quoted(text)) is not a known IANA time zone")
            }
            return text
        }

        func decodeDate(_ node: Node) throws(Issue) -> LocalDate {
            let text = try node.string()
            guard let date = LocalDate(iso: text) else {
                throw node.issue("\(Path.quoted(text)) is not a valid date; expected YYYY-MM-DD")
            }
            // SPEC §9: no timestamp outside 1900–2199 is read, so no night outside it is analysed.
            if let problem = LocalDate.rangeProblem(date) { throw node.issue(problem) }
            return date
        }

        /// Any three letters, upper-cased: the code is only printed, never converted.
        func decodeCurrency(_ node: Node) throws(Issue) -> String {
            let text = try node.string()
            let isLetter = { (b: UInt8) in (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) }
            guard text.utf8.count == 3, text.utf8.allSatisfy(isLetter) else {
                throw node.issue("\(Path.quoted(text)) is not a currency code; expected three letters such as USD, EUR or CNY")
            }
            return text.uppercased()
        }

        // MARK: inputs (SPEC §2, §3.1)

        func decodeInputs(_ node: Node) throws(Issue) -> Inputs {
            let obj = try node.object(allowedKeys: InputKind.allCases.map(\.rawValue))
            func required(_ kind: InputKind) throws(Issue) -> InputSpec {
                try decodeInput(obj.required(kind.rawValue, "an object with the \"path\" of the \(kind.rawValue) file(s)"), kind: kind)
            }
            let users = try required(.users)
            let sales = try required(.sales)
            // SPEC §3.1: spend data is optional; without it the ROI columns computed from spend are null.
            let channels = try obj["channels"].map { node throws(Issue) in try decodeInput(node, kind: .channels) }
            let events = try obj["events"].map { node throws(Issue) in try decodeInput(node, kind: .events) }
            return Inputs(users: users, sales: sales, channels: channels, events: events)
        }

        func decodeInput(_ node: Node, kind: InputKind) throws(Issue) -> InputSpec {
            let obj = try node.object(allowedKeys: ["path", "columns", "delimiter", "encoding", "min_rows", "max_age_days",
                                                       "timestamp_formats", "decimal_separator"])
            let pathNode = try obj.required("path", "the path or glob of the \(kind.rawValue) file(s)")
            let path = try pathNode.string()
            guard !path.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw pathNode.issue("expected a non-empty path or glob")
            }
            var columns: [String: String] = [:]
            if let columnsNode = obj["columns"] {
                let canonical = kind.canonicalColumns
                for (column, headerNode) in try columnsNode.object(allowedKeys: nil).nodes {
                    guard canonical.contains(column) else {
                        var message = "\(Path.quoted(column)) is not a \(kind.rawValue) column"
                        if let guess = Spelling.suggestion(for: column, among: canonical) { message += " (did you mean \(Path.quoted(guess))?)" }
                        message += "; the \(kind.rawValue) columns are \(canonical.joined(separator: ", "))"
                        throw headerNode.issue(message)
                    }
                    let header = try headerNode.string()
                    guard !header.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        throw headerNode.issue("expected the non-empty header name of the \(column) column")
                    }
                    // Kept as written: headers are matched trimmed and case-insensitively (SPEC §9).
                    columns[column] = header
                }
            }
            let delimiter = try obj["delimiter"].map(decodeDelimiter) ?? UInt8(ascii: ",")
            var spec = InputSpec(path: path, resolvedPath: PipelinePaths.absolute(path, relativeTo: baseDirectory),
                                 columns: columns, delimiter: delimiter)
            // SPEC §2/§3.2: the text encoding, converted to UTF-8 while read.
            if let node = obj["encoding"] {
                let name = try node.string()
                guard let encoding = InputEncoding(setting: name) else {
                    throw node.issue("\(Path.quoted(name)) is not an encoding opsetl reads; expected one of "
                                     + InputEncoding.settingNames.joined(separator: ", "))
                }
                spec.encoding = encoding
            }
            // SPEC §2, §5: the gate's empty-export and stale-export conditions.
            if let node = obj["min_rows"] {
                spec.minRows = try node.integer(in: 0...Int(Int32.max), expected: "a whole number of data rows, 0 or more (default 1)")
            }
            if let node = obj["max_age_days"] {
                spec.maxAgeDays = try node.integer(in: 0...100_000, expected: "a whole number of days, 0 or more")
            }
            try decodeValueSettings(obj, into: &spec)
            return spec
        }

        /// SPEC §2, §3.3: `timestamp_formats` (each pattern compiled here, once) and `decimal_separator`.
        func decodeValueSettings(_ obj: ObjectReader, into spec: inout InputSpec) throws(Issue) {
            if let node = obj["timestamp_formats"] {
                var patterns: [TimestampPattern] = []
                for element in try node.array() {
                    let text = try element.string()
                    do throws(TimestampPattern.Problem) {
                        patterns.append(try TimestampPattern(text))
                    } catch {
                        throw element.issue("\(Path.quoted(text)): \(error.message)")
                    }
                }
                spec.timestampFormats = TimestampFormats(patterns)
            }
            if let node = obj["decimal_separator"] {
                let text = try node.string()
                guard text == "." || text == "," else {
                    throw node.issue("\(Path.quoted(text)) is not a decimal separator; expected \".\" or \",\"")
                }
                spec.decimalSeparator = Array(text.utf8)[0]
            }
        }

        /// SPEC §2: one character. libcsv splits on one byte, and a quote or a line end cannot
        /// double as a separator without making every row ambiguous.
        func decodeDelimiter(_ node: Node) throws(Issue) -> UInt8 {
            let text = try node.string()
            let bytes = Array(text.utf8)
            guard bytes.count == 1, bytes[0] < 0x80 else {
                throw node.issue("\(Path.quoted(text)) is not one ASCII character; expected a delimiter such as \",\", \";\" or \"\\t\"")
            }
            switch bytes[0] {
            case UInt8(ascii: "\""): throw node.issue("\"\\\"\" cannot be the delimiter: it is the CSV quote character")
            case 0x0A, 0x0D: throw node.issue("\(Path.quoted(text)) cannot be the delimiter: it ends a line")
            default: return bytes[0]
            }
        }

        // MARK: cleaning (SPEC §2, §3.3, §3.4, §5)

        func decodeCleaning(_ node: Node) throws(Issue) -> Cleaning {
            let obj = try node.object(allowedKeys: ["channel_aliases", "exclude_statuses", "unknown_users", "max_reject_rate",
                                                       "round_money"])
            var cleaning = Cleaning()
            if let aliasesNode = obj["channel_aliases"] {
                var aliases: [String: String] = [:]
                for (alias, valueNode) in try aliasesNode.object(allowedKeys: nil).nodes {
                    guard !alias.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        throw valueNode.issue("an alias needs a non-empty channel name as its key")
                    }
                    _ = try valueNode.nonEmptyTrimmedString()
                    // Raw as written: the channel normaliser normalises keys and values (SPEC §9).
                    aliases[alias] = try valueNode.string()
                }
                cleaning.channelAliases = aliases
            }
            if let statusesNode = obj["exclude_statuses"] {
                var statuses: [String] = []
                for element in try statusesNode.array() {
                    // SPEC §3.3: statuses compare case-insensitively after trimming.
                    let status = try element.nonEmptyTrimmedString().lowercased()
                    if !statuses.contains(status) { statuses.append(status) }
                }
                cleaning.excludeStatuses = statuses
            }
            if let node = obj["unknown_users"] {
                cleaning.unknownUsers = try node.enumeration([Cleaning.UnknownUsers.reject, .ignore])
            }
            if let node = obj["max_reject_rate"] {
                cleaning.maxRejectRate = try node.decimal(in: 0...1, expected: "a share from 0 to 1 (0.05 = 5 %)")
            }
            if let node = obj["round_money"] { cleaning.roundMoney = try node.bool() }
            return cleaning
        }

        // MARK: retention (SPEC §2, §4.1)

        func decodeRetention(_ node: Node) throws(Issue) -> Retention {
            let obj = try node.object(allowedKeys: ["cohort_by", "period", "periods", "week_start", "activity",
                                                    "cumulative", "days"])
            var retention = Retention()
            if let node = obj["cohort_by"] { retention.cohortBy = try node.enumeration([CohortBy.signup, .firstPurchase]) }
            if let node = obj["period"] { retention.period = try node.enumeration([PeriodUnit.day, .week, .month]) }
            if let node = obj["periods"] {
                retention.periods = try node.integer(in: 0...Self.maxRetentionPeriods,
                                                     expected: "a whole number from 0 to \(Self.maxRetentionPeriods)")
            }
            if let node = obj["week_start"] { retention.weekStart = try node.enumeration(Weekday.allCases) }
            if let node = obj["activity"] {
                let names = try nonEmptyNames(node, minimum: 1, what: "at least one event name")
                retention.activity = names
            }
            if let node = obj["cumulative"] { retention.cumulative = try node.bool() }
            if let node = obj["days"] { retention.days = try decodeRetentionDays(node) }
            return retention
        }

        /// SPEC §9: distinct non-negative integers; a duplicate is an error (it would be a second
        /// row and a second headline of the same name). Kept ascending, the order of the rows.
        func decodeRetentionDays(_ node: Node) throws(Issue) -> [Int] {
            var firstIndex: [Int: Int] = [:]
            for (i, element) in try node.array().enumerated() {
                let day = try element.integer(in: 0...Self.maxRetentionDay,
                                              expected: "a whole number of days from 0 to \(Self.maxRetentionDay)")
                if let earlier = firstIndex[day] {
                    throw element.issue("\(day) is already listed at retention.days[\(earlier)]; expected distinct days")
                }
                firstIndex[day] = i
            }
            return firstIndex.keys.sorted()
        }

        /// An array of event names, trimmed (SPEC §3.5: event names are trimmed, case kept).
        func nonEmptyNames(_ node: Node, minimum: Int, what: String) throws(Issue) -> [String] {
            let elements = try node.array()
            guard elements.count >= minimum else {
                throw node.issue("expected \(what), found \(elements.count == 0 ? "an empty array" : "\(elements.count)")")
            }
            var names: [String] = []
            for element in elements { names.append(try element.nonEmptyTrimmedString()) }
            return names
        }

        // MARK: funnel (SPEC §2, §4.2)

        func decodeFunnel(_ node: Node) throws(Issue) -> Funnel {
            let obj = try node.object(allowedKeys: ["steps", "window_days", "by_channel", "by_country", "order"])
            let steps = try nonEmptyNames(obj.required("steps", "an array of at least 2 event names"),
                                          minimum: 2, what: "at least 2 steps")
            var funnel = Funnel(steps: steps)
            if let node = obj["window_days"] {
                let days = try node.decimal()
                // SPEC §9: may be fractional; a zero window would make every funnel end at step 1.
                guard days > 0, days <= Self.maxWindowDays else {
                    throw node.issue("\(days) is out of range; expected a number of days greater than 0 and at most \(Self.maxWindowDays)")
                }
                funnel.windowDays = days
            }
            if let node = obj["by_channel"] { funnel.byChannel = try node.bool() }
            if let node = obj["by_country"] { funnel.byCountry = try node.bool() }
            if let node = obj["order"] { funnel.order = try node.enumeration(FunnelOrder.allCases) }
            return funnel
        }

        // MARK: roi (SPEC §2, §4.3)

        func decodeROI(_ node: Node) throws(Issue) -> ROI {
            let obj = try node.object(allowedKeys: ["revenue_window_days", "gross_margin"])
            var roi = ROI()
            if let node = obj["revenue_window_days"] {
                roi.revenueWindowDays = try node.decimal(in: 0...Self.maxWindowDays,
                                                         expected: "a number of days from 0 to \(Self.maxWindowDays)")
            }
            if let node = obj["gross_margin"] {
                roi.grossMargin = try node.decimal(in: 0...1, expected: "a share from 0 to 1 (1.0 = revenue is all profit)")
            }
            return roi
        }

        // MARK: targets (SPEC §6, §9)

        func decodeTargets(_ node: Node, retentionPeriods: Int, retentionDays: [Int], funnelStepCount: Int?) throws(Issue) -> [Target] {
            var targets: [Target] = []
            let bounds = ["min", "max"] + Target.Change.allCases.map(\.rawValue)
            for element in try node.array() {
                let obj = try element.object(allowedKeys: ["metric", "label", "start", "by"] + bounds)
                let metricNode = try obj.required("metric", "a metric name such as \"retention.p1\" or \"roi.total\"")
                let metric = try metricNode.string()
                let name: MetricName
                do {
                    name = try MetricName(validating: metric, retentionPeriods: retentionPeriods, retentionDays: retentionDays,
                                          funnelStepCount: funnelStepCount)
                } catch {
                    throw metricNode.issue(error.message)
                }
                var isTrend = false
                if case .trend = name { isTrend = true }
                // Exactly one bound: min, max or (trend.* only, SPEC §6) one relative kind.
                let given = bounds.filter { obj[$0] != nil }
                switch given.count {
                case 0:
                    throw element.issue(isTrend ? "needs one of \(bounds.joined(separator: ", ")) (exactly one)"
                                                : "needs a min or a max (exactly one)")
                case 1:
                    break
                default:
                    if given == ["min", "max"] { throw element.issue("has both min and max; a target has exactly one of them") }
                    throw element.issue("has both \(given[0]) and \(given[1]); a target has exactly one of \(bounds.joined(separator: ", "))")
                }
                let key = given[0]
                let valueNode = obj[key]!
                let change = Target.Change(rawValue: key)
                // SPEC §6: start, by and the relative kinds belong to time-bound goals on a trend KPI.
                if !isTrend {
                    for k in ["start", "by"] + Target.Change.allCases.map(\.rawValue) {
                        guard let n = obj[k] else { continue }
                        throw n.issue("only a trend.* metric can have \(Path.quoted(k)); \(metric) is not one")
                    }
                }
                let value: Decimal
                switch change {
                case nil: value = try valueNode.decimal()
                case .decreaseByRate?:
                    value = try valueNode.decimal(in: 0...1, expected: "a share from 0 to 1 of the baseline (0.1 = 10 % less)")
                case .increaseByRate?:
                    value = try valueNode.decimal(in: 0...Decimal(1_000_000), expected: "a rate of at least 0 (0.3 = 30 % more than the baseline)")
                case .increaseBy?, .decreaseBy?:
                    value = try valueNode.decimal()
                    guard value >= 0 else {
                        throw valueNode.issue("\(value) is out of range; expected an amount of at least 0, in the KPI's unit")
                    }
                }
                let start = try obj["start"].map(decodeDate)
                let by = try obj["by"].map(decodeDate)
                if change != nil, start == nil { throw valueNode.issue("needs \"start\"") }
                if let start, let by, by < start {
                    throw obj["by"]!.issue("\(by) is before start (\(start)); expected a deadline on or after the start")
                }
                let label = try obj["label"]?.string()
                let kind: Target.Kind = change?.kind ?? (key == "max" ? .max : .min)
                targets.append(Target(metric: metric, kind: kind, value: value, label: label, change: change, start: start, by: by))
            }
            return targets
        }

        // MARK: trends (SPEC §2, §4.4)

        /// Upper bound for `trends.periods`: ten years of weeks (and a long stretch of days), far
        /// beyond a readable chart; the work grows with it, so an accidental 10⁹ is refused.
        static let maxTrendPeriods = 3660

        func decodeTrends(_ node: Node, retention: Retention) throws(Issue) -> Trends {
            let obj = try node.object(allowedKeys: ["period", "periods", "activity", "by_channel", "by_country"])
            var trends = Trends(activity: retention.activity)
            if let node = obj["period"] { trends.period = try node.enumeration([PeriodUnit.day, .week, .month]) }
            if let node = obj["periods"] {
                // SPEC §9: at least 1.
                trends.periods = try node.integer(in: 1...Self.maxTrendPeriods, expected: "a whole number from 1 to \(Self.maxTrendPeriods)")
            }
            if let node = obj["activity"] { trends.activity = try nonEmptyNames(node, minimum: 1, what: "at least one event name") }
            if let node = obj["by_channel"] { trends.byChannel = try node.bool() }
            if let node = obj["by_country"] { trends.byCountry = try node.bool() }
            return trends
        }

        // MARK: suggestions (SPEC §6)

        func decodeSuggestions(_ node: Node) throws(Issue) -> Suggestions {
            let obj = try node.object(allowedKeys: ["min_spend_share", "reallocate_fraction", "scale_roas_ratio",
                                                    "min_funnel_entrants", "channel_gap_ratio", "reject_rate_warning", "drop_threshold"])
            var suggestions = Suggestions()
            if let node = obj["min_spend_share"] {
                suggestions.minSpendShare = try node.decimal(in: 0...1, expected: "a share from 0 to 1 (0.05 = 5 % of spend)")
            }
            if let node = obj["reallocate_fraction"] {
                suggestions.reallocateFraction = try node.decimal(in: 0...1, expected: "a share from 0 to 1 (0.2 = 20 % of the spend)")
            }
            if let node = obj["scale_roas_ratio"] {
                suggestions.scaleROASRatio = try node.decimal(in: 1...1000, expected: "a multiple of total_paid ROAS from 1 to 1000 (1.5)")
            }
            if let node = obj["min_funnel_entrants"] {
                suggestions.minFunnelEntrants = try node.integer(in: 1...1_000_000_000, expected: "a whole number of users, at least 1 (30)")
            }
            if let node = obj["channel_gap_ratio"] {
                suggestions.channelGapRatio = try node.decimal(in: 0...1, expected: "a share from 0 to 1 of the overall conversion (0.5)")
            }
            if let node = obj["drop_threshold"] {
                suggestions.dropThreshold = try node.decimal(in: 0...1, expected: "a share from 0 to 1 (0.10 = a fall of 10 %)")
            }
            if let node = obj["reject_rate_warning"] {
                suggestions.rejectRateWarning = try node.decimal(in: 0...1, expected: "a rate from 0 to 1 (0.01 = 1 %)")
            }
            return suggestions
        }

        // MARK: output (SPEC §2, §7)

        func decodeOutput(_ node: Node) throws(Issue) -> Output {
            let obj = try node.object(allowedKeys: ["dir", "formats"])
            var dir = Self.defaultOutputDir
            if let node = obj["dir"] {
                dir = try node.string()
                guard !dir.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw node.issue("expected a non-empty folder path")
                }
            }
            var formats = OutputFormat.allCases
            if let node = obj["formats"] {
                let elements = try node.array()
                guard !elements.isEmpty else {
                    throw node.issue("expected at least one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")), found an empty array")
                }
                var chosen = Set<OutputFormat>()
                for element in elements { chosen.insert(try element.enumeration(OutputFormat.allCases)) }
                // Duplicates dropped; a fixed order keeps runs reproducible whatever the listing order.
                formats = OutputFormat.allCases.filter(chosen.contains)
            }
            // Placeholders stay unsubstituted: `as_of` may still come from the data or `--as-of`.
            return Output(dir: PipelinePaths.absolute(dir, relativeTo: baseDirectory), formats: formats)
        }
    }
}
