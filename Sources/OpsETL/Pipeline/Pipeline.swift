import Foundation

/// A decoded, validated pipeline file (SPEC §2) with every default filled in.
///
/// Built once from the JSON by `Pipeline.load(path:)`; after that every stage reads
/// only these settings, never the JSON. Paths are absolute (resolved against the
/// pipeline file's folder) so a cron job works from any working directory.
public struct Pipeline: Sendable {
    /// The absolute path of the pipeline file itself.
    public var filePath: String
    /// The folder relative input paths were resolved against (reject `file` columns are relative to it).
    public var baseDirectory: String
    public var version: Int
    /// `name`, or the pipeline file's name without its extension when absent.
    public var name: String
    /// The IANA zone identifier (validated at load time).
    public var timezone: String
    public var since: LocalDate?
    public var asOf: LocalDate?
    /// ISO currency code used by the report (default `USD`).
    public var currency: String
    public var language: ReportLanguage
    public var inputs: Inputs
    public var cleaning: Cleaning
    public var retention: Retention
    /// Absent when the pipeline leaves out the `funnel` section.
    public var funnel: Funnel?
    public var roi: ROI
    /// The `trends` section (SPEC §4.4); always present, with its defaults.
    public var trends: Trends
    public var targets: [Target]
    public var suggestions: Suggestions
    public var output: Output

    public init(filePath: String, baseDirectory: String, version: Int = 1, name: String,
                timezone: String = "UTC", since: LocalDate? = nil, asOf: LocalDate? = nil,
                currency: String = "USD", language: ReportLanguage = .en, inputs: Inputs,
                cleaning: Cleaning = Cleaning(), retention: Retention = Retention(),
                funnel: Funnel? = nil, roi: ROI = ROI(), trends: Trends? = nil, targets: [Target] = [],
                suggestions: Suggestions = Suggestions(), output: Output) {
        self.filePath = filePath
        self.baseDirectory = baseDirectory
        self.version = version
        self.name = name
        self.timezone = timezone
        self.since = since
        self.asOf = asOf
        self.currency = currency
        self.language = language
        self.inputs = inputs
        self.cleaning = cleaning
        self.retention = retention
        self.funnel = funnel
        self.roi = roi
        self.trends = trends ?? Trends(activity: retention.activity)
        self.targets = targets
        self.suggestions = suggestions
        self.output = output
    }
}

public enum ReportLanguage: String, Sendable, CaseIterable { case en, zh }

/// The four inputs of SPEC §3.1; `channels` (spend) and `events` are optional.
public struct Inputs: Sendable {
    public var users: InputSpec
    public var sales: InputSpec
    /// Nil without spend data: spend and the ROI columns computed from it are then null (SPEC §3.1).
    public var channels: InputSpec?
    public var events: InputSpec?

    public init(users: InputSpec, sales: InputSpec, channels: InputSpec? = nil, events: InputSpec? = nil) {
        self.users = users
        self.sales = sales
        self.channels = channels
        self.events = events
    }
}

/// Which of the four inputs a file belongs to; fixes the canonical columns and the output names.
public enum InputKind: String, Sendable, CaseIterable, Comparable {
    case users, sales, channels, events

    /// SPEC §3.1: required columns, in canonical order.
    public var requiredColumns: [String] {
        switch self {
        case .users: ["user_id", "signup_at"]
        case .sales: ["order_id", "user_id", "ordered_at", "amount"]
        case .channels: ["date", "channel", "spend"]
        case .events: ["user_id", "event", "occurred_at"]
        }
    }

    /// SPEC §3.1: optional columns, in canonical order.
    public var optionalColumns: [String] {
        switch self {
        case .users: ["channel", "country"]
        case .sales: ["status", "updated_at"]
        case .channels: ["campaign", "impressions", "clicks"]
        case .events: ["event_id"]
        }
    }

    /// Required then optional: the canonical column order used to pick a row's one reject reason.
    public var canonicalColumns: [String] { requiredColumns + optionalColumns }

