import Foundation
import Testing
@testable import OpsETL

/// SPEC §6 `trend.drop`: a watched KPI of `all` whose growth is ≤ −`drop_threshold` (exactly), naming
/// the channel whose change is most negative (ties by name), impact −change of `all`.
@Suite struct TrendDropTests {
    /// Signups by day and channel on 2025-03-01 and 03-02 (day periods; both complete, L = 03-02).
    static func trends(_ day1: [(String, Int)], _ day2: [(String, Int)]) throws -> TrendsResult {
        var users = "user_id,signup_at,channel\n"
        for (day, counts) in [(1, day1), (2, day2)] {
            for (channel, n) in counts { for i in 0..<n { users += "\(channel)\(day)_\(i),2025-03-0\(day),\(channel)\n" } }
        }
        let (data, p) = try TrendsTests.prepare(users: users, sales: "order_id,user_id,ordered_at,amount\n",
                                                since: "2025-03-01", asOf: "2025-03-02", trends: #""period": "day""#)
        return TrendsTests.run(data, p)
    }

    /// ARPU of all users: (600 + 400) / 200 = 5 (`AdviceFixtures.roi`: 100 signups a channel).
    static let valuation = ImpactValuation(roi: AdviceFixtures.roi([("fb", "0", "600"), ("google", "0", "400")]), trends: nil)

    static func rules(_ t: TrendsResult, threshold: String) -> [Suggestion] {
        var settings = Suggestions()
        settings.dropThreshold = Decimal(string: threshold)!
        return TrendRules.suggestions(t, settings: settings, valuation: valuation)
    }

    /// 10 → 9 signups: growth −1/10 = −0.1, exactly the default threshold → fires; fb 6 → 6, google
    /// 4 → 3, so google fell the most. Just above the threshold (0.100001) it is silent. The other
    /// watched KPIs are 0 in both days: their growth is null (a previous value of 0), no drop.
    @Test func firesAtExactlyTheThresholdNamingTheChannelThatFellMost() throws {
        let t = try Self.trends([("fb", 6), ("google", 4)], [("fb", 6), ("google", 3)])
        let out = Self.rules(t, threshold: "0.10")
        #expect(out.map(\.rule) == [.trendDrop])
        #expect(out.first?.channel == "google")
        #expect(out.first?.priority == .medium)
        // −change of all = 1 user, valued at all users' ARPU of 5.
        #expect(out.first?.impact == .init(1, .users, money: 5, valuation: .perUser(arpu: 5, channel: nil)))
        guard case .trendDrop(let d)? = out.first?.evidence else { Issue.record("no trend.drop"); return }
        #expect(d.kpi == .signups && d.value == 9 && d.previousValue == 10 && d.change == -1 && d.growth == Decimal(string: "-0.1"))
        #expect(d.channelValue == 3 && d.channelPreviousValue == 4 && d.channelChange == -1)
        #expect(d.period == LocalDate(iso: "2025-03-02") && d.previousPeriod == LocalDate(iso: "2025-03-01"))
        #expect(Self.rules(t, threshold: "0.100001").isEmpty)
        #expect(Self.rules(t, threshold: "0.09").count == 1)
    }

    /// 10 → 8: fb 6 → 5 and google 4 → 3 fall by 1 each: the tie goes to the name first in byte order.
    @Test func tiesGoToTheFirstName() throws {
        let t = try Self.trends([("google", 4), ("fb", 6)], [("google", 3), ("fb", 5)])
        #expect(Self.rules(t, threshold: "0.10").map(\.channel) == ["fb"])
    }

    /// The wording names the KPI, the fall and the channel, in both languages.
    @Test func wording() throws {
        let t = try Self.trends([("fb", 6), ("google", 4)], [("fb", 6), ("google", 3)])
        let s = try #require(Self.rules(t, threshold: "0.10").first)
        let context = SuggestionWording.Context(period: .week, minFunnelEntrants: 30, trendsPeriod: .day)
        let en = SuggestionWording(s, strings: ReportStrings(.en), style: NumberStyle(strings: ReportStrings(.en), currency: "USD"),
                                   context: context)
        #expect(en.finding == "Signups fell 10.0% in the day of 2025-03-02 against the day before (10 → 9); google fell the most (4 → 3).")
        #expect(en.impact == "1 users")
        #expect(en.assumption.hasSuffix("Valued at the ARPU of all users, $5.00 per user: $5.00."))
        let zhStrings = ReportStrings(.zh)
        let zh = SuggestionWording(s, strings: zhStrings, style: NumberStyle(strings: zhStrings, currency: "CNY"), context: context)
        #expect(zh.finding == "新注册用户在 2025年3月2日 这一日环比下降 10.0%（10 → 9）；其中 google 降幅最大（4 → 3）。")
    }
}
