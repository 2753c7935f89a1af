import Foundation
import Testing
@testable import OpsETL

/// SPEC §4.4 and §4.5 through the real pipeline: small shops written as CSV, prepared (ingest →
/// integrate) and handed to `TrendsAnalysis`; the tables are read back as `TrendsTables` writes
/// them. Every expected number is worked out by hand in the comments next to it.
@Suite struct TrendsTests {
    static func prepare(users: String, sales: String, events: String? = nil, channels: String = "date,channel,spend\n",
                        since: String, asOf: String, trends: String, retention: String = "",
                        targets: String = "") throws -> (IntegratedData, Pipeline) {
        let f = PipelineFixture()
        f.dir.write("users.csv", users)
        f.dir.write("sales.csv", sales)
        f.dir.write("channels.csv", channels)
        if let events { f.dir.write("events.csv", events) }
        let json = """
            {
              "version": 1, "name": "t", "timezone": "UTC", "since": "\(since)", "as_of": "\(asOf)",
              "inputs": {
                "users": { "path": "users.csv" }, "sales": { "path": "sales.csv" },
                "channels": { "path": "channels.csv" }\(events == nil ? "" : #", "events": { "path": "events.csv" }"#)
              },
              "cleaning": { "max_reject_rate": 1 },
              "retention": { \(retention) },
              "trends": { \(trends) },
              "targets": [\(targets)],
              "output": { "dir": "out/{as_of}" }
            }
            """
        let job = try f.job(json)
        return (try job.prepare().data, job.pipeline)
    }

    static func run(_ data: IntegratedData, _ p: Pipeline, partitions: Int? = nil) -> TrendsResult {
        let plan = TrendsAnalysis.plan(data, trends: p.trends, weekStart: p.retention.weekStart)
        return TrendsAnalysis.compute(data, plan: plan, partitions: partitions)
    }

    // MARK: - Weeks, with since and as_of in mid-week

    /// 2025-01-01 is a Wednesday, 2025-01-22 too: Monday weeks 12-30 (D = 01-01…01-05, partial),
    /// 01-06 and 01-13 (complete), 01-20 (D = 01-20…01-22, partial).
    /// Users: a fb/CN signs up 01-02; b google/no country 01-07; c fb/US 2024-12-20 (before since);
    /// d fb/CN 01-14, who bought on 01-08, before signing up.
    static let users = """
        user_id,signup_at,channel,country
        a,2025-01-02,fb,CN
        b,2025-01-07,google,
        c,2024-12-20,fb,US
        d,2025-01-14,fb,CN

        """
    /// o4 is a refund line (revenue, not a purchase); o9 is in the first week but before since.
    static let sales = """
        order_id,user_id,ordered_at,amount
        o1,a,2025-01-03,10
        o2,a,2025-01-08,20
        o3,b,2025-01-08,30
        o4,b,2025-01-09,-5
        o5,c,2025-01-14,40
        o6,c,2025-01-15,50
        o7,d,2025-01-08,60
        o8,a,2025-01-21,70
        o9,c,2024-12-31,15

        """
    /// tiktok has spend and no user; the fb row of 2024-12-31 is before since.
    static let channels = """
        date,channel,spend
        2025-01-07,google,100
        2025-01-14,tiktok,50
        2025-01-15,fb,30
        2024-12-31,fb,999

        """