    public static func < (a: InputKind, b: InputKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One `inputs.X` entry.
public struct InputSpec: Sendable {
    /// The path or glob as written in the pipeline file (for messages).
    public var path: String
    /// The same resolved to an absolute path or glob.
    public var resolvedPath: String
    /// Canonical column name → header name in the file, as written (matched trimmed and case-insensitively).
    public var columns: [String: String]
    /// One byte (`,` by default; `;` and tab are common).
    public var delimiter: UInt8
    /// SPEC §2/§3.2: the files' text encoding, converted to UTF-8 while read.
    public var encoding: InputEncoding = .utf8
    /// SPEC §5: the quality gate fails when fewer data rows are read (an empty or truncated export).
    public var minRows: Int = 1
    /// SPEC §5: the gate fails when the latest valid row is dated more than this many days before
    /// `as_of` (a stale export); nil = no limit.
    public var maxAgeDays: Int?
    /// SPEC §3.3: `timestamp_formats`, compiled once, tried in order before the built-in forms.
    public var timestampFormats = TimestampFormats()
    /// SPEC §3.3: `.` (default) or `,` (then `.` or a space groups thousands).
    public var decimalSeparator: UInt8 = UInt8(ascii: ".")

    public init(path: String, resolvedPath: String, columns: [String: String] = [:], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.path = path
        self.resolvedPath = resolvedPath
        self.columns = columns
        self.delimiter = delimiter
    }
}

public struct Cleaning: Sendable {
    public enum UnknownUsers: String, Sendable { case reject, ignore }

    /// Raw alias map as written; keys and values are normalised by the channel normaliser.
    public var channelAliases: [String: String]
    /// Trimmed and lower-cased (statuses compare case-insensitively, SPEC §3.3).
    public var excludeStatuses: [String]
    public var unknownUsers: UnknownUsers
    /// Exact decimal value of `max_reject_rate` (the gate compares exactly, SPEC §9).
    public var maxRejectRate: Decimal
    /// SPEC §2 `round_money`: more than 4 decimals are rounded half away from zero instead of rejected.
    public var roundMoney = false

    public init(channelAliases: [String: String] = [:],
                excludeStatuses: [String] = ["refunded", "cancelled", "canceled", "failed"],
                unknownUsers: UnknownUsers = .reject, maxRejectRate: Decimal = Decimal(string: "0.05")!) {
        self.channelAliases = channelAliases
        self.excludeStatuses = excludeStatuses
        self.unknownUsers = unknownUsers
        self.maxRejectRate = maxRejectRate
    }
}

public enum CohortBy: String, Sendable { case signup, firstPurchase = "first_purchase" }
public enum PeriodUnit: String, Sendable { case day, week, month }
public enum Weekday: String, Sendable, CaseIterable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday
    /// ISO number: 1 = Monday … 7 = Sunday.
    public var isoNumber: Int { Weekday.allCases.firstIndex(of: self)! + 1 }
}

public struct Retention: Sendable {
    public var cohortBy: CohortBy
    public var period: PeriodUnit
    public var periods: Int
    public var weekStart: Weekday
    public var activity: [String]
    /// SPEC §4.1: `true` counts a cell's users active in its period or any later one ("on or after").
    public var cumulative: Bool
    /// SPEC §4.1.1: the N of day-N retention, distinct and ascending (the loader sorts them); empty
    /// writes no `day_retention.csv`.
    public var days: [Int]

    public init(cohortBy: CohortBy = .signup, period: PeriodUnit = .week, periods: Int = 8,
                weekStart: Weekday = .monday, activity: [String] = ["purchase"],
                cumulative: Bool = false, days: [Int] = [1, 7, 30]) {
        self.cohortBy = cohortBy
        self.period = period
        self.periods = periods
        self.weekStart = weekStart
        self.activity = activity
        self.cumulative = cumulative
        self.days = days
    }
}

/// SPEC §4.2 `funnel.order`: how the steps must follow each other (PostHog's funnel order types).
public enum FunnelOrder: String, Sendable, CaseIterable {
    /// Steps in order; other events may happen between them.
    case ordered
    /// Steps in order, each the very next event of the user's stream after the one before.
    case strict
    /// Any order; every step can be the entry, and step k is "k of n steps".
    case any
}

public struct Funnel: Sendable {
    public var steps: [String]
    /// May be fractional (× 86 400 s, SPEC §9).
    public var windowDays: Decimal
    public var byChannel: Bool
    /// SPEC §4.2: also one segment per user country, `country:<country>`, after the channels.
    public var byCountry: Bool
    public var order: FunnelOrder

    public init(steps: [String], windowDays: Decimal = 14, byChannel: Bool = true,
                byCountry: Bool = false, order: FunnelOrder = .ordered) {
        self.steps = steps
        self.windowDays = windowDays
        self.byChannel = byChannel
        self.byCountry = byCountry
        self.order = order
    }
}

public struct ROI: Sendable {
    public var revenueWindowDays: Decimal
    public var grossMargin: Decimal

    public init(revenueWindowDays: Decimal = 90, grossMargin: Decimal = 1) {
        self.revenueWindowDays = revenueWindowDays
        self.grossMargin = grossMargin
    }
}

/// The `trends` section (SPEC §2, §4.4, §4.5). Weeks start on `retention.week_start`.
public struct Trends: Sendable {
    public var period: PeriodUnit
    /// At least 1: how many periods, ending with the one that contains `as_of`.
    public var periods: Int
    /// Event names that make a user active in the trends and the lifecycle (default: `retention.activity`).
    public var activity: [String]
    public var byChannel: Bool
    public var byCountry: Bool

