import Foundation

/// The headline metric names a target may name (SPEC §4.1–§4.3 headline metrics, §6, §9).
///
/// Parsed once when the pipeline is loaded so a misspelt goal fails the run up front
/// (exit 2) instead of silently reporting `no_data`; Advise can parse `Target.metric`
/// again with `MetricName(_:)` to look the value up. Only the *family* can be checked at
/// load time: a channel name is free text, known only once the data is read (SPEC §9: a
/// known family naming a channel with no data is `no_data`, not an error).
public enum MetricName: Hashable, Sendable, CustomStringConvertible {
    /// `retention.pK`: pooled retention of period K over complete cohorts (SPEC §4.1).
    case retention(period: Int)
    /// `retention.dN` (`orAfter` false) and `retention.dN_plus` (true): pooled day-N retention,
    /// active on day N or on any day from N to `as_of` (SPEC §4.1.1).
    case retentionDay(Int, orAfter: Bool)
    /// `funnel.conversion`: last step users / step 1 users, segment `all` (SPEC §4.2).
    case funnelConversion
    /// `funnel.stepN`: conversion_from_previous of step N, 1-based (SPEC §4.2).
    case funnelStep(Int)
    /// `roi.<x>` (SPEC §4.3).
    case roi(MetricChannel)
    /// `roas.<x>` (SPEC §4.3).
    case roas(MetricChannel)
    /// `cac.<x>` (SPEC §4.3).
    case cac(MetricChannel)
    /// `revenue.total` (SPEC §4.3).
    case revenueTotal
    /// `signups.total` (SPEC §4.3).
    case signupsTotal
    /// `trend.<kpi>`: the KPI of segment `all` in the latest complete trends period (SPEC §4.4).
    case trend(TrendKPI)
    /// `growth.<kpi>`: its change rate against the period before (SPEC §4.4).
    case growth(TrendKPI)
    /// `yoy.<kpi>`: its change rate against the period a year before (SPEC §4.4).
    case yoy(TrendKPI)

    /// Parses the syntax only (no bounds against the pipeline); nil for an unknown name.
    ///
    /// Numbers are canonical — `retention.p01` and `funnel.step+1` are not names the
    /// report ever prints, so they are not accepted as aliases either.
    public init?(_ text: String) {
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let family = text[..<dot]
        let rest = String(text[text.index(after: dot)...])
        switch family {
        case "retention":
            if rest.hasPrefix("d") {
                let plus = rest.hasSuffix("_plus")
                let digits = rest.dropFirst().dropLast(plus ? 5 : 0)
                guard let n = MetricName.canonicalInteger(digits) else { return nil }
                self = .retentionDay(n, orAfter: plus)
                return
            }
            guard rest.hasPrefix("p"), let k = MetricName.canonicalInteger(rest.dropFirst()) else { return nil }
            self = .retention(period: k)
        case "funnel":
            if rest == "conversion" { self = .funnelConversion; return }
            guard rest.hasPrefix("step"), let n = MetricName.canonicalInteger(rest.dropFirst(4)), n >= 1 else { return nil }
            self = .funnelStep(n)
        case "roi", "roas", "cac":
            guard let channel = MetricChannel(rest) else { return nil }
            switch family {
            case "roi": self = .roi(channel)
            case "roas": self = .roas(channel)
            default: self = .cac(channel)
            }
        case "revenue":
            guard rest == "total" else { return nil }
            self = .revenueTotal
        case "signups":
            guard rest == "total" else { return nil }
            self = .signupsTotal
        case "trend", "growth", "yoy":
            guard let kpi = TrendKPI(rawValue: rest) else { return nil }
            self = family == "trend" ? .trend(kpi) : family == "growth" ? .growth(kpi) : .yoy(kpi)
        default:
            return nil
        }
    }

