import Foundation
import Testing
@testable import OpsETL

/// SPEC §6 time-bound (SMART) targets and §9: baseline, computed target, every status, the exact
/// least-squares projection, and `goals.csv`'s new columns, on a daily shop whose signups are
/// 2, 4, 3, 5 on 2025-03-01 … 03-04 (since 03-01, as_of 03-04: four complete days, L = 03-04).
@Suite struct SmartGoalTests {
    static func shop(targets: String, asOf: String = "2025-03-04") throws -> [GoalResult] {
        var users = "user_id,signup_at\n"
        for (day, n) in [(1, 2), (2, 4), (3, 3), (4, 5)] {
            for i in 0..<n { users += "u\(day)_\(i),2025-03-0\(day)\n" }
        }
        let (data, p) = try TrendsTests.prepare(users: users, sales: "order_id,user_id,ordered_at,amount\n",
                                                since: "2025-03-01", asOf: asOf, trends: #""period": "day", "by_channel": false"#,
                                                targets: targets)
        let analyses = try AnalysisResults.compute(data, pipeline: p)
        return Goals.evaluate(p.targets, metrics: analyses.headlineMetrics, trends: analyses.trends, channelName: { $0 })
    }

    static let s = #"{"metric": "trend.signups", "#

    /// Projections (x counts days from the first point's period):
    /// - from 03-01, points (0, 2), (1, 4), (2, 3), (3, 5): n 4, Σx 6, Σx² 14, Σy 14, Σxy 25 →
    ///   slope (100 − 84) / (56 − 36) = 0.8, intercept (14 − 4.8) / 4 = 2.3;
    /// - from 03-02, points (0, 4), (1, 3), (2, 5): slope (39 − 36) / (15 − 9) = 0.5, intercept 3.5;
    /// - from 03-03, points (0, 3), (1, 5) — exactly two: the line through them, 3 + 2x.
    /// Goals, actual = signups of 03-04 = 5:
    /// 1. increase_by 1 from baseline 03-01 (2) → target 3: met.
    /// 2. increase_by 4 from baseline 03-01 (2, start 03-02) → 6; by 03-10 (x = 8): 3.5 + 4 = 7.5 ≥ 6 → on_track.
    /// 3. increase_by_rate 3 from 2 → 8; 7.5 < 8 → behind.
    /// 4. decrease_by_rate 0.5, start 03-03 → baseline 03-02 (4) → max 2; by 03-04 = as_of → missed;
    ///    projected at x = 1: 5 (two points).
    /// 5. decrease_by 1, start 03-01 → baseline 02-28 is before since (not complete) → no target: no_data;
    ///    projected is still written: by 03-31, x = 30 from 03-01: 2.3 + 24 = 26.3 → 26.
    /// 6. min 5, no start: met (5 ≥ 5), and by 03-10 from the first complete row: 2.3 + 0.8 × 9 = 9.5 → 10
    ///    (half away from zero).
    /// 7. min 10, by 03-10 (no start): projection 9.5 < 10 → behind. 8. min 9: 9.5 ≥ 9 → on_track.
    /// 9. max 3 without by: missed.
    /// 10. increase_by_rate 0.25 from 2 → 2.5, a fractional count target (6 decimals): met, gap 2.5 → 3.
    @Test func everyKindAndStatus() throws {
        let goals = try Self.shop(targets: [
            Self.s + #""increase_by": 1, "start": "2025-03-02"}"#,
            Self.s + #""increase_by": 4, "start": "2025-03-02", "by": "2025-03-10", "label": "on track"}"#,
            Self.s + #""increase_by_rate": 3, "start": "2025-03-02", "by": "2025-03-10"}"#,
            Self.s + #""decrease_by_rate": 0.5, "start": "2025-03-03", "by": "2025-03-04"}"#,
            Self.s + #""decrease_by": 1, "start": "2025-03-01", "by": "2025-03-31"}"#,
            Self.s + #""min": 5, "by": "2025-03-10"}"#,
            Self.s + #""min": 10, "by": "2025-03-10"}"#,
            Self.s + #""min": 9, "by": "2025-03-10"}"#,
            Self.s + #""max": 3}"#,
            Self.s + #""increase_by_rate": 0.25, "start": "2025-03-02"}"#,
        ].joined(separator: ", "))
        #expect(goals.map(\.status) == [.met, .onTrack, .behind, .missed, .noData, .met, .behind, .onTrack, .missed, .met])
        #expect(GoalsTable.csv(goals).text == """
            metric,label,kind,target,actual,status,gap,baseline,start,deadline,projected
            trend.signups,,min,3,5,met,2,2,2025-03-02,,
            trend.signups,on track,min,6,5,on_track,-1,2,2025-03-02,2025-03-10,8
            trend.signups,,min,8,5,behind,-3,2,2025-03-02,2025-03-10,8
            trend.signups,,max,2,5,missed,3,4,2025-03-03,2025-03-04,5
            trend.signups,,max,,5,no_data,,,2025-03-01,2025-03-31,26
            trend.signups,,min,5,5,met,0,,,2025-03-10,10
            trend.signups,,min,10,5,behind,-5,,,2025-03-10,10
            trend.signups,,min,9,5,on_track,-4,,,2025-03-10,10
            trend.signups,,max,3,5,missed,2,,,,
            trend.signups,,min,2.500000,5,met,3,2,2025-03-02,,

            """)
        // The projection is exact: 7.5 and 9.5, not a binary approximation.
        #expect(goals[1].projected == .count(Decimal(string: "7.5")))
        #expect(goals[5].projected == .count(Decimal(string: "9.5")))
        #expect(goals[4].projected == .count(Decimal(string: "26.3")))
    }

    /// A deadline with fewer than two complete points has no projection and is behind when not met:
    /// start 03-04 → one point (03-04 itself); baseline 03-03 = 3 → increase_by 5 → 8.
    @Test func fewerThanTwoPointsIsBehindWithoutAProjection() throws {
        let goals = try Self.shop(targets: Self.s + #""increase_by": 5, "start": "2025-03-04", "by": "2025-03-31"}"#)
        #expect(goals.map(\.status) == [.behind])
        #expect(goals[0].projected == .count(nil))
        #expect(GoalsTable.csv(goals).text.hasSuffix("trend.signups,,min,8,5,behind,-3,3,2025-03-04,2025-03-31,\n"))
    }

    /// goal.behind: the distance from the projection to the target in the KPI's unit (8 − 7.5 = 0.5
    /// users); from the actual without a projection (8 − 5 = 3).
    @Test func goalBehindImpact() throws {
        let goals = try Self.shop(targets: [Self.s + #""increase_by_rate": 3, "start": "2025-03-02", "by": "2025-03-10"}"#,
                                            Self.s + #""increase_by": 5, "start": "2025-03-04", "by": "2025-03-31"}"#].joined(separator: ", "))
        let valuation = ImpactValuation(roi: AdviceFixtures.roi([]), trends: nil)
        let out = GoalRules.suggestions(goals, analyses: AdviceFixtures.analyses(roi: AdviceFixtures.roi([])),
                                        valuation: valuation, channelName: { $0 })
        #expect(out.map(\.rule) == [.goalBehind, .goalBehind])
        #expect(out.map(\.priority) == [.high, .high])
        #expect(out.map(\.impact.value) == [Decimal(string: "0.5")!, 3])
        #expect(out.map(\.impact.unit) == [.users, .users])
        // 0.5 users is written 1 (half away from zero): the suggestion stays.
        #expect(Advice.rank(out).count == 2)
    }

    /// The least-squares line itself, through exactly two and through four points, exactly.
    @Test(arguments: [
        ([(0, "2"), (1, "4")], 5, "12"),                        // 2 + 2 × 5
        ([(0, "2"), (1, "4"), (2, "3"), (3, "5")], 9, "9.5"),
        ([(0, "1"), (2, "2")], 1, "1.5"),                       // a gap in the points (a null period)
        ([(0, "1")], 4, nil),
    ] as [([(Int, String)], Int, String?)])
    func leastSquares(_ points: [(Int, String)], _ x: Int, _ expected: String?) {
        let p = points.map { (x: $0.0, y: Fraction(Decimal(string: $0.1)!)!) }
        #expect(SmartGoal.leastSquares(p, at: x) == expected.map { Fraction(Decimal(string: $0)!)! })
    }

    /// Thirds stay exact: points (0, 1/3), (1, 2/3) → at x = 2, exactly 1.
    @Test func projectionOfRatiosIsExact() {
        let third = Fraction(1, over: 3)!
        #expect(SmartGoal.leastSquares([(0, third), (1, third + third)], at: 2) == Fraction(1))
    }
}