    public init(period: PeriodUnit = .week, periods: Int = 12, activity: [String] = ["purchase"],
                byChannel: Bool = true, byCountry: Bool = false) {
        self.period = period
        self.periods = periods
        self.activity = activity
        self.byChannel = byChannel
        self.byCountry = byCountry
    }
}

/// One entry of `targets` (SPEC §6): a bound (`min`/`max`) or, on a `trend.*` metric, a change
/// relative to a baseline (`increase_by`, …), optionally with `start` and a deadline `by`.
public struct Target: Sendable {
    public enum Kind: String, Sendable { case min, max }

    /// SPEC §6: the relative kinds of a time-bound target; each fixes whether it is a `min` or a `max`.
    public enum Change: String, Sendable, CaseIterable {
        case increaseBy = "increase_by"
        case increaseByRate = "increase_by_rate"
        case decreaseBy = "decrease_by"
        case decreaseByRate = "decrease_by_rate"

        public var kind: Kind {
            switch self {
            case .increaseBy, .increaseByRate: .min
            case .decreaseBy, .decreaseByRate: .max
            }
        }
    }

    public var metric: String
    /// `min`/`max`, also for a relative target (`increase_by…` is a `min`, `decrease_by…` a `max`).
    public var kind: Kind
    /// The bound itself; for a relative target the amount or rate of the change (`0.30`).
    public var value: Decimal
    public var label: String?
    /// Nil for a plain bound; else the target is computed from the baseline (SPEC §6).
    public var change: Change?
    /// The date the goal was set; the baseline is the period before the one containing it.
    public var start: LocalDate?
    /// The deadline: the projection is evaluated at the period containing it.
    public var by: LocalDate?

    public init(metric: String, kind: Kind, value: Decimal, label: String? = nil,
                change: Change? = nil, start: LocalDate? = nil, by: LocalDate? = nil) {
        self.metric = metric
        self.kind = change?.kind ?? kind
        self.value = value
        self.label = label
        self.change = change
        self.start = start
        self.by = by
    }
}

/// The `suggestions` section (SPEC §6): the thresholds of the suggestion rules. The first two
/// are the spec's; the others make the spec's fixed numbers adjustable, with the spec's values
/// as defaults, so a team can tune a rule without a new release.
public struct Suggestions: Sendable {
    /// `roi.cut` / `roi.scale` only consider channels with at least this share of total spend.
    public var minSpendShare: Decimal
    /// `roi.scale` moves this share of the worst channel's spend to the best.
    public var reallocateFraction: Decimal
    /// `roi.scale`: a channel's ROAS must be at least this multiple of `total_paid`'s (spec: 1.5).
    public var scaleROASRatio: Decimal
    /// `funnel.channel_gap` (and the best-channel benchmark of `funnel.bottleneck`): channels
    /// with at least this many entrants (spec: 30).
    public var minFunnelEntrants: Int
    /// `funnel.channel_gap`: a channel converting below this share of `all` (spec: 0.5).
    public var channelGapRatio: Decimal
    /// `quality.rejects`: an input whose reject rate is above this (spec: 0.01).
    public var rejectRateWarning: Decimal
    /// `trend.drop` (SPEC §6 `drop_threshold`): a watched KPI whose growth is at most −this.
    public var dropThreshold: Decimal = Decimal(string: "0.10")!

    public init(minSpendShare: Decimal = Decimal(string: "0.05")!, reallocateFraction: Decimal = Decimal(string: "0.2")!,
                scaleROASRatio: Decimal = Decimal(string: "1.5")!, minFunnelEntrants: Int = 30,
                channelGapRatio: Decimal = Decimal(string: "0.5")!, rejectRateWarning: Decimal = Decimal(string: "0.01")!) {
        self.minSpendShare = minSpendShare
        self.reallocateFraction = reallocateFraction
        self.scaleROASRatio = scaleROASRatio
        self.minFunnelEntrants = minFunnelEntrants
        self.channelGapRatio = channelGapRatio
        self.rejectRateWarning = rejectRateWarning
    }
}

public enum OutputFormat: String, Sendable, CaseIterable { case csv, json, md, html }

public struct Output: Sendable {
    /// The folder template as resolved against the pipeline folder; `{as_of}` and `{name}` still unsubstituted.
    public var dir: String
    public var formats: [OutputFormat]
    /// True when `dir` came from `--output`: messages then name that flag, not `output.dir`.
    public var setByCommandLine = false

    public init(dir: String, formats: [OutputFormat] = OutputFormat.allCases) {
        self.dir = dir
        self.formats = formats
    }
}