    /// Parses and checks the name against the pipeline (SPEC §9): `retention.pK` needs
    /// K ≤ `retention.periods`, `retention.dN` / `retention.dN_plus` an N of `retention.days`,
    /// and `funnel.*` needs a funnel with at least N steps.
    ///
    /// - Parameter retentionDays: `retention.days` (its default when left out).
    /// - Parameter funnelStepCount: the number of funnel steps, nil without a funnel section.
    public init(validating text: String, retentionPeriods: Int, retentionDays: [Int] = [1, 7, 30],
                funnelStepCount: Int?) throws(MetricNameError) {
        guard let name = MetricName(text) else {
            if let dot = text.firstIndex(of: "."), ["trend", "growth", "yoy"].contains(text[..<dot]) {
                // SPEC §9: a trend family with a name that is not a KPI of §4.4.
                let kpi = String(text[text.index(after: dot)...])
                let all = TrendKPI.allCases.map(\.rawValue)
                var message = "\(PipelineJSON.Path.quoted(kpi)) is not a KPI of the trends"
                if let guess = PipelineJSON.Spelling.suggestion(for: kpi, among: all) {
                    message += " (did you mean \(PipelineJSON.Path.quoted(text[..<dot] + "." + guess))?)"
                }
                throw MetricNameError(message: message + "; expected one of " + all.joined(separator: ", "))
            }
            throw MetricNameError(message: "unknown metric \(PipelineJSON.Path.quoted(text)); expected "
                + MetricName.patterns(retentionPeriods: retentionPeriods, retentionDays: retentionDays,
                                      funnelStepCount: funnelStepCount))
        }
        switch name {
        case .retention(let k) where k > retentionPeriods:
            throw MetricNameError(message: "\(text) is beyond retention.periods (\(retentionPeriods)); "
                + "expected retention.p0 … retention.p\(retentionPeriods)")
        case .retentionDay(let n, _) where !retentionDays.contains(n):
            throw MetricNameError(message: "\(text) names day \(n), which is not in retention.days ("
                + (retentionDays.isEmpty ? "empty" : retentionDays.map(String.init).joined(separator: ", "))
                + "); add \(n) to retention.days or use one of its days")
        case .funnelConversion, .funnelStep:
            guard let steps = funnelStepCount else {
                throw MetricNameError(message: "\(text) needs a funnel section, and the pipeline has none")
            }
            if case .funnelStep(let n) = name, n > steps {
                throw MetricNameError(message: "\(text) is beyond the funnel's \(steps) steps; expected funnel.step1 … funnel.step\(steps)")
            }
        default:
            break
        }
        self = name
    }

    /// The canonical text, as written in `goals.csv` and `summary.json`.
    public var description: String {
        switch self {
        case .retention(let k): "retention.p\(k)"
        case .retentionDay(let n, let orAfter): "retention.d\(n)\(orAfter ? "_plus" : "")"
        case .funnelConversion: "funnel.conversion"
        case .funnelStep(let n): "funnel.step\(n)"
        case .roi(let c): "roi.\(c)"
        case .roas(let c): "roas.\(c)"
        case .cac(let c): "cac.\(c)"
        case .revenueTotal: "revenue.total"
        case .signupsTotal: "signups.total"
        case .trend(let k): "trend.\(k.rawValue)"
        case .growth(let k): "growth.\(k.rawValue)"
        case .yoy(let k): "yoy.\(k.rawValue)"
        }
    }

    /// The valid names for this pipeline, for the "unknown metric" message.
    static func patterns(retentionPeriods: Int, retentionDays: [Int] = [1, 7, 30], funnelStepCount: Int?) -> String {
        let funnel = funnelStepCount.map { "funnel.conversion, funnel.stepN (N = 1…\($0)), " } ?? ""
        let days = retentionDays.isEmpty ? ""
            : "retention.dN, retention.dN_plus (N = \(retentionDays.map(String.init).joined(separator: ", "))), "
        return "one of retention.pK (K = 0…\(retentionPeriods)), \(days)\(funnel)roi.<channel>, roas.<channel>, cac.<channel> "
            + "(a channel name, total or total_paid), revenue.total, signups.total, trend.<kpi>, growth.<kpi>, yoy.<kpi>"
    }

    /// The trends KPI of a `trend.`, `growth.` or `yoy.` metric; nil for the other families.
    public var trendKPI: TrendKPI? {
        switch self {
        case .trend(let k), .growth(let k), .yoy(let k): k
        default: nil
        }
    }

    /// Digits only, no sign, no leading zero (except `0` itself), small enough for an Int.
    private static func canonicalInteger(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              text == "0" || !text.hasPrefix("0"), text.count <= 9 else { return nil }
        return Int(text)
    }
}

/// The `<x>` of `roi.<x>`, `roas.<x>`, `cac.<x>`: a total row or one channel (SPEC §4.3 rows).
public enum MetricChannel: Hashable, Sendable, CustomStringConvertible {
    /// The `total` row (all channels).
    case total
    /// The `total_paid` row (channels with spend > 0).
    case totalPaid
    /// One channel, as written in the pipeline (not yet normalised or aliased: that is
    /// the channel normaliser's job, SPEC §3.3, and it runs with the data).
    case channel(String)

    /// Nil for an empty or all-whitespace channel.
    public init?(_ text: String) {
        switch text {
        case "total": self = .total
        case "total_paid": self = .totalPaid
        default:
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            self = .channel(text)
        }
    }

    public var description: String {
        switch self {
        case .total: "total"
        case .totalPaid: "total_paid"
        case .channel(let name): name
        }
    }
}

/// Why a metric name is not valid for this pipeline; `message` completes "targets[i].metric: …".
public struct MetricNameError: Error, Equatable, Sendable {
    public var message: String
}
