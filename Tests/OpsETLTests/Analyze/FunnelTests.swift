import Foundation
import Testing
@testable import OpsETL

/// SPEC §4.2 and §9 through the library: tiny shops in temporary folders, integrated by the real
/// pipeline, then matched. Every expected number is worked out by hand in the comments.
@Suite struct FunnelTests {
    static let noSales = "order_id,user_id,ordered_at,amount\n"

    /// Users, sales and events (with an `event_id` column, so equal tuples can be distinct events)
    /// through ingest → clean → dedupe → integrate.
    static func data(users: String, events: String, sales: String = noSales, timezone: String = "UTC",
                     since: String = "2025-01-01", asOf: String = "2025-01-31") throws -> IntegratedData {
        let f = PipelineFixture()
        f.dir.write("users.csv", "user_id,signup_at,channel\n" + users)
        f.dir.write("sales.csv", sales)
        f.dir.write("channels.csv", "date,channel,spend\n")
        f.dir.write("events.csv", "event_id,user_id,event,occurred_at\n" + events)
        let json = """
            {
              "version": 1, "name": "f", "timezone": "\(timezone)", "since": "\(since)", "as_of": "\(asOf)",
              "inputs": {
                "users": { "path": "users.csv" }, "sales": { "path": "sales.csv" },
                "channels": { "path": "channels.csv" }, "events": { "path": "events.csv" }
              },
              "output": { "dir": "out/{as_of}" }
            }
            """
        return try f.job(json).prepare().data
    }

    static func seconds(_ s: String) -> Decimal { Decimal(string: s)! }

    // MARK: - A repeat purchase, channels, headlines and the exact CSV

    /// Steps signup → view_item → purchase → purchase (a repeat purchase), window 14 days; purchases
    /// come from sales. All signups 2025-01-10 00:00 UTC.
    /// - u0 google: view 00:05 (300 s), one purchase 00:30 (1 500 s) → step 3.
    /// - u1 facebook: view 00:10 (600 s), purchase 01:00 (3 000 s), purchase 01-12 01:00 (172 800 s) → step 4.
    /// - u3 facebook: view 00:20 (1 200 s) → step 2.
    /// - u4 facebook: signup only → step 1.
    /// - u5 tiktok: signed up 2024-12-20, before `since`: no entry, so no tiktok segment.
    /// all: 4, 3, 2, 1 users. Medians: step 2 of {300, 600, 1200} = 600; step 3 of {1500, 3000} = 2250;
    /// step 4 of {172800}. facebook: 3, 2, 1, 1 (step 2 of {600, 1200} = 900). google: 1, 1, 1, 0.
    static func repeatPurchaseData() throws -> IntegratedData {
        try data(
            users: """
                u0,2025-01-10 00:00,google
                u1,2025-01-10 00:00,facebook
                u3,2025-01-10 00:00,Facebook
                u4,2025-01-10 00:00,facebook
                u5,2024-12-20 00:00,tiktok

                """,
            events: """
                e1,u0,view_item,2025-01-10 00:05
                e2,u1,view_item,2025-01-10 00:10
                e3,u3,view_item,2025-01-10 00:20
                e4,u5,view_item,2025-01-10 00:20

                """,
            sales: noSales + """
                o1,u0,2025-01-10 00:30,10
                o2,u1,2025-01-10 01:00,10
                o3,u1,2025-01-12 01:00,10
                o4,u5,2025-01-10 00:30,10

                """)
    }

    static let repeatPurchase = Funnel(steps: ["signup", "view_item", "purchase", "purchase"], windowDays: 14)

