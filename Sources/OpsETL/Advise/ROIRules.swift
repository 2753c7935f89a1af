import Foundation

/// Advise: the channel-budget rules `roi.cut` and `roi.scale` (SPEC §6), from the ROI table.
///
/// Only channels with at least `min_spend_share` of all spend are judged, so a test budget of
/// a few hundred does not produce a headline. A channel losing money (`roi.cut`) is never also
/// told to scale, even if its ROAS is high with a low gross margin: more spend there loses more.
enum ROIRules {
    static func suggestions(_ roi: ROIResult, settings: Suggestions) -> [Suggestion] {
        /// A cut channel's campaigns, largest spend first, so the recommendation says where the money goes.
        func campaigns(_ f: SuggestionEvidence.ChannelFigures) -> [SuggestionEvidence.CampaignSpend] {
            roi.campaigns(of: f.channel).map { c in
                let spend = Fraction(units: c.spend).decimal
                return .init(campaign: c.campaign, spend: spend, share: f.spend.isZero ? 0 : spend / f.spend)
            }
        }
        guard let total = roi.row(ROIResult.total), total.spend > 0 else { return [] }
        let totalSpend = ROIResult.money(total.spend)
        let figures: [SuggestionEvidence.ChannelFigures] = roi.channelRows.compactMap { r in
            let spend = ROIResult.money(r.spend)
            let share = spend / totalSpend
            guard r.spend > 0, share >= settings.minSpendShare, let channelROI = r.roi, let roas = r.roas else { return nil }
            return .init(channel: r.channel, spend: spend, spendShare: share, revenue: ROIResult.money(r.revenue),
                         grossProfit: r.grossProfit, roi: channelROI, roas: roas)
        }

        let cuts = figures.filter { $0.roi < 0 }
        var out = cuts.map { f in
            // Stopping the channel saves its spend and loses the gross profit attributed to it.
            Suggestion(rule: .roiCut, priority: .high, channel: f.channel, evidence: .roiCut(f, campaigns: campaigns(f)),
                       impact: .init(f.spend - f.grossProfit, .money))
        }

        guard let paidROAS = roi.row(ROIResult.totalPaid)?.roas, paidROAS > 0 else { return out }
        let scales = figures.filter { $0.roi >= 0 && $0.roas >= settings.scaleROASRatio * paidROAS }
        // SPEC §6: the worst cut channel (lowest ROI) gives `reallocate_fraction` of its spend to
        // the best scale channel (highest ROAS); ties go to the larger spend, then the name.
        let worst = cuts.min { ($0.roi, -$0.spend, $0.channel) < ($1.roi, -$1.spend, $1.channel) }
        let best = scales.min { (-$0.roas, -$0.spend, $0.channel) < (-$1.roas, -$1.spend, $1.channel) }
        for f in scales {
            let ratio = f.roas / paidROAS
            if let worst, f.channel == best?.channel {
                let amount = settings.reallocateFraction * worst.spend
                let move = SuggestionEvidence.Reallocation(from: worst.channel, fromROAS: worst.roas, to: f.channel,
                                                           toROAS: f.roas, amount: amount)
                // Revenue change at both channels' current ROAS: gained at the best, lost at the worst.
                out.append(Suggestion(rule: .roiScale, priority: .medium, channel: f.channel,
                                      evidence: .roiScale(f, paidROAS: paidROAS, ratio: ratio,
                                                          fraction: settings.reallocateFraction, reallocation: move),
                                      impact: .init(amount * (f.roas - worst.roas), .money)))
            } else {
                // No money-losing channel to take budget from: the revenue of `reallocate_fraction`
                // more budget at the channel's current ROAS.
                out.append(Suggestion(rule: .roiScale, priority: .medium, channel: f.channel,
                                      evidence: .roiScale(f, paidROAS: paidROAS, ratio: ratio,
                                                          fraction: settings.reallocateFraction, reallocation: nil),
                                      impact: .init(settings.reallocateFraction * f.spend * f.roas, .money)))
            }
        }
        return out
    }
}
