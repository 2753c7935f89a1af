import Foundation
import Testing
@testable import OpsETL

/// SPEC §6: each suggestion rule fires on small crafted results, stays silent just below its
/// threshold, and estimates its impact with the arithmetic worked out in the comments.
@Suite struct SuggestionRulesTests {
    typealias F = AdviceFixtures
    static let settings = Suggestions()

    // MARK: roi.cut and roi.scale

    /// A: spend 1000, revenue 500 → ROI −0.5, ROAS 0.5 (margin 1).
    /// B: spend 1000, revenue 6000 → ROAS 6. C: spend 2000, revenue 3000 → ROAS 1.5.
    /// total_paid ROAS = 9500 / 4000 = 2.375; 1.5 × 2.375 = 3.5625, so only B scales.
    @Test func cutAndScaleWithReallocation() {
        let out = ROIRules.suggestions(F.roi([("a", "1000", "500"), ("b", "1000", "6000"), ("c", "2000", "3000")]),
                                       settings: Self.settings)
        #expect(out.map(\.rule) == [.roiCut, .roiScale])
        #expect(out.map(\.channel) == ["a", "b"])
        // Cut: spend − gross profit = 1000 − 500.
        #expect(out[0].impact == .init(500, .money))
        guard case .roiScale(let f, let paid, let ratio, _, let move?) = out[1].evidence else {
            Issue.record("roi.scale without a reallocation"); return
        }
        #expect(f.roas == 6 && paid == F.d("2.375") && ratio == 6 / F.d("2.375"))
        // Move 20 % of A's 1000 = 200 to B: 200 × (6 − 0.5) = 1100 more revenue.
        #expect(move == .init(from: "a", fromROAS: F.d("0.5"), to: "b", toROAS: 6, amount: 200))
        #expect(out[1].impact == .init(1100, .money))
    }

    /// Without a losing channel the scale estimate is the revenue of 20 % more budget at the
    /// channel's ROAS: B spend 1000, ROAS 6 → 0.2 × 1000 × 6 = 1200.
    @Test func scaleWithoutACutChannelEstimatesMoreBudget() {
        let out = ROIRules.suggestions(F.roi([("b", "1000", "6000"), ("c", "2000", "2400")]), settings: Self.settings)
        #expect(out.map(\.rule) == [.roiScale])
        #expect(out[0].impact == .init(1200, .money))
    }

    /// A at ROI 0 (revenue = spend) is not a cut. B: total_paid ROAS = (1000 + R) / 2000 and B
    /// scales when R / 1000 ≥ 1.5 × that, i.e. R ≥ 3000: 3000 fires, 2999.99 does not.
    @Test func scaleThresholdIsInclusiveAndExact() {
        let at = ROIRules.suggestions(F.roi([("a", "1000", "1000"), ("b", "1000", "3000")]), settings: Self.settings)
        #expect(at.map(\.rule) == [.roiScale])
        let below = ROIRules.suggestions(F.roi([("a", "1000", "1000"), ("b", "1000", "2999.99")]), settings: Self.settings)
        #expect(below.isEmpty)
    }

    /// A has exactly 5 % of spend (50 of 1000) and fires; at 49.99 of 1000 it is below the share.
    @Test func minSpendShareIsInclusive() {
        let at = ROIRules.suggestions(F.roi([("a", "50", "10"), ("b", "950", "950")]), settings: Self.settings)
        #expect(at.map(\.rule) == [.roiCut])
        let below = ROIRules.suggestions(F.roi([("a", "49.99", "10"), ("b", "950.01", "950.01")]), settings: Self.settings)
        #expect(below.isEmpty)
    }

    /// With margin 0.25 a channel of ROAS 3 has ROI −0.25: it is cut and, although its ROAS is
    /// 1.5 × the paid ROAS, never told to scale.
    @Test func aLosingChannelIsNeverScaled() {
        let out = ROIRules.suggestions(F.roi([("a", "1000", "3000"), ("b", "1000", "500")], grossMargin: "0.25"),
                                       settings: Self.settings)
        #expect(out.map(\.rule) == [.roiCut, .roiCut])
    }

    // MARK: funnel.bottleneck and funnel.channel_gap

    /// all: 200 → 150 → 30 (step 2: 0.75, step 3: 0.2 → the bottleneck).
    /// x: 100 → 80 → 40 converts step 3 at 0.5; y: 100 → 70 → 0 at 0. The best channel at step 3
    /// is x: 150 × 0.5 = 75 users would reach the last step, 45 more than 30.
    @Test func bottleneckUsesTheBestChannelAtThatStep() {
        let funnel = F.funnel(steps: ["signup", "view", "buy"], all: [200, 150, 30],
                              channels: [("x", [100, 80, 40]), ("y", [100, 70, 0])])
        let out = FunnelRules.suggestions(funnel, settings: Self.settings)
        let bottleneck = out.first { $0.rule == .funnelBottleneck }
        #expect(bottleneck?.step == 3)
        #expect(bottleneck?.impact == .init(45, .users))
        guard case .funnelBottleneck(let b)? = bottleneck?.evidence else { Issue.record("no bottleneck"); return }
        #expect(b.bestChannel == "x" && b.bestConversion == F.d("0.5") && b.conversion == F.d("0.2"))
    }

    /// Later steps keep their own rate: all 100 → 40 → 30 (step 2: 0.4 bottleneck, step 3: 0.75);
    /// best channel converts step 2 at 0.8 → 100 × 0.8 × 0.75 = 60, 30 more than 30.
    @Test func bottleneckProjectsThroughLaterSteps() {
        let funnel = F.funnel(steps: ["a", "b", "c"], all: [100, 40, 30], channels: [("x", [50, 40, 30]), ("y", [50, 0, 0])])
        let out = FunnelRules.suggestions(funnel, settings: Self.settings)
        #expect(out.first { $0.rule == .funnelBottleneck }?.impact == .init(30, .users))
    }

