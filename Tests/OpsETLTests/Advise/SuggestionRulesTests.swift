import Foundation
import Testing
@testable import OpsETL

/// SPEC §6: each suggestion rule fires on small crafted results, stays silent just below its
/// threshold, and estimates its impact with the arithmetic worked out in the comments.
@Suite struct SuggestionRulesTests {
    typealias F = AdviceFixtures
    static let settings = Suggestions()
    /// ARPU: x 5000 / 100 = 50, y 1000 / 100 = 10, total 6000 / 200 = 30 (`AdviceFixtures.roi`: 100 signups a channel).
    static let valuation = ImpactValuation(roi: F.roi([("x", "0", "5000"), ("y", "0", "1000")]), trends: nil)
    static func users(_ n: Decimal, _ arpu: Decimal, _ channel: String? = nil) -> Suggestion.Impact {
        .init(n, .users, money: n * arpu, valuation: .perUser(arpu: arpu, channel: channel))
    }

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
        let out = FunnelRules.suggestions(funnel, settings: Self.settings, valuation: Self.valuation)
        let bottleneck = out.first { $0.rule == .funnelBottleneck }
        #expect(bottleneck?.step == 3)
        // Valued at all users' ARPU: 45 × 30.
        #expect(bottleneck?.impact == Self.users(45, 30))
        #expect(bottleneck?.impact.money == 1350)
        guard case .funnelBottleneck(let b)? = bottleneck?.evidence else { Issue.record("no bottleneck"); return }
        #expect(b.bestChannel == "x" && b.bestConversion == F.d("0.5") && b.conversion == F.d("0.2"))
    }

    /// Later steps keep their own rate: all 100 → 40 → 30 (step 2: 0.4 bottleneck, step 3: 0.75);
    /// best channel converts step 2 at 0.8 → 100 × 0.8 × 0.75 = 60, 30 more than 30.
    @Test func bottleneckProjectsThroughLaterSteps() {
        let funnel = F.funnel(steps: ["a", "b", "c"], all: [100, 40, 30], channels: [("x", [50, 40, 30]), ("y", [50, 0, 0])])
        let out = FunnelRules.suggestions(funnel, settings: Self.settings, valuation: Self.valuation)
        #expect(out.first { $0.rule == .funnelBottleneck }?.impact == Self.users(30, 30))
    }

    /// A channel with 29 entrants is too small to benchmark: no best channel, no estimate.
    @Test func bottleneckIgnoresChannelsBelowTheEntrantMinimum() {
        let funnel = F.funnel(steps: ["a", "b"], all: [129, 50], channels: [("x", [29, 29]), ("y", [100, 21])])
        let out = FunnelRules.suggestions(funnel, settings: Self.settings, valuation: Self.valuation)
        let b = out.first { $0.rule == .funnelBottleneck }
        #expect(b?.impact == Self.users(0, 30))
        guard case .funnelBottleneck(let e)? = b?.evidence else { Issue.record("no bottleneck"); return }
        #expect(e.bestChannel == nil)
        // An impact that rounds to 0 is no suggestion (no "about 0 more users").
        #expect(Advice.rank(out.filter { $0.rule == .funnelBottleneck }).isEmpty)
    }

    /// all converts 300 / 1000 = 0.3; half of that is 0.15. x: 100 → 14 (0.14) fires; y: 100 → 15
    /// (exactly half) does not; z has 29 entrants, below the minimum of 30, even at 0.
    @Test func channelGapBelowHalfOfAll() {
        let funnel = F.funnel(steps: ["a", "b"], all: [1000, 300],
                              channels: [("x", [100, 14]), ("y", [100, 15]), ("z", [29, 0])])
        let gaps = FunnelRules.suggestions(funnel, settings: Self.settings, valuation: Self.valuation).filter { $0.rule == .funnelChannelGap }
        #expect(gaps.map(\.channel) == ["x"])
        // If x converted like all: 100 × 0.3 − 14 = 16 more users; its weakest step is step 2.
        // Valued at x's own ARPU: 16 × 50.
        #expect(gaps.first?.impact == Self.users(16, 50, "x"))
        #expect(gaps.first?.step == 2)
    }

    // MARK: retention.decline

    /// p1 of the three latest complete cohorts: 40/100, 30/100, 20/100 — falling each time. The
    /// newest (partial) cohort is skipped. At 0.4 the newest 100 users would keep 40 − 20 = 20 more.
    @Test func retentionDeclineOverTheLatestCompleteCohorts() {
        let r = F.retention([(100, 10, false), (100, 40, false), (100, 30, false), (100, 20, false), (100, 90, true)])
        let out = RetentionRules.suggestions(r, valuation: Self.valuation)
        #expect(out.count == 1)
        #expect(out.first?.cohort == LocalDate(iso: "2025-01-27"))
        #expect(out.first?.impact == Self.users(20, 30))
    }

    @Test func retentionFlatStepIsNoDecline() {
        #expect(RetentionRules.suggestions(F.retention([(100, 40, false), (100, 30, false), (100, 30, false)]),
                                           valuation: Self.valuation).isEmpty)
        #expect(RetentionRules.suggestions(F.retention([(100, 40, false), (100, 30, false)]), valuation: Self.valuation).isEmpty)
    }

    // MARK: goal.missed and quality.rejects

    /// SPEC §6: a missed goal's impact is a total for the period analysed. ROI table: x spend 1000,
    /// revenue 5000; y spend 0, revenue 1000; 100 signups and 10 paying users each → total spend 1000,
    /// 20 paying users (CAC 50), ROI (6000 − 1000) / 1000 = 5, ARPU 6000 / 200 = 30. Retention p1:
    /// 3 complete cohorts of 100 with 30 active (the partial fourth is left out) → 0.3 over 300 users.
    /// - retention.p1 ≥ 0.4: 0.1 × 300 = 30 users, × 30 = 900;
    /// - cac.total ≤ 40: spend to save 1000 − 40 × 20 = 200;
    /// - roi.total ≥ 6: 1 × the spend of 1000 = 1000 of gross profit;
    /// - signups.total ≥ 250: 50 users, × 30 = 1500.
    @Test func goalMissedNamesItsAnalysisWithATotalImpact() {
        let roi = F.roi([("x", "1000", "5000"), ("y", "0", "1000")])
        let retention = F.retention([(100, 30, false), (100, 30, false), (100, 30, false), (100, 90, true)])
        let analyses = F.analyses(roi: roi, retention: retention)
        let goals = Goals.evaluate([F.target("retention.p1", min: "0.4"), F.target("cac.total", max: "40"),
                                    F.target("roi.total", min: "6"), F.target("signups.total", min: "250")],
                                   metrics: retention.headlineMetrics() + roi.headlineMetrics(), channelName: { $0 })
        #expect(goals.map(\.status) == [.missed, .missed, .missed, .missed])
        let out = GoalRules.suggestions(goals, analyses: analyses, valuation: ImpactValuation(analyses), channelName: { $0 })
        #expect(out.map(\.impact) == [Self.users(30, 30), .init(200, .money), .init(1000, .money), Self.users(50, 30)])
        let analysesNamed = out.compactMap { s -> SuggestionEvidence.AnalysisName? in
            if case .goalMissed(_, let a, _) = s.evidence { return a }
            return nil
        }
        #expect(analysesNamed == [.retention, .roi, .roi, .roi])
    }

    /// A missed CAC maximum is the spend to save at today's paying users, not the per-customer gap:
    /// spend 1000, 10 paying users (CAC 100), max 70 → save 1000 − 70 × 10 = 300; or win 1000 / 70 − 10 ≈ 4.29 more.
    @Test func missedCACIsTheSpendToSave() {
        let roi = F.roi([("x", "1000", "5000")])
        let analyses = F.analyses(roi: roi)
        let goals = Goals.evaluate([F.target("cac.x", max: "70")], metrics: roi.headlineMetrics(), channelName: { $0 })
        #expect(goals.map(\.status) == [.missed])
        let out = GoalRules.suggestions(goals, analyses: analyses, valuation: ImpactValuation(analyses), channelName: { $0 })
        #expect(out.map(\.impact) == [.init(300, .money)])
        #expect(out.first?.channel == "x")
        guard case .goalMissed(_, _, .cac(let spend, let paying, let toWin))? = out.first?.evidence else {
            Issue.record("no CAC basis"); return
        }
        #expect(spend == 1000 && paying == 10 && toWin == F.d("1000") / 70 - 10)
    }

    /// 1 of 100 is exactly 1 %: not above. 2 of 100 is; the top reason is the most frequent,
    /// ties broken by name.
    @Test func qualityRejectsAboveOnePercent() {
        let at = QualityRules.suggestions([F.quality(.sales, read: 100, rejects: ["bad_amount:amount": 1])], settings: Self.settings,
                                          valuation: Self.valuation)
        #expect(at.isEmpty)
        let above = QualityRules.suggestions([F.quality(.sales, read: 100, rejects: ["missing:user_id": 1, "bad_amount:amount": 1])],
                                             settings: Self.settings, valuation: Self.valuation)
        #expect(above.map(\.impact) == [.init(2, .rows)])
        guard case .qualityRejects(let q)? = above.first?.evidence else { Issue.record("no quality suggestion"); return }
        #expect(q.topReason == "bad_amount:amount" && q.topReasonCount == 1)
        // A rejected sales row stands for no known money; a rejected users row is a user, at all users' ARPU (30).
        #expect(above.first?.impact.money == nil)
        let users = QualityRules.suggestions([F.quality(.users, read: 100, rejects: ["missing:user_id": 2])],
                                             settings: Self.settings, valuation: Self.valuation)
        #expect(users.map(\.impact) == [.init(2, .rows, money: 60, valuation: .perUser(arpu: 30, channel: nil))])
    }

    // MARK: ranking

    /// Priority first (high before medium), then `impact_value` (money; none last), then the impact in
    /// its own unit, then rule order; impacts that round to 0 are dropped; ranks are 1…n.
    @Test func rankingOrder() {
        let e = SuggestionEvidence.qualityRejects(.init(input: .sales, rejected: 1, rowsRead: 2, rate: 0.5, threshold: 0.01,
                                                        topReason: "r", topReasonCount: 1))
        let raw = [
            Suggestion(rule: .qualityRejects, priority: .medium, evidence: e, impact: .init(5000, .rows)),       // no money: last
            Suggestion(rule: .roiScale, priority: .medium, channel: "b", evidence: e, impact: .init(500, .money)),
            Suggestion(rule: .goalMissed, priority: .high, evidence: e, impact: .init(1, .money)),
            Suggestion(rule: .roiCut, priority: .high, channel: "a", evidence: e, impact: .init(1, .money)),
            // 5 users worth 5 × 120 = 600 outrank 500 of money.
            Suggestion(rule: .funnelBottleneck, priority: .medium, step: 2, evidence: e, impact: Self.users(5, 120)),
            Suggestion(rule: .funnelChannelGap, priority: .medium, channel: "c", evidence: e, impact: Self.users(F.d("0.49"), 1000)),
        ]
        let ranked = Advice.rank(raw)
        #expect(ranked.map(\.rule) == [.roiCut, .goalMissed, .funnelBottleneck, .roiScale, .qualityRejects])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(Advice.rank(raw.reversed()).map(\.rule) == ranked.map(\.rule))
        #expect(SuggestionsTable.csv(ranked, wordings: [], strings: ReportStrings(.en), currency: "CNY").text
            == SuggestionsTable.header.joined(separator: ",") + "\n")
    }
}
