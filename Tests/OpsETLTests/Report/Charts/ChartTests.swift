import Foundation
import Testing
@testable import OpsETL

/// The report's charts (SPEC §7): the per-channel funnel chart draws the largest few channels and
/// "other", and every chart keeps its text at 10 CSS px or more.
@Suite struct ChartTests {
    /// `all` plus eight channels c1 … c8 with 80, 70, … 10 entrants; at step 2, c6 has 15 of 30, c7 5 of 20,
    /// c8 0 of 10 (the others half of theirs).
    static func funnel() -> FunnelResult {
        let entrants = [80, 70, 60, 50, 40, 30, 20, 10]
        let second = [40, 35, 30, 25, 20, 15, 5, 0]
        let names = ["all"] + (1...8).map { "c\($0)" }
        var steps: [FunnelResult.Step] = []
        for (i, name) in names.enumerated() {
            let (a, b) = i == 0 ? (entrants.reduce(0, +), second.reduce(0, +)) : (entrants[i - 1], second[i - 1])
            steps.append(.init(segment: name, step: 1, name: "signup", users: a, conversionFromPrevious: 1, conversionFromFirst: 1,
                               dropOff: 0, medianSecondsFromPrevious: nil))
            steps.append(.init(segment: name, step: 2, name: "purchase", users: b, conversionFromPrevious: Decimal(b) / Decimal(a),
                               conversionFromFirst: Decimal(b) / Decimal(a), dropOff: a - b, medianSecondsFromPrevious: nil))
        }
        return FunnelResult(stepNames: ["signup", "purchase"], segments: names, steps: steps)
    }

    /// The five largest get a line; c6, c7, c8 are summed: (15 + 5 + 0) / (30 + 20 + 10) = 1/3 at step 2.
    @Test func manyChannelsAreTheLargestFiveAndOther() {
        let f = Self.funnel()
        let series = FunnelCharts.series(f, indices: f.channelSegmentIndices, labels: f.segments, flagged: [],
                                         otherLabel: { "Other (\($0))" })
        #expect(series.map(\.label) == ["all", "c1", "c2", "c3", "c4", "c5", "Other (3)"])
        #expect(series.last?.conversions == [1, Decimal(1) / 3])
        #expect(series.first?.isAll == true && series.dropFirst().allSatisfy { !$0.isAll })
    }

    /// A channel a suggestion names keeps its own line: c8 is shown, "other" is c6 + c7 = 20 / 50 = 0.4.
    @Test func aFlaggedChannelIsNeverHiddenInOther() {
        let f = Self.funnel()
        let series = FunnelCharts.series(f, indices: f.channelSegmentIndices, labels: f.segments, flagged: ["c8"],
                                         otherLabel: { "Other (\($0))" })
        #expect(series.map(\.label) == ["all", "c1", "c2", "c3", "c4", "c5", "c8", "Other (2)"])
        #expect(series.last?.conversions == [1, Decimal(2) / 5])
        #expect(series[6].conversions == [1, 0])
    }

    /// Every text of the charts drawn inside a scroll area is at least 10 units and the SVG is never
    /// drawn narrower than its view box, so rendered size = font-size × rendered width / view box ≥ 10 px.
    @Test func scrolledChartsKeepTheirSize() throws {
        let f = Self.funnel()
        let style = NumberStyle(strings: ReportStrings(.en), currency: "EUR")
        let series = FunnelCharts.series(f, indices: f.channelSegmentIndices, labels: f.segments, flagged: [],
                                         otherLabel: { "Other (\($0))" })
        let charts = [
            FunnelCharts.bySegment(series, stepLabels: ["1. signup", "2. purchase"], style: style, title: "t"),
            TrendCharts.lifecycle([.init(label: "06-23", new: 3, returning: 2, resurrecting: 1, dormant: 4, partial: false)],
                                  title: "t", format: { String($0) }),
        ]
        for svg in charts {
            let box = try #require(svg.firstMatch(of: /viewBox="0 0 ([0-9.]+) [0-9.]+" style="min-width: ([0-9.]+)px"/))
            #expect(box.1 == box.2, "\(svg.prefix(120))")
            let sizes = svg.matches(of: /font-size="([0-9.]+)"/).compactMap { Double($0.1) }
            #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 10 })
        }
        // A KPI chart scales with its grid column, which is never narrower than its view box (260).
        let kpi = TrendCharts.kpi([.init(value: 1, partial: false), .init(value: 2, partial: true)], previous: [nil, 1],
                                  labels: ["06-16", "06-23"], title: "t", format: { String($0) })
        #expect(kpi.contains(#"viewBox="0 0 260 132""#))
        #expect(kpi.matches(of: /font-size="([0-9.]+)"/).allSatisfy { (Double($0.1) ?? 0) >= 10 })
        // The partial period is a hollow dot reached by a dashed line.
        #expect(kpi.contains(##"fill="#ffffff" stroke="#2563eb""##) && kpi.contains(#"stroke-dasharray="4 3""#))
    }
}