    /// A channel with 29 entrants is too small to benchmark: no best channel, no estimate.
    @Test func bottleneckIgnoresChannelsBelowTheEntrantMinimum() {
        let funnel = F.funnel(steps: ["a", "b"], all: [129, 50], channels: [("x", [29, 29]), ("y", [100, 21])])
        let out = FunnelRules.suggestions(funnel, settings: Self.settings)
        let b = out.first { $0.rule == .funnelBottleneck }
        #expect(b?.impact == .init(0, .users))
        guard case .funnelBottleneck(let e)? = b?.evidence else { Issue.record("no bottleneck"); return }
        #expect(e.bestChannel == nil)
    }

    /// all converts 300 / 1000 = 0.3; half of that is 0.15. x: 100 → 14 (0.14) fires; y: 100 → 15
    /// (exactly half) does not; z has 29 entrants, below the minimum of 30, even at 0.
    @Test func channelGapBelowHalfOfAll() {
        let funnel = F.funnel(steps: ["a", "b"], all: [1000, 300],
                              channels: [("x", [100, 14]), ("y", [100, 15]), ("z", [29, 0])])
        let gaps = FunnelRules.suggestions(funnel, settings: Self.settings).filter { $0.rule == .funnelChannelGap }
        #expect(gaps.map(\.channel) == ["x"])
        // If x converted like all: 100 × 0.3 − 14 = 16 more users; its weakest step is step 2.
        #expect(gaps.first?.impact == .init(16, .users))
        #expect(gaps.first?.step == 2)
    }

    // MARK: retention.decline

    /// p1 of the three latest complete cohorts: 40/100, 30/100, 20/100 — falling each time. The
    /// newest (partial) cohort is skipped. At 0.4 the newest 100 users would keep 40 − 20 = 20 more.
    @Test func retentionDeclineOverTheLatestCompleteCohorts() {
        let r = F.retention([(100, 10, false), (100, 40, false), (100, 30, false), (100, 20, false), (100, 90, true)])
        let out = RetentionRules.suggestions(r)
        #expect(out.count == 1)
        #expect(out.first?.cohort == LocalDate(iso: "2025-01-27"))
        #expect(out.first?.impact == .init(20, .users))
    }

    @Test func retentionFlatStepIsNoDecline() {
        #expect(RetentionRules.suggestions(F.retention([(100, 40, false), (100, 30, false), (100, 30, false)])).isEmpty)
        #expect(RetentionRules.suggestions(F.retention([(100, 40, false), (100, 30, false)])).isEmpty)
    }

    // MARK: goal.missed and quality.rejects

    @Test func goalMissedNamesItsAnalysisWithTheGapAsImpact() {
        let goals = GoalsTests.evaluate([F.target("retention.p1", min: "0.3"), F.target("cac.total", max: "70"),
                                         F.target("roi.total", min: "0.1"), F.target("signups.total", min: "20")])
        let out = GoalRules.suggestions(goals)
        #expect(out.map(\.impact) == [.init(F.d("0.0500001"), .rate), .init(10, .money), .init(8, .users)])
        let analyses = out.compactMap { s -> SuggestionEvidence.AnalysisName? in
            if case .goalMissed(_, let a) = s.evidence { return a }
            return nil
        }
        #expect(analyses == [.retention, .roi, .roi])
    }

    /// 1 of 100 is exactly 1 %: not above. 2 of 100 is; the top reason is the most frequent,
    /// ties broken by name.
    @Test func qualityRejectsAboveOnePercent() {
        let at = QualityRules.suggestions([F.quality(.sales, read: 100, rejects: ["bad_amount:amount": 1])], settings: Self.settings)
        #expect(at.isEmpty)
        let above = QualityRules.suggestions([F.quality(.sales, read: 100, rejects: ["missing:user_id": 1, "bad_amount:amount": 1])],
                                             settings: Self.settings)
        #expect(above.map(\.impact) == [.init(2, .rows)])
        guard case .qualityRejects(let q)? = above.first?.evidence else { Issue.record("no quality suggestion"); return }
        #expect(q.topReason == "bad_amount:amount" && q.topReasonCount == 1)
    }

    // MARK: ranking

    /// Priority first (high before medium), then larger impact, then rule order; ranks are 1…n.
    @Test func rankingOrder() {
        let e = SuggestionEvidence.qualityRejects(.init(input: .sales, rejected: 1, rowsRead: 2, rate: 0.5, threshold: 0.01,
                                                        topReason: "r", topReasonCount: 1))
        let raw = [
            Suggestion(rule: .qualityRejects, priority: .medium, evidence: e, impact: .init(5, .rows)),
            Suggestion(rule: .roiScale, priority: .medium, channel: "b", evidence: e, impact: .init(500, .money)),
            Suggestion(rule: .goalMissed, priority: .high, evidence: e, impact: .init(1, .money)),
            Suggestion(rule: .roiCut, priority: .high, channel: "a", evidence: e, impact: .init(1, .money)),
            Suggestion(rule: .funnelBottleneck, priority: .medium, step: 2, evidence: e, impact: .init(5, .users)),
        ]
        let ranked = Advice.rank(raw)
        #expect(ranked.map(\.rule) == [.roiCut, .goalMissed, .roiScale, .funnelBottleneck, .qualityRejects])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(Advice.rank(raw.reversed()).map(\.rule) == ranked.map(\.rule))
    }
}
