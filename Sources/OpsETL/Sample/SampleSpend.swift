/// Sample: `channel_spend.csv` — one row per day and campaign of 2025, sized so each paid
/// channel's cost per signup is realistic (TikTok deliberately too expensive, so ROI has a loser).
struct SampleSpend {
    let shop: SampleShop

    /// (spelling in the export, campaign, share of the channel's spend, channel index in
    /// `SampleUserWriter.channelWeights`, cost per signup in euros, which days it runs).
    private static let campaigns: [(StaticString, StaticString, Int, Int, Int, Schedule)] = [
        ("google", "Search_Brand", 40, 1, 22, .daily),
        ("google", "Search_Generic", 60, 1, 22, .daily),
        ("Facebook Ads", "Prospecting", 70, 2, 38, .daily),
        ("Facebook Ads", "Retargeting", 30, 2, 38, .daily),
        ("TikTok Ads", "Spark", 100, 3, 260, .fromApril),
        ("email", "Newsletter", 100, 4, 4, .tuesdayAndFriday),
        ("affiliate", "Partners", 100, 5, 30, .mondays),
    ]

    private enum Schedule { case daily, fromApril, tuesdayAndFriday, mondays }

    func bytes() -> (bytes: [UInt8], rows: Int) {
        var out = SampleBytes(capacity: 1 << 17)
        var rows = 0
        let firstDay = Int(LocalDate(year: 2025, month: 1, day: 1)!.days)
        let signupDays = Double(shop.end - shop.start - 7 * 86_400) / 86_400
        let perMille = SampleUserWriter.channelWeights.reduce(0, +)
        for day in firstDay..<(firstDay + 365) {
            var rng = SampleRandom(seed: shop.seed, stream: UInt64.max - UInt64(day - firstDay))
            let weekday = LocalDate(days: Int32(day)).isoWeekday
            for (spelling, campaign, share, channel, cac, schedule) in Self.campaigns {
                let days: Int
                switch schedule {
                case .daily: days = 1
                case .fromApril: days = day - firstDay >= 90 ? 1 : 0
                case .tuesdayAndFriday: days = weekday == 2 ? 4 : weekday == 5 ? 3 : 0
                case .mondays: days = weekday == 1 ? 7 : 0
                }
                guard days > 0 else { continue }
                let signups = Double(shop.users) / signupDays * Double(SampleUserWriter.channelWeights[channel]) / Double(perMille)
                let noise = 80 + rng.below(41)
                let cents = Int(signups * Double(days * cac * share * noise) / 100)
                let impressions = cents / 100 * (20 + rng.below(21))
                let clicks = impressions * (1 + rng.below(3)) / 100
                var line = SampleBytes(capacity: 80)
                line.date(days: day)
                line.comma()
                line.text(spelling)
                line.comma()
                line.text(campaign)
                line.comma()
                let grouped = rng.chance(2000)
                if grouped && cents >= 100_000 {
                    line.byte(0x22); line.money(cents: cents, grouped: true); line.byte(0x22)
                } else {
                    line.money(cents: cents, grouped: false)
                }
                line.comma()
                if grouped && impressions >= 1000 {
                    line.byte(0x22); line.count(impressions, grouped: true); line.byte(0x22)
                } else {
                    line.int(impressions)
                }
                line.comma()
                line.int(clicks)
                line.newline()
                let copies = rng.chance(100) ? 2 : 1             // 1 % exported twice
                for _ in 0..<copies { out.bytes += line.bytes }
                rows += copies
            }
        }
        return (out.bytes, rows)
    }
}