    @Test func repeatPurchaseFunnelIsWrittenExactly() throws {
        let result = FunnelAnalysis.compute(try Self.repeatPurchaseData(), settings: Self.repeatPurchase)
        #expect(result.segments == ["all", "facebook", "google"])
        #expect(FunnelTable.csv(result).text == """
            segment,step,name,users,conversion_from_previous,conversion_from_first,drop_off,median_seconds_from_previous
            all,1,signup,4,1.000000,1.000000,0,
            all,2,view_item,3,0.750000,0.750000,1,600.0
            all,3,purchase,2,0.666667,0.500000,1,2250.0
            all,4,purchase,1,0.500000,0.250000,1,172800.0
            facebook,1,signup,3,1.000000,1.000000,0,
            facebook,2,view_item,2,0.666667,0.666667,1,900.0
            facebook,3,purchase,1,0.500000,0.333333,1,3000.0
            facebook,4,purchase,1,1.000000,0.333333,0,172800.0
            google,1,signup,1,1.000000,1.000000,0,
            google,2,view_item,1,1.000000,1.000000,0,300.0
            google,3,purchase,1,1.000000,1.000000,0,1500.0
            google,4,purchase,0,0.000000,0.000000,1,

            """)
    }

    @Test func repeatPurchaseValuesAreExact() throws {
        let result = FunnelAnalysis.compute(try Self.repeatPurchaseData(), settings: Self.repeatPurchase)
        let all = result.segment("all")
        #expect(all.map(\.users) == [4, 3, 2, 1])
        #expect(all.map(\.dropOff) == [0, 1, 1, 1])
        #expect(all.map(\.conversionFromPrevious) == [1, Decimal(string: "0.75")!, Decimal(2) / Decimal(3), Decimal(string: "0.5")!])
        #expect(all.map(\.conversionFromFirst) == [1, Decimal(string: "0.75")!, Decimal(string: "0.5")!, Decimal(string: "0.25")!])
        #expect(all.map(\.medianSecondsFromPrevious) == [nil, 600, 2250, 172_800])
        #expect(result.segment("google").last == FunnelResult.Step(
            segment: "google", step: 4, name: "purchase", users: 0, conversionFromPrevious: 0,
            conversionFromFirst: 0, dropOff: 1, medianSecondsFromPrevious: nil))
        #expect(result.segment("tiktok").isEmpty)
    }

    @Test func headlinesComeFromSegmentAll() throws {
        let result = FunnelAnalysis.compute(try Self.repeatPurchaseData(), settings: Self.repeatPurchase)
        #expect(result.headlineMetrics() == [
            HeadlineMetric(name: "funnel.conversion", value: .rate(Decimal(string: "0.25")!)),   // 1 / 4
            HeadlineMetric(name: "funnel.step1", value: .rate(1)),
            HeadlineMetric(name: "funnel.step2", value: .rate(Decimal(string: "0.75")!)),
            HeadlineMetric(name: "funnel.step3", value: .rate(Decimal(2) / Decimal(3))),
            HeadlineMetric(name: "funnel.step4", value: .rate(Decimal(string: "0.5")!)),
        ])
    }

    @Test(arguments: [1, 2, 3, 5])
    func resultsDoNotDependOnTheUserRanges(parts: Int) throws {
        let data = try Self.repeatPurchaseData()
        let one = FunnelAnalysis.compute(data, settings: Self.repeatPurchase, parts: 1)
        let many = FunnelAnalysis.compute(data, settings: Self.repeatPurchase, parts: parts)
        #expect(one.steps == many.steps)
        #expect(one.segments == many.segments)
    }

    @Test func withoutByChannelOnlyAllIsWritten() throws {
        var settings = Self.repeatPurchase
        settings.byChannel = false
        let result = FunnelAnalysis.compute(try Self.repeatPurchaseData(), settings: settings)
        #expect(result.segments == ["all"])
        #expect(result.steps.map(\.users) == [4, 3, 2, 1])
        #expect(result.steps.map(\.medianSecondsFromPrevious) == [nil, 600, 2250, 172_800])
    }

    // MARK: - Entries

    /// Steps view_item → add_to_cart → purchase → purchase (the one purchase cannot serve both, so no entry
    /// completes and every entry is tried), window 1 day, one user:
    /// - entry A view 01-10 00:00: the add_to_cart at 01-12 00:00 is past A's deadline (01-11 00:00) → 1 step;
    /// - entry B view 01-11 12:00: add 01-12 00:00 (43 200 s), purchase 01-12 06:00 (21 600 s) → 3 steps;
    /// - entry C view 01-11 18:00: add (21 600 s), purchase (21 600 s) → 3 steps too, but later than B.
    /// Progress 3; the durations are B's, the earliest entry reaching it: 43 200 s and 21 600 s.
    @Test func aLaterEntryCanGetFurtherAndTheEarliestBestEntryGivesTheTimes() throws {
        let data = try Self.data(
            users: "a,2025-01-01,ads\n",
            events: """
                e1,a,view_item,2025-01-10 00:00
                e2,a,view_item,2025-01-11 12:00
                e3,a,view_item,2025-01-11 18:00
                e4,a,add_to_cart,2025-01-12 00:00
                e5,a,purchase,2025-01-12 06:00

                """)
        let steps = ["view_item", "add_to_cart", "purchase", "purchase"]
        let all = FunnelAnalysis.compute(data, settings: Funnel(steps: steps, windowDays: 1)).segment("all")
        #expect(all.map(\.users) == [1, 1, 1, 0])
        #expect(all.map(\.medianSecondsFromPrevious) == [nil, 43_200, 21_600, nil])
    }

    /// SPEC §9: a `signup` row in the events input is one more `signup` event, so one more entry.
    /// Steps signup → view_item, window 1 day: the users.csv signup 01-10 00:00 is 2 days before the
    /// view (01-12 00:00); the events-input signup 01-11 12:00 reaches it after 43 200 s.
    @Test func aSignupRowInTheEventsInputIsAnotherEntry() throws {
        let data = try Self.data(
            users: "a,2025-01-10 00:00,ads\n",
            events: """
                e1,a,signup,2025-01-11 12:00
                e2,a,view_item,2025-01-12 00:00

                """)
        let all = FunnelAnalysis.compute(data, settings: Funnel(steps: ["signup", "view_item"], windowDays: 1)).segment("all")
        #expect(all.map(\.users) == [1, 1])
        #expect(all[1].medianSecondsFromPrevious == 43_200)
    }

    /// Timezone Asia/Shanghai (+08:00), since 2025-01-05, as_of 2025-01-20; steps view_item → add_to_cart.
    /// - a: view 01-04 23:59:59 local (out of range; it would reach the add after 2 401 s), view 01-05 00:10
    ///   (in range), add 01-05 00:40 → reaches 2 from the in-range entry: 1 800 s.
    /// - b: view 2025-01-04T16:00:00Z = 01-05 00:00 local (in range, the first instant), add 01-05 00:01 local (60 s).
    /// - c (tiktok): view 01-04 12:00 local and add 01-04 12:01 — before `since`: not an entrant, no segment.
    /// - d: view 01-20 23:59:59 local (the last second of as_of); its add on 01-21 is after as_of and
    ///   excluded at cleaning → step 1 only.
    /// all: 3 entrants, 2 at step 2; median of {1800, 60} = 930.
    @Test func entriesOutsideSinceAndAsOfAreIgnored() throws {
        let data = try Self.data(
            users: """
                a,2025-01-01,ads
                b,2025-01-01,ads
                c,2025-01-01,tiktok
                d,2025-01-01,ads

                """,
            events: """
                e1,a,view_item,2025-01-04 23:59:59
                e2,a,view_item,2025-01-05 00:10
                e3,a,add_to_cart,2025-01-05 00:40
                e4,b,view_item,2025-01-04T16:00:00Z
                e5,b,add_to_cart,2025-01-05 00:01
                e6,c,view_item,2025-01-04 12:00
                e7,c,add_to_cart,2025-01-04 12:01
                e8,d,view_item,2025-01-20 23:59:59
                e9,d,add_to_cart,2025-01-21 00:00:30

                """,
            timezone: "Asia/Shanghai", since: "2025-01-05", asOf: "2025-01-20")
        let result = FunnelAnalysis.compute(data, settings: Funnel(steps: ["view_item", "add_to_cart"]))
        #expect(result.segments == ["all", "ads"])
        #expect(result.segment("all").map(\.users) == [3, 2])
        #expect(result.segment("all")[1].medianSecondsFromPrevious == 930)
    }

    // MARK: - The window

    /// Default window 14 days = 1 209 600 s from the signup 01-01 00:00: a view at 01-15 00:00:00 is exactly at
    /// the end and counts; one second, or one nanosecond, later does not.
    @Test func anEventExactlyAtTheWindowsEndCounts() throws {
        let data = try Self.data(
            users: """
                at,2025-01-01 00:00,ads
                second,2025-01-01 00:00,ads
                nano,2025-01-01 00:00,ads

                """,
            events: """
                e1,at,view_item,2025-01-15 00:00:00
                e2,second,view_item,2025-01-15 00:00:01
                e3,nano,view_item,2025-01-15 00:00:00.000000001

                """)
        let all = FunnelAnalysis.compute(data, settings: Funnel(steps: ["signup", "view_item"])).segment("all")
        #expect(all.map(\.users) == [3, 1])
        #expect(all[1].medianSecondsFromPrevious == 1_209_600)
    }

    /// window_days 0.5 = 43 200 s: a view 12:00:00 after the signup counts, one at 12:00:00.001 does not.
    @Test func aFractionalWindowIsExact() throws {
        #expect(DayWindow.nanoseconds(Decimal(string: "0.5")!) == 43_200_000_000_000)
        #expect(DayWindow.nanoseconds(14) == 1_209_600_000_000_000)
        // 10⁻¹³ days = 8.64 ns: an event time is whole nanoseconds, so the bound is 8 ns.
        #expect(DayWindow.nanoseconds(Decimal(string: "0.0000000000001")!) == 8)
        #expect(DayWindow.nanoseconds(36_500) == 3_153_600_000_000_000_000)
        let data = try Self.data(
            users: """
                in,2025-01-01 00:00,ads
                out,2025-01-01 00:00,ads

                """,
            events: """
                e1,in,view_item,2025-01-01 12:00:00
                e2,out,view_item,2025-01-01 12:00:00.001

                """)
        let all = FunnelAnalysis.compute(data, settings: Funnel(steps: ["signup", "view_item"], windowDays: Decimal(string: "0.5")!)).segment("all")
        #expect(all.map(\.users) == [2, 1])
        #expect(all[1].medianSecondsFromPrevious == 43_200)
    }

    // MARK: - Equal timestamps

    /// Everything at 2025-01-10 10:00. The stream's tie order (signup, then event rows in input order) makes each
    /// user's slice signup, view_item…, add_to_cart.
    /// - two: two distinct views (ids e1, e2) and an add. - one: one view and an add.
    static func equalTimes() throws -> IntegratedData {
        try data(
            users: """
                two,2025-01-10 10:00,ads
                one,2025-01-10 10:00,ads

                """,
            events: """
                e1,two,view_item,2025-01-10 10:00
                e2,two,view_item,2025-01-10 10:00
                e3,two,add_to_cart,2025-01-10 10:00
                e4,one,view_item,2025-01-10 10:00
                e5,one,add_to_cart,2025-01-10 10:00

                """)
    }

    /// signup → view_item → view_item → add_to_cart: `two` reaches 4 with zero durations; `one`'s single view
    /// cannot serve both view steps → 2.
    @Test func equalTimestampsCountButOneEventServesOneStep() throws {
        let all = FunnelAnalysis.compute(try Self.equalTimes(),
                                         settings: Funnel(steps: ["signup", "view_item", "view_item", "add_to_cart"])).segment("all")
        #expect(all.map(\.users) == [2, 2, 1, 1])
        #expect(all.map(\.medianSecondsFromPrevious) == [nil, 0, 0, 0])
    }

    /// view_item → add_to_cart → view_item: the second view sorts before the add in the slice but is at the
    /// same instant and unused, so `two` reaches 3; `one` has no second view → 2.
    /// view_item → signup: the signup sorts before the entry yet is at the same instant → both reach 2.
    @Test func anEventAtTheSameInstantEarlierInTheSliceIsEligible() throws {
        let data = try Self.equalTimes()
        let a = FunnelAnalysis.compute(data, settings: Funnel(steps: ["view_item", "add_to_cart", "view_item"])).segment("all")
        #expect(a.map(\.users) == [2, 2, 1])
        let b = FunnelAnalysis.compute(data, settings: Funnel(steps: ["view_item", "signup"])).segment("all")
        #expect(b.map(\.users) == [2, 2])
        let c = FunnelAnalysis.compute(data, settings: Funnel(steps: ["signup", "signup"])).segment("all")
        #expect(c.map(\.users) == [2, 0])
    }

    // MARK: - Medians

    /// signup 01-10 00:00 → view_item after: a 10 s, 20 s, 40 s (median 20); b 10 s, 25 s (17.5); c 35 s (35).
    /// all: 10, 10, 20, 25, 35, 40 → (20 + 25) / 2 = 22.5.
    @Test(arguments: [1, 2, 4])
    func mediansOfOddAndEvenCounts(parts: Int) throws {
        let users = ["a1,a", "a2,a", "a3,a", "b1,b", "b2,b", "c1,c"]
        let delays = [10, 20, 40, 10, 25, 35]
        let data = try Self.data(
            users: users.map { u -> String in
                let p = u.split(separator: ",")
                return "\(p[0]),2025-01-10 00:00,\(p[1])\n"
            }.joined(),
            events: zip(users, delays).enumerated().map { i, pair in
                "e\(i),\(pair.0.split(separator: ",")[0]),view_item,2025-01-10 00:00:\(pair.1)\n"
            }.joined())
        let result = FunnelAnalysis.compute(data, settings: Funnel(steps: ["signup", "view_item"]), parts: parts)
        #expect(result.segments == ["all", "a", "b", "c"])
        #expect(result.segment("a")[1].medianSecondsFromPrevious == 20)
        #expect(result.segment("b")[1].medianSecondsFromPrevious == Self.seconds("17.5"))
        #expect(result.segment("c")[1].medianSecondsFromPrevious == 35)
        #expect(result.segment("all")[1].medianSecondsFromPrevious == Self.seconds("22.5"))
    }

    @Test func medianSelectsAcrossSortedArrays() {
        let s: Int64 = 1_000_000_000
        #expect(FunnelAnalysis.median(of: [[10 * s, 40 * s], [], [20 * s]], count: 3) == 20)
        #expect(FunnelAnalysis.median(of: [[25 * s], [10 * s]], count: 2) == Self.seconds("17.5"))
        // 1 ns and 2 ns: 1.5 ns, kept exactly.
        #expect(FunnelAnalysis.median(of: [[1, 2]], count: 2) == Self.seconds("0.0000000015"))
        #expect(FunnelAnalysis.median(of: [[0, 0, 7], [0]], count: 4) == 0)
        #expect(FunnelAnalysis.median(of: [], count: 0) == nil)
    }

    // MARK: - No entrants

    /// A first step no event carries: `all` is still written with 0 users and null rates; no channel segment.
    /// signup → (no such event) → purchase: step 2 has rates 0 (step 1 has users); step 3's conversion from the
    /// previous step is null (step 2 has none) but from the first it is 0 / 1 = 0 — SPEC §9: null only without
    /// entrants.
    @Test func noEntrantsGiveNullRates() throws {
        let data = try Self.data(users: "a,2025-01-10,ads\n", events: "e1,a,view_item,2025-01-10 01:00\n",
                                 sales: Self.noSales + "o1,a,2025-01-10 02:00,5\n")
        let none = FunnelAnalysis.compute(data, settings: Funnel(steps: ["wishlist", "purchase"]))
        #expect(none.segments == ["all"])
        #expect(none.steps == [
            .init(segment: "all", step: 1, name: "wishlist", users: 0, conversionFromPrevious: nil,
                  conversionFromFirst: nil, dropOff: 0, medianSecondsFromPrevious: nil),
            .init(segment: "all", step: 2, name: "purchase", users: 0, conversionFromPrevious: nil,
                  conversionFromFirst: nil, dropOff: 0, medianSecondsFromPrevious: nil),
        ])
        #expect(none.headlineMetrics() == [
            HeadlineMetric(name: "funnel.conversion", value: .rate(nil)),
            HeadlineMetric(name: "funnel.step1", value: .rate(nil)),
            HeadlineMetric(name: "funnel.step2", value: .rate(nil)),
        ])
        #expect(FunnelTable.csv(none).text.split(separator: "\n").dropFirst() == [
            "all,1,wishlist,0,,,0,",
            "all,2,purchase,0,,,0,",
        ])

        let gap = FunnelAnalysis.compute(data, settings: Funnel(steps: ["signup", "wishlist", "purchase"])).segment("all")
        #expect(gap.map(\.users) == [1, 0, 0])
        #expect(gap.map(\.conversionFromPrevious) == [1, 0, nil])
        #expect(gap.map(\.conversionFromFirst) == [1, 0, 0])
        #expect(gap.map(\.dropOff) == [0, 1, 0])
        #expect(FunnelTable.csv(FunnelAnalysis.compute(data, settings: Funnel(steps: ["signup", "wishlist", "purchase"])))
            .text.split(separator: "\n").dropFirst(2).prefix(2) == [
                "all,2,wishlist,0,0.000000,0.000000,1,",
                "all,3,purchase,0,,0.000000,0,",
            ])
    }
}

/// SPEC §4.2 against a brute-force reference on random small streams with many ties: every chain of
/// distinct events is enumerated, so greedy earliest matching must find the same progress and, per
/// step, the earliest time any chain reaches it (see `FunnelMatcher`'s argument).
@Suite struct FunnelReferenceTests {
    static let hour: Int64 = 3_600_000_000_000
    static let base = Instant(seconds: 1_736_467_200)   // 2025-01-10 00:00 UTC

    /// Users with 0–7 events named signup, purchase, a, b or c at a few distinct instants (so ties abound).
    static func randomData(_ rng: inout SampleRandom, users: Int) -> IntegratedData {
        let names = ["signup", "purchase", "a", "b", "c"]
        let channels = ["x", "y", "z", "w"]
        var list: [IntegratedData.User] = []
        var entries: [(user: Int32, event: EventStream.Event)] = []
        for u in 0..<users {
            list.append(.init(id: "u\(u)", signupAt: base, signupDate: LocalDate(days: 20_098),
                              channel: channels[Int.random(in: 0..<channels.count, using: &rng)], country: nil))
            for _ in 0..<Int.random(in: 0...7, using: &rng) {
                let at = base.adding(nanoseconds: Int64.random(in: 0...12, using: &rng) * 6 * hour)   // 3 days
                entries.append((Int32(u), .init(name: Int32.random(in: 0..<5, using: &rng), at: at)))
            }
        }
        // since 2025-01-10 or -11, as_of 2025-01-11 or -12: some entries fall outside.
        let since = LocalDate(iso: Bool.random(using: &rng) ? "2025-01-10" : "2025-01-11")!
        let asOf = LocalDate(iso: Bool.random(using: &rng) ? "2025-01-11" : "2025-01-12")!
        return IntegratedData(zone: ZoneRules(identifier: "UTC")!, since: since, asOf: asOf, users: list, sales: [],
                              spend: [], stream: EventStream(userCount: users, names: names, entries: entries),
                              hasEventsInput: true)
    }

    /// Per user: best progress and, per step, the earliest time any chain from the earliest entry reaching
    /// that progress puts there, by enumerating every chain.
    static func reference(_ data: IntegratedData, _ funnel: Funnel, user: Int) -> (progress: Int, durations: [Int64]) {
        let events = Array(data.stream.events(of: user))
        let ids = funnel.steps.map { data.stream.id(of: $0) ?? -1 }
        let window = DayWindow.nanoseconds(funnel.windowDays)
        var best = 0
        var bestTimes: [Instant] = []
        for (k, e) in events.enumerated() where e.name == ids[0] {
            let date = data.zone.localDate(of: e.at)
            guard date >= data.since, date <= data.asOf else { continue }
            let deadline = e.at.adding(nanoseconds: window)
            var earliest = [Instant?](repeating: nil, count: ids.count)
            var deepest = 0
            func walk(_ depth: Int, _ last: Instant, _ used: [Int]) {
                if earliest[depth - 1].map({ last < $0 }) ?? true { earliest[depth - 1] = last }
                deepest = max(deepest, depth)
                guard depth < ids.count else { return }
                for (i, f) in events.enumerated() where f.name == ids[depth] && !used.contains(i)
                    && !(f.at < last) && !(deadline < f.at) {
                    walk(depth + 1, f.at, used + [i])
                }
            }
            walk(1, e.at, [k])
            // Entries in time order: a strictly better one replaces the times.
            if deepest > best {
                best = deepest
                bestTimes = (0..<deepest).map { earliest[$0]! }
            }
        }
        let durations = (0..<max(best, 1)).map { j in j == 0 ? Int64(0) : bestTimes[j].nanoseconds(since: bestTimes[j - 1]) }
        return (best, durations)
    }

    @Test(arguments: 0..<40)
    func greedyMatchesExhaustiveSearch(seed: Int) {
        // The sample generator's SplitMix64: a fixed seed gives the same streams on every run.
        var rng = SampleRandom(seed: UInt64(seed) &* 7_919, stream: 0)
        let data = Self.randomData(&rng, users: 30)
        let pool = ["signup", "purchase", "a", "b", "missing"]
        let steps = (0..<Int.random(in: 2...4, using: &rng)).map { _ in pool[Int.random(in: 0..<4, using: &rng)] }
            + (Int.random(in: 0..<8, using: &rng) == 0 ? ["missing"] : [])
        let window = [Decimal(string: "0.25")!, Decimal(string: "0.5")!, 1, 2][Int.random(in: 0..<4, using: &rng)]
        let funnel = Funnel(steps: steps, windowDays: window)

        // Reference rows per segment: counts and sorted durations in nanoseconds.
        var counts: [String: [Int]] = [:]
        var spans: [String: [[Int64]]] = [:]
        for u in 0..<data.users.count {
            let (progress, durations) = Self.reference(data, funnel, user: u)
            guard progress > 0 else { continue }
            for segment in ["all", data.users[u].channel] {
                counts[segment, default: [Int](repeating: 0, count: steps.count)].withUnsafeMutableBufferPointer { c in
                    for j in 0..<progress { c[j] += 1 }
                }
                var s = spans[segment] ?? [[Int64]](repeating: [], count: steps.count)
                for j in 1..<progress { s[j].append(durations[j]) }
                spans[segment] = s
            }
        }
        let result = FunnelAnalysis.compute(data, settings: funnel, parts: 1 + seed % 4)
        let expectedSegments = ["all"] + counts.keys.filter { $0 != "all" }.sorted()
        #expect(result.segments == expectedSegments)
        for segment in result.segments {
            let rows = result.segment(segment)
            let expected = counts[segment] ?? [Int](repeating: 0, count: steps.count)
            #expect(rows.map(\.users) == expected, "seed \(seed) \(steps) \(segment)")
            for j in 1..<steps.count {
                let sorted = (spans[segment]?[j] ?? []).sorted()
                var median: Decimal?
                if !sorted.isEmpty {
                    let m = sorted.count
                    let sum = Decimal(sorted[(m - 1) / 2]) + Decimal(sorted[m / 2])
                    median = sum / 2 / 1_000_000_000
                }
                #expect(rows[j].medianSecondsFromPrevious == median, "seed \(seed) \(steps) \(segment) step \(j + 1)")
            }
        }
    }
}