    static func weekShop(byCountry: Bool = true) throws -> (IntegratedData, Pipeline) {
        try prepare(users: users, sales: sales, channels: channels, since: "2025-01-01", asOf: "2025-01-22",
                    trends: #""period": "week", "by_country": \#(byCountry)"#)
    }

    /// Row by row (all):
    /// - 12-30: signups a; base a, c; o1 → 1 order, 1 paying/active, a's first purchase → new paying 1;
    ///   revenue 10; no spend in D → 0, so roas null; stickiness 1 user-day / 5 days / 1 = 0.2.
    /// - 01-06: signups b; base a, b, c; o2, o3, o7 → 3 orders, paying {a, b, d} (d before signup);
    ///   new paying b, d; revenue 20 + 30 − 5 + 60 = 105; spend 100; aov = arppu = 35; roas 1.05; 3 / 7 / 3.
    /// - 01-13: signups d; base 4; o5, o6 (c) → 2 orders, 1 paying, c's first purchase was 12-31 → 0 new;
    ///   revenue 90; spend 50 + 30; aov 45, arppu 90, roas 1.125; c active 2 days: 2 / 7 / 1.
    /// - 01-20: o8 → 1, 1, 1, 0 new; revenue 70; spend 0; 1 / 3 / 1.
    /// fb (a, c, d): 12-30 like all; 01-06 o2 + o7: 80, new paying d; 01-13 o5 + o6 and fb's spend 30 → roas 3.
    /// google (b): only 01-06 (o3, o4 → 25, spend 100, roas 0.25); empty weeks have null ratios.
    /// tiktok: spend 50 on 01-13 and nothing else, roas 0 / 50 = 0.
    /// country:CN (a, d), country:US (c), country:unknown (b): spend null.
    @Test func weeksWithPartialFirstAndLastRows() throws {
        let (data, p) = try Self.weekShop()
        let t = Self.run(data, p)
        #expect(t.segments == [.all, .channel("fb"), .channel("google"), .channel("tiktok"),
                               .country("CN"), .country("US"), .country("unknown")])
        #expect(TrendsTables.trends(t).text == """
            segment,period,partial,signups,total_users,active_users,paying_users,new_paying_users,orders,revenue,spend,aov,arppu,roas,stickiness
            all,2024-12-30,true,1,2,1,1,1,1,10.00,0.00,10.00,10.00,,0.200000
            all,2025-01-06,false,1,3,3,3,2,3,105.00,100.00,35.00,35.00,1.050000,0.142857
            all,2025-01-13,false,1,4,1,1,0,2,90.00,80.00,45.00,90.00,1.125000,0.285714
            all,2025-01-20,true,0,4,1,1,0,1,70.00,0.00,70.00,70.00,,0.333333
            fb,2024-12-30,true,1,2,1,1,1,1,10.00,0.00,10.00,10.00,,0.200000
            fb,2025-01-06,false,0,2,2,2,1,2,80.00,0.00,40.00,40.00,,0.142857
            fb,2025-01-13,false,1,3,1,1,0,2,90.00,30.00,45.00,90.00,3.000000,0.285714
            fb,2025-01-20,true,0,3,1,1,0,1,70.00,0.00,70.00,70.00,,0.333333
            google,2024-12-30,true,0,0,0,0,0,0,0.00,0.00,,,,
            google,2025-01-06,false,1,1,1,1,1,1,25.00,100.00,25.00,25.00,0.250000,0.142857
            google,2025-01-13,false,0,1,0,0,0,0,0.00,0.00,,,,
            google,2025-01-20,true,0,1,0,0,0,0,0.00,0.00,,,,
            tiktok,2024-12-30,true,0,0,0,0,0,0,0.00,0.00,,,,
            tiktok,2025-01-06,false,0,0,0,0,0,0,0.00,0.00,,,,
            tiktok,2025-01-13,false,0,0,0,0,0,0,0.00,50.00,,,0.000000,
            tiktok,2025-01-20,true,0,0,0,0,0,0,0.00,0.00,,,,
            country:CN,2024-12-30,true,1,1,1,1,1,1,10.00,,10.00,10.00,,0.200000
            country:CN,2025-01-06,false,0,1,2,2,1,2,80.00,,40.00,40.00,,0.142857
            country:CN,2025-01-13,false,1,2,0,0,0,0,0.00,,,,,
            country:CN,2025-01-20,true,0,2,1,1,0,1,70.00,,70.00,70.00,,0.333333
            country:US,2024-12-30,true,0,1,0,0,0,0,0.00,,,,,
            country:US,2025-01-06,false,0,1,0,0,0,0,0.00,,,,,
            country:US,2025-01-13,false,0,1,1,1,0,2,90.00,,45.00,90.00,,0.285714
            country:US,2025-01-20,true,0,1,0,0,0,0,0.00,,,,,
            country:unknown,2024-12-30,true,0,0,0,0,0,0,0.00,,,,,
            country:unknown,2025-01-06,false,1,1,1,1,1,1,25.00,,25.00,25.00,,0.142857
            country:unknown,2025-01-13,false,0,1,0,0,0,0,0.00,,,,,
            country:unknown,2025-01-20,true,0,1,0,0,0,0,0.00,,,,,

