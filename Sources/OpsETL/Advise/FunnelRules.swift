import Foundation

/// Advise: the funnel rules `funnel.bottleneck` and `funnel.channel_gap` (SPEC §6).
///
/// Channel benchmarks only count channels with at least `min_funnel_entrants` entrants, so a
/// channel of three users converting 3 of 3 does not set the bar for everyone.
enum FunnelRules {
    static func suggestions(_ funnel: FunnelResult, settings: Suggestions, valuation: ImpactValuation) -> [Suggestion] {
        let all = funnel.segment("all")
        guard all.count >= 2, let first = all.first, first.users > 0, let last = all.last else { return [] }
        // SPEC §6: the rules judge and benchmark channel segments only, never `country:` ones.
        let channels = funnel.channelSegmentIndices.map { (name: funnel.segments[$0], steps: Array(funnel.steps(ofSegmentAt: $0))) }
            .filter { ($0.steps.first?.users ?? 0) >= settings.minFunnelEntrants }
        var out: [Suggestion] = []
        if let bottleneck = bottleneck(all: all, channels: channels, last: last, valuation: valuation) { out.append(bottleneck) }
        let allConversion = Decimal(last.users) / Decimal(first.users)
        for c in channels {
            if let gap = channelGap(c.name, c.steps, all: all, allConversion: allConversion, settings: settings, valuation: valuation) {
                out.append(gap)
            }
        }
        return out
    }

    /// The step (≥ 2) of `all` with the lowest conversion from the previous step; the earliest on a tie.
    private static func bottleneck(all: [FunnelResult.Step], channels: [(name: String, steps: [FunnelResult.Step])],
                                   last: FunnelResult.Step, valuation: ImpactValuation) -> Suggestion? {
        var weakest: FunnelResult.Step?
        for s in all.dropFirst() {
            guard let rate = s.conversionFromPrevious else { continue }
            if weakest == nil || rate < weakest!.conversionFromPrevious! { weakest = s }
        }
        guard let step = weakest, let rate = step.conversionFromPrevious else { return nil }
        let index = step.step - 1
        // The best channel at this step; ties go to the larger channel, then the name.
        var best: (name: String, rate: Decimal, entrants: Int)?
        for c in channels {
            guard let r = c.steps[index].conversionFromPrevious else { continue }
            let entrants = c.steps[0].users
            if best == nil || (r, entrants) > (best!.rate, best!.entrants)
                || ((r, entrants) == (best!.rate, best!.entrants) && c.name < best!.name) {
                best = (c.name, r, entrants)
            }
        }
        if let b = best, b.rate <= rate { best = nil }
        // Users at the last step if this step converted at the best channel's rate and every later
        // step kept its own rate (a later step with no rate projects no users).
        var impact: Decimal = 0
        if let b = best {
            var projected = Decimal(all[index - 1].users) * b.rate
            for later in all[(index + 1)...] { projected *= later.conversionFromPrevious ?? 0 }
            impact = max(0, projected - Decimal(last.users))
        }
        let evidence = SuggestionEvidence.FunnelBottleneck(
            step: step.step, name: step.name, previousName: all[index - 1].name, previousUsers: all[index - 1].users,
            users: step.users, conversion: rate, bestChannel: best?.name, bestConversion: best?.rate,
            lastStepName: last.name, lastStepUsers: last.users)
        return Suggestion(rule: .funnelBottleneck, priority: .medium, step: step.step,
                          evidence: .funnelBottleneck(evidence), impact: valuation.users(impact, channel: nil))
    }

    /// A channel whose funnel conversion is below `channel_gap_ratio` × `all`'s.
    private static func channelGap(_ name: String, _ steps: [FunnelResult.Step], all: [FunnelResult.Step],
                                   allConversion: Decimal, settings: Suggestions, valuation: ImpactValuation) -> Suggestion? {
        guard steps.count >= 2, let first = steps.first, let last = steps.last, first.users > 0 else { return nil }
        let conversion = Decimal(last.users) / Decimal(first.users)
        guard conversion < settings.channelGapRatio * allConversion else { return nil }
        // Where the channel falls furthest behind `all`, step by step; the earliest on a tie.
        var weakest = 1
        var shortfall: Decimal?
        for i in 1..<steps.count {
            guard let mine = steps[i].conversionFromPrevious, let theirs = all[i].conversionFromPrevious else { continue }
            if shortfall == nil || theirs - mine > shortfall! {
                shortfall = theirs - mine
                weakest = i
            }
        }
        let evidence = SuggestionEvidence.FunnelChannelGap(
            channel: name, entrants: first.users, completed: last.users, conversion: conversion,
            allConversion: allConversion, ratio: allConversion.isZero ? 0 : conversion / allConversion,
            weakestStep: weakest + 1, weakestName: steps[weakest].name,
            weakestConversion: steps[weakest].conversionFromPrevious,
            allWeakestConversion: all[weakest].conversionFromPrevious, lastStepName: last.name)
        // Users who would complete the funnel if the channel converted like `all`.
        let impact = Decimal(first.users) * allConversion - Decimal(last.users)
        return Suggestion(rule: .funnelChannelGap, priority: .medium, channel: name, step: weakest + 1,
                          evidence: .funnelChannelGap(evidence), impact: valuation.users(impact, channel: name))
    }
}
