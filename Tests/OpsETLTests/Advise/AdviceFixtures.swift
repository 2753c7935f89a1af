import Foundation
@testable import OpsETL

/// Hand-made analysis results for the Advise tests: the rules read only these tables, so
/// each test states the numbers it needs and works out the expected suggestion by hand.
enum AdviceFixtures {
    /// A decimal from its literal text (no binary floating point in expected values).
    static func d(_ s: String) -> Decimal { Decimal(string: s)! }

    /// An ROI table from (channel, spend, revenue) in currency units, with `total` and `total_paid`
    /// rows summed the way `ChannelROI` does. Signups 100 and paying users 10 per channel.
    static func roi(_ channels: [(String, String, String)], grossMargin: String = "1") -> ROIResult {
        let units = { (s: String) in Int128(Int64(truncating: (d(s) * 10_000) as NSDecimalNumber)) }
        let margin = d(grossMargin)
        var rows = channels.map { c in
            ROIResult.Row(channel: c.0, spend: units(c.1), impressions: nil, clicks: nil, signups: 100, payingUsers: 10,
                          revenue: units(c.2), grossMargin: margin)
        }
        let sum = { (rs: [ROIResult.Row], name: String) in
            ROIResult.Row(channel: name, spend: rs.reduce(0) { $0 + $1.spend }, impressions: nil, clicks: nil,
                          signups: rs.reduce(0) { $0 + $1.signups }, payingUsers: rs.reduce(0) { $0 + $1.payingUsers },
                          revenue: rs.reduce(0) { $0 + $1.revenue }, grossMargin: margin)
        }
        let channelRows = rows
        rows.append(sum(channelRows, ROIResult.total))
        rows.append(sum(channelRows.filter { $0.spend > 0 }, ROIResult.totalPaid))
        return ROIResult(rows: rows)
    }

    /// A funnel table from users per step for `all` and each channel (in the given order).
    static func funnel(steps: [String], all: [Int], channels: [(String, [Int])] = []) -> FunnelResult {
        var rows: [FunnelResult.Step] = []
        for (segment, users) in [("all", all)] + channels {
            for (i, u) in users.enumerated() {
                let prev = i == 0 ? u : users[i - 1]
                let first = users[0]
                let fromPrevious: Decimal? = i == 0 ? (u > 0 ? 1 : nil) : (prev > 0 ? Decimal(u) / Decimal(prev) : nil)
                // SPEC §9: null from the first step only without entrants.
                let fromFirst: Decimal? = i == 0 ? (u > 0 ? 1 : nil) : (first > 0 ? Decimal(u) / Decimal(first) : nil)
                rows.append(.init(segment: segment, step: i + 1, name: steps[i], users: u, conversionFromPrevious: fromPrevious,
                                  conversionFromFirst: fromFirst, dropOff: i == 0 ? 0 : prev - u,
                                  medianSecondsFromPrevious: i == 0 ? nil : 60))
            }
        }
        return FunnelResult(stepNames: steps, segments: ["all"] + channels.map(\.0), steps: rows)
    }

    /// Retention cells for period 1 of consecutive weekly cohorts: (size, active, partial).
    static func retention(_ p1: [(Int, Int, Bool)]) -> RetentionResult {
        let start = LocalDate(iso: "2025-01-06")!
        var cells: [RetentionResult.Cell] = []
        for (i, c) in p1.enumerated() {
            let cohort = LocalDate(days: start.days + Int32(7 * i))
            cells.append(.init(cohort: cohort, cohortSize: c.0, period: 0, activeUsers: c.0, revenue: 0, partial: false))
            cells.append(.init(cohort: cohort, cohortSize: c.0, period: 1, activeUsers: c.1, revenue: 0, partial: c.2))
        }
        return RetentionResult(periods: 1, cells: cells)
    }

    /// Analysis results around the given tables, with empty trends over one week of 2025.
    static func analyses(roi: ROIResult, retention: RetentionResult = RetentionResult(periods: 1, cells: []),
                         funnel: FunnelResult? = nil) -> AnalysisResults {
        AnalysisResults(retention: retention, funnel: funnel, roi: roi, trends: emptyTrends())
    }

    static func emptyTrends() -> TrendsResult {
        TrendsResult(TrendsPartial(plan: TrendsPlan(trends: Trends(), weekStart: .monday,
                                                    since: LocalDate(iso: "2025-01-06")!, asOf: LocalDate(iso: "2025-01-12")!)))
    }

    static func quality(_ kind: InputKind, read: Int, rejects: [String: Int]) -> InputQuality {
        InputQuality(kind: kind, rowsRead: read, rejectedByReason: rejects, duplicates: 0, afterAsOf: 0,
                     excludedStatus: 0, unknownUserIgnored: 0)
    }

    static func target(_ metric: String, min: String? = nil, max: String? = nil, label: String? = nil) -> Target {
        Target(metric: metric, kind: min != nil ? .min : .max, value: d(min ?? max!), label: label)
    }
}