            """)
    }

    /// L = 01-13 against 01-06; the year-ago week 2024-01-15 is before since: null, label written.
    /// total_users 4 − 3 = 1 (1/3); active 1 − 3 = −2 (−2/3); new paying 0 − 2 (−1); orders 2 − 3 (−1/3);
    /// revenue 90 − 105 = −15 (−1/7); spend 80 − 100 (−0.2); aov 45 − 35 = 10 (2/7); arppu 90 − 35 = 55
    /// (11/7); roas 1.125 − 1.05 = 0.075 (0.075 / 1.05 = 1/14); stickiness 2/7 − 1/7 = 1/7 (1).
    @Test func kpiChangesAgainstThePreviousWeekWithoutAYearAgo() throws {
        let (data, p) = try Self.weekShop(byCountry: false)
        let t = Self.run(data, p)
        let lines = TrendsTables.changes(t).text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "segment,metric,period,value,previous_period,previous_value,change,change_rate,year_ago_period,year_ago_value,year_ago_change_rate")
        #expect(Array(lines[1...12]) == [
            "all,signups,2025-01-13,1,2025-01-06,1,0,0.000000,2024-01-15,,",
            "all,total_users,2025-01-13,4,2025-01-06,3,1,0.333333,2024-01-15,,",
            "all,active_users,2025-01-13,1,2025-01-06,3,-2,-0.666667,2024-01-15,,",
            "all,paying_users,2025-01-13,1,2025-01-06,3,-2,-0.666667,2024-01-15,,",
            "all,new_paying_users,2025-01-13,0,2025-01-06,2,-2,-1.000000,2024-01-15,,",
            "all,orders,2025-01-13,2,2025-01-06,3,-1,-0.333333,2024-01-15,,",
            "all,revenue,2025-01-13,90.00,2025-01-06,105.00,-15.00,-0.142857,2024-01-15,,",
            "all,spend,2025-01-13,80.00,2025-01-06,100.00,-20.00,-0.200000,2024-01-15,,",
            "all,aov,2025-01-13,45.00,2025-01-06,35.00,10.00,0.285714,2024-01-15,,",
            "all,arppu,2025-01-13,90.00,2025-01-06,35.00,55.00,1.571429,2024-01-15,,",
            "all,roas,2025-01-13,1.125000,2025-01-06,1.050000,0.075000,0.071429,2024-01-15,,",
            "all,stickiness,2025-01-13,0.285714,2025-01-06,0.142857,0.142857,1.000000,2024-01-15,,",
        ])
        // google: previous signups 1 → 0 (−1); tiktok's previous spend 0 → 50: change 50, change_rate empty, never inf.
        #expect(lines.contains("google,signups,2025-01-13,0,2025-01-06,1,-1,-1.000000,2024-01-15,,"))
        #expect(lines.contains("tiktok,spend,2025-01-13,50.00,2025-01-06,0.00,50.00,,2024-01-15,,"))
        #expect(lines.contains("google,aov,2025-01-13,,2025-01-06,25.00,,,2024-01-15,,"))
        #expect(lines.count == 1 + 4 * 12)   // all, fb, google, tiktok × 12 KPIs
        // Headline metrics of all.
        let m = Dictionary(uniqueKeysWithValues: t.headlineMetrics().map { ($0.name, $0.value) })
        #expect(m["trend.revenue"] == .money(90) && m["trend.signups"] == .count(1) && m["trend.roas"] == .rate(Decimal(string: "1.125")))
        #expect(m["growth.spend"] == .rate(Decimal(string: "-0.2")) && m["yoy.revenue"] == .rate(nil))
        #expect(m["growth.total_users"]?.formatted == "0.333333")   // the user growth rate
    }

    /// A(p): a 12-30, 01-06, 01-20; b 01-06; c 12-30 (its 12-31 purchase counts, before since too), 01-13;
    /// d 01-06 (before its signup week 01-13). The lifecycle looks at 12-23 (nobody) too.
    /// - 12-30: a new; c signed up 12-20, not active 12-23 → resurrecting.
    /// - 01-06: a returning; b new; d active before signing up: none of the three; c dormant.
    /// - 01-13: c resurrecting; a, b, d dormant.   - 01-20: a resurrecting; c dormant.
    @Test func lifecycleBuckets() throws {
        let (data, p) = try Self.weekShop()
        #expect(TrendsTables.lifecycle(Self.run(data, p)).text == """
            period,partial,new,returning,resurrecting,dormant
            2024-12-30,true,1,0,1,0
            2025-01-06,false,1,1,0,1
            2025-01-13,false,0,0,1,3
            2025-01-20,true,0,0,1,1

