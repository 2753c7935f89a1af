import Foundation

/// Report: spend against revenue per channel (SPEC §4.3) — two bars per channel on one scale,
/// with the channel's ROAS beside them, in red when the channel's ROI is negative.
enum SpendRevenueChart {
    /// `spendKnown` false (no channels input, SPEC §3.1): the spend bar says "no spend data" rather than 0.
    static func svg(_ rows: [ROIResult.Row], style: NumberStyle, strings: ReportStrings, title: String,
                    spendKnown: Bool = true) -> String {
        let (labelW, barW, valueW, groupH) = (110.0, 330.0, 170.0, 40.0)
        let maxValue = rows.map { max(Double($0.spend), Double($0.revenue)) }.max() ?? 0
        var svg = SVG(width: labelW + barW + valueW, height: groupH * Double(rows.count) + 30, title: title)
        let (spendColour, revenueColour) = ("#94a3b8", "#16a34a")
        for (i, r) in rows.enumerated() {
            let y = Double(i) * groupH
            svg.text(SVG.clip(r.channel, 15), x: 0, y: y + 21, size: 12)
            for (j, (value, colour)) in [(r.spend, spendColour), (r.revenue, revenueColour)].enumerated() {
                let w = maxValue > 0 ? barW * max(0, Double(value)) / maxValue : 0
                let by = y + 4 + Double(j) * 15
                svg.rect(x: labelW, y: by, w: w, h: 13, fill: colour, extra: "rx=\"2\"")
                let label = j == 0 && !spendKnown ? strings["no_spend_data"] : style.money(ROIResult.money(value), decimals: 0)
                svg.text(label, x: labelW + w + 5, y: by + 11, size: 10.5, fill: "#374151")
            }
            if let roas = r.roas {
                svg.text("ROAS " + style.number(roas, decimals: 2), x: labelW + barW + valueW - 2, y: y + 21, anchor: .end,
                         size: 11, fill: (r.roi ?? 0) < 0 ? "#b91c1c" : "#166534", weight: "600")
            }
        }
        let ly = groupH * Double(rows.count) + 16
        svg.rect(x: labelW, y: ly - 9, w: 12, h: 10, fill: spendColour)
        svg.text(strings["legend_spend"], x: labelW + 16, y: ly, size: 11)
        svg.rect(x: labelW + 90, y: ly - 9, w: 12, h: 10, fill: revenueColour)
        svg.text(strings["legend_revenue"], x: labelW + 106, y: ly, size: 11)
        return svg.rendered
    }
}
