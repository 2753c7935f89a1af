import Foundation

/// Report: spend against revenue per channel (SPEC §4.3) — two bars per channel on one scale,
/// with the channel's ROAS beside them, in red when the channel's ROI is negative. HTML bars
/// (`HTMLBars`), so the labels keep their size on a phone.
enum SpendRevenueChart {
    /// `spendKnown` false (no channels input, SPEC §3.1): the spend bar says "no spend data" rather than 0.
    static func html(_ rows: [ROIResult.Row], style: NumberStyle, strings: ReportStrings, title: String,
                     spendKnown: Bool = true) -> String {
        let maxValue = rows.map { max(Double($0.spend), Double($0.revenue)) }.max() ?? 0
        let (spendColour, revenueColour) = ("#94a3b8", "#16a34a")
        let bars = rows.map { r in
            HTMLBars.Row(
                label: r.channel,
                bars: [(r.spend, spendColour), (r.revenue, revenueColour)].enumerated().map { j, pair in
                    let (value, colour) = pair
                    let label = j == 0 && !spendKnown ? strings["no_spend_data"] : style.money(ROIResult.money(value), decimals: 0)
                    return HTMLBars.Bar(share: maxValue > 0 ? max(0, Double(value)) / maxValue : 0, colour: colour, value: label)
                },
                note: r.roas.map { "ROAS " + style.number($0, decimals: 2) },
                noteClass: (r.roi ?? 0) < 0 ? "neg" : "pos")
        }
        return HTMLBars.chart(bars, title: title,
                              legend: [(strings["legend_spend"], spendColour), (strings["legend_revenue"], revenueColour)])
    }
}