            """)
    }

    /// The merge does not depend on how users are split: one range, one per user, and three.
    @Test func partialsMergedFromSeveralUserRangesEqualOneRange() throws {
        let (data, p) = try Self.weekShop()
        let one = Self.run(data, p, partitions: 1)
        #expect(Self.run(data, p, partitions: 4) == one)
        #expect(Self.run(data, p, partitions: 3) == one)
        // And built by hand, merged in another order, from user ranges and the spend rows.
        let plan = TrendsAnalysis.plan(data, trends: p.trends, weekStart: .monday)
        var merged = TrendsPartial.users(data, range: 2..<4, plan: plan)
        merged.merge(TrendsPartial.spend(data.spend, plan: plan))
        merged.merge(TrendsPartial.users(data, range: 0..<2, plan: plan))
        #expect(TrendsResult(merged) == one)
    }

    // MARK: - Days and months, the year-ago period

    /// Days: rows 2025-01-03 … 01-05; L = 01-05 against 01-04, and 364 days before: 2024-01-07 (a Sunday
    /// like 2025-01-05), complete because since is 2024-01-01.
    /// u1 signs up 2024-01-07 and buys 40; u2 signs up 2025-01-05 and buys 50.
    /// signups: 1 against 0 → change 1, change_rate empty (never inf); a year ago 1 → 0.
    /// revenue: 50 against 0.00; a year ago 40 → (50 − 40) / 40 = 0.25. total_users 2 vs 1 and 1.
    @Test func daysWithAYearAgoAndAPreviousOfZero() throws {
        let (data, p) = try Self.prepare(
            users: "user_id,signup_at\nu1,2024-01-07\nu2,2025-01-05\n",
            sales: "order_id,user_id,ordered_at,amount\no1,u1,2024-01-07,40\no2,u2,2025-01-05,50\n",
            since: "2024-01-01", asOf: "2025-01-05", trends: #""period": "day", "periods": 3, "by_channel": false"#)
        let t = Self.run(data, p)
        #expect(t.periods.map(\.start.description) == ["2025-01-03", "2025-01-04", "2025-01-05"])
        #expect(t.periods.allSatisfy { !$0.partial })
        let lines = TrendsTables.changes(t).text.split(separator: "\n").map(String.init)
        #expect(lines[1] == "all,signups,2025-01-05,1,2025-01-04,0,1,,2024-01-07,1,0.000000")
        #expect(lines[2] == "all,total_users,2025-01-05,2,2025-01-04,1,1,1.000000,2024-01-07,1,1.000000")
        #expect(lines[7] == "all,revenue,2025-01-05,50.00,2025-01-04,0.00,50.00,,2024-01-07,40.00,0.250000")
        #expect(lines[9] == "all,aov,2025-01-05,50.00,2025-01-04,,,,2024-01-07,40.00,0.250000")
        #expect(t.yearAgoValue(.revenue, period: t.periods[2]) == Fraction(40))
        #expect(t.yearAgoValue(.revenue, period: t.periods[1]) == Fraction(0))   // 2024-01-06, complete, nothing sold
    }

    /// Months: since 2025-01-15, as_of 2025-03-10 → rows Jan (D = 01-15…01-31, partial), Feb, Mar (partial).
    /// L = February; January is not complete, so previous values are null (labels still written).
    /// Activity is `visit`: x visits every day of February, y once → 28 + 1 = 29 user-days / 28 days /
    /// 2 users = 29/56 = 0.517857; x alone in January, once on 01-20: 1 / 17 / 1 = 0.058824.
    @Test func monthsAndStickinessOfADailyUserAgainstAOnceUser() throws {
        var events = "user_id,event,occurred_at\nx,visit,2025-01-20\ny,visit,2025-02-14\n"
        for day in 1...28 { events += "x,visit,2025-02-\(day < 10 ? "0" : "")\(day)T10:00:00\n" }
        events += "x,visit,2025-02-03T18:00:00\n"   // a second visit the same day is the same active day
        let (data, p) = try Self.prepare(
            users: "user_id,signup_at\nx,2025-01-15\ny,2025-02-01\n",
            sales: "order_id,user_id,ordered_at,amount\n", events: events,
            since: "2025-01-15", asOf: "2025-03-10", trends: #""period": "month", "activity": ["visit"], "by_channel": false"#)
        let t = Self.run(data, p)
        let trends = TrendsTables.trends(t).text.split(separator: "\n").map(String.init)
        #expect(Array(trends.dropFirst()) == [
            "all,2025-01-01,true,1,1,1,0,0,0,0.00,0.00,,,,0.058824",
            "all,2025-02-01,false,1,2,2,0,0,0,0.00,0.00,,,,0.517857",
            "all,2025-03-01,true,0,2,0,0,0,0,0.00,0.00,,,,",
        ])
        let changes = TrendsTables.changes(t).text.split(separator: "\n").map(String.init)
        #expect(changes[1] == "all,signups,2025-02-01,1,2025-01-01,,,,2024-02-01,,")
        #expect(changes[12] == "all,stickiness,2025-02-01,0.517857,2025-01-01,,,,2024-02-01,,")
        // Lifecycle: x new in January, returning in February (y new), both dormant in March.
        #expect(TrendsTables.lifecycle(t).text == """
            period,partial,new,returning,resurrecting,dormant
            2025-01-01,true,1,0,0,0
            2025-02-01,false,1,1,0,0
            2025-03-01,true,0,0,0,2

            """)
    }

    /// No complete row (since and as_of in the same week): no kpi_changes rows, null headline metrics.
    @Test func withoutACompleteRowThereAreNoChanges() throws {
        let (data, p) = try Self.prepare(users: "user_id,signup_at\nu,2025-01-08\n", sales: "order_id,user_id,ordered_at,amount\n",
                                         since: "2025-01-07", asOf: "2025-01-09", trends: #""period": "week""#)
        let t = Self.run(data, p)
        #expect(t.periods.count == 1 && t.periods[0].partial && t.latestComplete == nil)
        #expect(TrendsTables.changes(t).text == TrendsTables.changesHeader.joined(separator: ",") + "\n")
        let metrics = t.headlineMetrics()
        #expect(metrics.allSatisfy { $0.value.isNull })
    }
}
