import Foundation
import Testing
@testable import OpsETL

/// SPEC §4.2 `funnel.order` (`strict`, `any`), `by_country` and the stream's tie order, through the real
/// pipeline (`FunnelTests.data`: users `id,signup,channel`, events `event_id,user_id,event,occurred_at`).
/// Every expected number is worked out by hand in the comments.
@Suite struct FunnelOrderTests {
    static func funnel(_ steps: [String], _ order: FunnelOrder, window: Decimal = 1) -> Funnel {
        Funnel(steps: steps, windowDays: window, byChannel: false, order: order)
    }

    static func all(_ data: IntegratedData, _ steps: [String], _ order: FunnelOrder, window: Decimal = 1) -> [FunnelResult.Step] {
        FunnelAnalysis.compute(data, settings: funnel(steps, order, window: window)).segment("all")
    }

    // MARK: - strict

    /// Steps signup → view_item → purchase; everyone signs up 2025-01-10 10:00.
    /// - s1: view 10:05, login 10:06, purchase 10:10 — the login comes between the view and the purchase.
    /// - s2: view 10:05, purchase 10:10.
    /// strict: s1 stops at step 2, s2 reaches 3 → [2, 2, 1]; ordered lets other events between → [2, 2, 2].
    @Test func anUnrelatedEventBetweenTwoStepsBreaksTheChain() throws {
        let data = try FunnelTests.data(
            users: "s1,2025-01-10 10:00,ads\ns2,2025-01-10 10:00,ads\n",
            events: "e1,s1,view_item,2025-01-10 10:05\ne2,s1,login,2025-01-10 10:06\ne3,s2,view_item,2025-01-10 10:05\n",
            sales: FunnelTests.noSales + "o1,s1,2025-01-10 10:10,10\no2,s2,2025-01-10 10:10,10\n")
        let steps = ["signup", "view_item", "purchase"]
        let strict = Self.all(data, steps, .strict)
        #expect(strict.map(\.users) == [2, 2, 1])
        // Step 2: both 300 s; step 3: s2's 300 s.
        #expect(strict.map(\.medianSecondsFromPrevious) == [nil, 300, 300])
        #expect(Self.all(data, steps, .ordered).map(\.users) == [2, 2, 2])
    }

    /// Everything of t at 2025-01-10 10:00: its signup, a sale, and the event rows view_item then add_to_cart
    /// (in that input order). p's earlier add_to_cart row (09:00) is the first name seen, so add_to_cart has a
    /// lower name id than view_item: a sort by name id would put t's add before its view. The stream order is
    /// signup, purchase (the sale), view_item, add_to_cart — SPEC §4.2's tie rule.
    @Test func equalTimestampsFollowTheStreamsTieRule() throws {
        let data = try FunnelTests.data(
            users: "p,2025-01-10 08:00,ads\nt,2025-01-10 10:00,ads\n",
            events: """
                e1,p,add_to_cart,2025-01-10 09:00
                e2,t,view_item,2025-01-10 10:00
                e3,t,add_to_cart,2025-01-10 10:00

                """,
            sales: FunnelTests.noSales + "o1,t,2025-01-10 10:00,10\n")
        let t = 1
        #expect(data.stream.events(of: t).map { data.stream.names[Int($0.name)] } == ["signup", "purchase", "view_item", "add_to_cart"])
        // t alone enters these (p has no view_item and its signup is followed by its add_to_cart, not a purchase).
        #expect(Self.all(data, ["signup", "purchase", "view_item", "add_to_cart"], .strict).map(\.users) == [2, 1, 1, 1])
        #expect(Self.all(data, ["signup", "purchase", "view_item", "add_to_cart"], .strict).map(\.medianSecondsFromPrevious)
            == [nil, 0, 0, 0])
        #expect(Self.all(data, ["view_item", "add_to_cart"], .strict).map(\.users) == [1, 1])
        // The other way round the add comes after the view: t's add_to_cart entry has nothing after it → step 1.
        // p: add_to_cart at 09:00 followed by nothing → step 1.
        #expect(Self.all(data, ["add_to_cart", "view_item"], .strict).map(\.users) == [2, 0])
        // signup → view_item: t's purchase comes between; p's add_to_cart too.
        #expect(Self.all(data, ["signup", "view_item"], .strict).map(\.users) == [2, 0])
        #expect(Self.all(data, ["signup", "view_item"], .ordered).map(\.users) == [2, 1])
    }

    /// view_item → add_to_cart, window 1 day; r: view 10:00, login 10:01, add 10:02, view 11:00, add 11:05.
    /// strict: the first entry is broken by the login, the second succeeds after 300 s. ordered: the first
    /// entry already reaches the 10:02 add (120 s) and gives the times.
    @Test func aSecondEntryThatSucceeds() throws {
        let data = try FunnelTests.data(
            users: "r,2025-01-10 09:00,ads\n",
            events: """
                e1,r,view_item,2025-01-10 10:00
                e2,r,login,2025-01-10 10:01
                e3,r,add_to_cart,2025-01-10 10:02
                e4,r,view_item,2025-01-10 11:00
                e5,r,add_to_cart,2025-01-10 11:05

                """)
        let strict = Self.all(data, ["view_item", "add_to_cart"], .strict)
        #expect(strict.map(\.users) == [1, 1])
        #expect(strict[1].medianSecondsFromPrevious == 300)
        #expect(Self.all(data, ["view_item", "add_to_cart"], .ordered)[1].medianSecondsFromPrevious == 120)
    }

    /// strict keeps the window: view 10:00 directly followed by an add 2 days later (window 1 day) → step 1.
    @Test func strictStillNeedsTheWindow() throws {
        let data = try FunnelTests.data(users: "w,2025-01-10 09:00,ads\n",
                                        events: "e1,w,view_item,2025-01-10 10:00\ne2,w,add_to_cart,2025-01-12 10:00\n")
        #expect(Self.all(data, ["view_item", "add_to_cart"], .strict).map(\.users) == [1, 0])
        #expect(Self.all(data, ["view_item", "add_to_cart"], .strict, window: 3).map(\.users) == [1, 1])
    }

    // MARK: - any

    /// Steps view_item → add_to_cart → purchase, done backwards by b: purchase 10:00 (a sale), add 10:10,
    /// view 10:30; signup 09:00 is no step. any: the purchase is an entry and the walk counts all three,
    /// 600 s and 1 200 s apart; the steps are named "k of 3 steps". ordered: only the view enters → step 1.
    @Test func stepsDoneBackwards() throws {
        let data = try FunnelTests.data(
            users: "b,2025-01-10 09:00,ads\n",
            events: "e1,b,add_to_cart,2025-01-10 10:10\ne2,b,view_item,2025-01-10 10:30\n",
            sales: FunnelTests.noSales + "o1,b,2025-01-10 10:00,10\n")
        let steps = ["view_item", "add_to_cart", "purchase"]
        let any = FunnelAnalysis.compute(data, settings: Self.funnel(steps, .any))
        #expect(any.stepNames == ["1 of 3 steps", "2 of 3 steps", "3 of 3 steps"])
        #expect(FunnelTable.csv(any).text == """
            segment,step,name,users,conversion_from_previous,conversion_from_first,drop_off,median_seconds_from_previous
            all,1,1 of 3 steps,1,1.000000,1.000000,0,
            all,2,2 of 3 steps,1,1.000000,1.000000,0,600.0
            all,3,3 of 3 steps,1,1.000000,1.000000,0,1200.0

            """)
        #expect(Self.all(data, steps, .ordered).map(\.users) == [1, 0, 0])
    }

    /// Steps purchase, purchase, view_item: two purchase slots and one view slot.
    /// - r1: view 10:00, purchase 10:05 — one purchase only → 2 (300 s).
    /// - r2: purchase 10:00, view 10:01, purchase 10:02 → 3 (60 s, 60 s).
    /// - r3: two purchases at 10:00 (two sales, distinct events) → 2 (0 s).
    /// Users [3, 3, 1]; step 2 median of {300, 60, 0} = 60, step 3 of {60}.
    @Test func aRepeatedStepNameNeedsTwoDistinctEvents() throws {
        let data = try FunnelTests.data(
            users: "r1,2025-01-10 09:00,ads\nr2,2025-01-10 09:00,ads\nr3,2025-01-10 09:00,ads\n",
            events: "e1,r1,view_item,2025-01-10 10:00\ne2,r2,view_item,2025-01-10 10:01\n",
            sales: FunnelTests.noSales + """
                o1,r1,2025-01-10 10:05,10
                o2,r2,2025-01-10 10:00,10
                o3,r2,2025-01-10 10:02,10
                o4,r3,2025-01-10 10:00,10
                o5,r3,2025-01-10 10:00,20

                """)
        let any = Self.all(data, ["purchase", "purchase", "view_item"], .any)
        #expect(any.map(\.users) == [3, 3, 1])
        #expect(any.map(\.medianSecondsFromPrevious) == [nil, 60, 60])
        #expect(any.map(\.conversionFromFirst) == [1, 1, Decimal(1) / 3])
    }

    /// Steps view_item, add_to_cart, checkout in any order, window 1 day. w: view 01-10 10:00, add 01-11 09:00,
    /// checkout 01-11 11:00, view 01-11 12:00.
    /// - entry view 01-10 10:00: the window ends 01-11 10:00 → view, add: 2;
    /// - entry add 01-11 09:00: window to 01-12 09:00 → add, checkout, view: 3 (7 200 s, 3 600 s);
    /// the window is measured from each entry, its earliest counted event, so the best is the later entry.
    @Test func theWindowIsMeasuredFromTheEarliestCountedEvent() throws {
        let data = try FunnelTests.data(
            users: "w,2025-01-10 09:00,ads\n",
            events: """
                e1,w,view_item,2025-01-10 10:00
                e2,w,add_to_cart,2025-01-11 09:00
                e3,w,checkout,2025-01-11 11:00
                e4,w,view_item,2025-01-11 12:00

                """)
        let any = Self.all(data, ["view_item", "add_to_cart", "checkout"], .any)
        #expect(any.map(\.users) == [1, 1, 1])
        #expect(any.map(\.medianSecondsFromPrevious) == [nil, 7_200, 3_600])
        // Without the last view the best is 2, first reached from the 01-10 entry: 23 h = 82 800 s.
        let shorter = try FunnelTests.data(
            users: "w,2025-01-10 09:00,ads\n",
            events: "e1,w,view_item,2025-01-10 10:00\ne2,w,add_to_cart,2025-01-11 09:00\ne3,w,checkout,2025-01-11 11:00\n")
        let two = Self.all(shorter, ["view_item", "add_to_cart", "checkout"], .any)
        #expect(two.map(\.users) == [1, 1, 0])
        #expect(two[1].medianSecondsFromPrevious == 82_800)
    }

    /// Entries must be in range; a later counted event need only be in the window. since 2025-01-10:
    /// x views 01-09 23:00 (out of range) and adds 01-10 01:00 → the add is the only entry → 1 step.
    @Test func anyOrderEntriesMustBeInRange() throws {
        let data = try FunnelTests.data(users: "x,2025-01-01,ads\n",
                                        events: "e1,x,view_item,2025-01-09 23:00\ne2,x,add_to_cart,2025-01-10 01:00\n",
                                        since: "2025-01-10")
        #expect(Self.all(data, ["view_item", "add_to_cart"], .any).map(\.users) == [1, 0])
    }

    // MARK: - Country segments

    /// users `id,signup,channel,country`, steps signup → purchase, since 2025-01-05, all purchases 1 h after signup.
    /// u1 ads DE buys; u2 ads (no country); u3 seo CN buys; u4 seo DE buys; u5 seo with an empty country;
    /// u6 seo FR signed up before since: no entrant, so no country:FR segment.
    static func countryData() throws -> IntegratedData {
        let f = PipelineFixture()
        f.dir.write("users.csv", """
            user_id,signup_at,channel,country
            u1,2025-01-10 10:00,ads,DE
            u2,2025-01-10 10:00,ads,
            u3,2025-01-10 10:00,seo,CN
            u4,2025-01-10 10:00,seo, DE
            u5,2025-01-10 10:00,seo,
            u6,2025-01-01 10:00,seo,FR

            """)
        f.dir.write("sales.csv", """
            order_id,user_id,ordered_at,amount
            o1,u1,2025-01-10 11:00,10
            o3,u3,2025-01-10 11:00,10
            o4,u4,2025-01-10 11:00,10
            o6,u6,2025-01-10 11:00,10

            """)
        f.dir.write("channels.csv", "date,channel,spend\n")
        return try f.job("""
            { "version": 1, "name": "c", "since": "2025-01-05", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "users.csv" }, "sales": { "path": "sales.csv" }, "channels": { "path": "channels.csv" } },
              "output": { "dir": "out/{as_of}" } }
            """).prepare().data
    }

    /// Channels first, then countries by their bytes (CN < DE < unknown); a null country is country:unknown.
    @Test func countrySegmentsFollowTheChannelsWithUnknownForNull() throws {
        let result = FunnelAnalysis.compute(try Self.countryData(),
                                            settings: Funnel(steps: ["signup", "purchase"], byCountry: true))
        #expect(result.segments == ["all", "ads", "seo", "country:CN", "country:DE", "country:unknown"])
        #expect(result.kinds == [.all, .channel, .channel, .country, .country, .country])
        #expect(result.channelSegmentIndices == [1, 2])
        #expect(FunnelTable.csv(result).text == """
            segment,step,name,users,conversion_from_previous,conversion_from_first,drop_off,median_seconds_from_previous
            all,1,signup,5,1.000000,1.000000,0,
            all,2,purchase,3,0.600000,0.600000,2,3600.0
            ads,1,signup,2,1.000000,1.000000,0,
            ads,2,purchase,1,0.500000,0.500000,1,3600.0
            seo,1,signup,3,1.000000,1.000000,0,
            seo,2,purchase,2,0.666667,0.666667,1,3600.0
            country:CN,1,signup,1,1.000000,1.000000,0,
            country:CN,2,purchase,1,1.000000,1.000000,0,3600.0
            country:DE,1,signup,2,1.000000,1.000000,0,
            country:DE,2,purchase,2,1.000000,1.000000,0,3600.0
            country:unknown,1,signup,2,1.000000,1.000000,0,
            country:unknown,2,purchase,0,0.000000,0.000000,2,

            """)
        // Without by_channel the countries follow `all` directly; `all` is the same.
        let countriesOnly = FunnelAnalysis.compute(try Self.countryData(),
                                                   settings: Funnel(steps: ["signup", "purchase"], byChannel: false, byCountry: true))
        #expect(countriesOnly.segments == ["all", "country:CN", "country:DE", "country:unknown"])
        #expect(countriesOnly.segment("all") == result.segment("all"))
        for parts in [2, 3] {
            let split = FunnelAnalysis.compute(try Self.countryData(), settings: Funnel(steps: ["signup", "purchase"], byCountry: true),
                                               parts: parts)
            #expect(split.steps == result.steps && split.segments == result.segments)
        }
    }

    /// SPEC §6: `funnel.channel_gap` judges channel segments only, and the bottleneck's benchmark is a channel.
    /// all [100, 60, 50]: step 2 (60 %) is the weakest. ads [40, 24, 20] converts 50 % (not below half of
    /// all's 50 %) and 60 % at step 2 (no better than all). country:DE [40, 40, 1] would be a gap (2.5 %) and
    /// the best at step 2 (100 %) — but it is a country segment: no channel_gap, no benchmark.
    @Test func funnelRulesIgnoreCountrySegments() {
        func rows(_ segment: String, _ users: [Int]) -> [FunnelResult.Step] {
            users.enumerated().map { i, u in
                FunnelResult.Step(segment: segment, step: i + 1, name: ["signup", "view_item", "purchase"][i], users: u,
                                  conversionFromPrevious: i == 0 ? 1 : Decimal(u) / Decimal(users[i - 1]),
                                  conversionFromFirst: Decimal(u) / Decimal(users[0]), dropOff: i == 0 ? 0 : users[i - 1] - u,
                                  medianSecondsFromPrevious: i == 0 ? nil : 60)
            }
        }
        let funnel = FunnelResult(stepNames: ["signup", "view_item", "purchase"], segments: ["all", "ads", "country:DE"],
                                  steps: rows("all", [100, 60, 50]) + rows("ads", [40, 24, 20]) + rows("country:DE", [40, 40, 1]),
                                  kinds: [.all, .channel, .country])
        let valuation = ImpactValuation(roi: ROIResult(rows: []), trends: nil)
        // Without a channel benchmark the bottleneck's impact is 0, and a suggestion whose impact
        // rounds to 0 is not made (SPEC §6): the country segment neither benchmarks nor is a gap.
        #expect(FunnelRules.suggestions(funnel, settings: Suggestions(), valuation: valuation).filter { !$0.impact.roundsToZero }.isEmpty)
        // The same table with the third segment a channel: it is both the benchmark and a gap.
        let asChannel = FunnelResult(stepNames: funnel.stepNames, segments: funnel.segments, steps: funnel.steps)
        let both = FunnelRules.suggestions(asChannel, settings: Suggestions(), valuation: valuation)
        #expect(both.map(\.rule) == [.funnelBottleneck, .funnelChannelGap])
        guard case .funnelBottleneck(let b) = both.first?.evidence else { Issue.record("no bottleneck"); return }
        #expect(b.step == 2)
        #expect(b.bestChannel == "country:DE")
    }

    // MARK: - Partials

    /// Partials merged (counts added, sorted durations merged) give the table of the unmerged partials.
    @Test func mergedPartialsGiveTheSameTable() throws {
        let data = try Self.countryData()
        let settings = Funnel(steps: ["signup", "purchase"], byCountry: true)
        let n = data.users.count
        let parts = [0..<2, 2..<3, 3..<n].map { FunnelAnalysis.partial(data, settings: settings, users: $0) }
        var merged = parts[2]
        merged.merge(parts[0])
        merged.merge(parts[1])
        let a = FunnelAnalysis.result(of: parts, settings: settings)
        let b = FunnelAnalysis.result(of: [merged], settings: settings)
        #expect(a.steps == b.steps && a.segments == b.segments)
        #expect(FunnelAnalysis.Groups.mergeSorted([1, 4, 4, 9], [0, 4, 10]) == [0, 1, 4, 4, 4, 9, 10])
    }
}

/// SPEC §4.2 `strict` and `any` against brute force on random small streams with repeated names and many equal
/// timestamps (the generator of `FunnelReferenceTests`): every chain or set of distinct events is enumerated, so
/// the matchers must find the same progress and, per step, the earliest time any chain or set reaches it (see
/// the arguments in `FunnelMatcher+Strict` and `FunnelMatcher+AnyOrder`).
@Suite struct FunnelOrderReferenceTests {
    /// strict: chains of consecutive events of the user's stream (index + 1 each), named like the steps, within
    /// the window, from each entry in range; the best progress, and the times of the earliest entry reaching it.
    static func strictReference(_ data: IntegratedData, _ funnel: Funnel, user: Int) -> (progress: Int, durations: [Int64]) {
        let events = Array(data.stream.events(of: user))
        let ids = funnel.steps.map { data.stream.id(of: $0) ?? -1 }
        let window = DayWindow.nanoseconds(funnel.windowDays)
        var best = 0
        var bestTimes: [Instant] = []
        for (k, e) in events.enumerated() where e.name == ids[0] {
            let date = data.zone.localDate(of: e.at)
            guard date >= data.since, date <= data.asOf else { continue }
            let deadline = e.at.adding(nanoseconds: window)
            var deepest: [Instant] = [e.at]
            // Every chain: at each depth, any event that is the very next one in the stream.
            func walk(_ chain: [Int]) {
                if chain.count > deepest.count { deepest = chain.map { events[$0].at } }
                guard chain.count < ids.count else { return }
                for (i, f) in events.enumerated() where i == chain.last! + 1 && f.name == ids[chain.count]
                    && !(f.at < events[chain.last!].at) && !(deadline < f.at) {
                    walk(chain + [i])
                }
            }
            walk([k])
            if deepest.count > best {
                best = deepest.count
                bestTimes = deepest
            }
        }
        return (best, durations(bestTimes, best))
    }

    /// any: from each entry p in range (an event named like a step), every set S of distinct events of the window
    /// [p, t(p) + window] in stream order that contains p and uses no name more often than the steps list it; the
    /// progress is the largest |S|, and step k's time the smallest k-th time over the sets with at least k events.
    static func anyReference(_ data: IntegratedData, _ funnel: Funnel, user: Int) -> (progress: Int, durations: [Int64]) {
        let events = Array(data.stream.events(of: user))
        let ids = funnel.steps.map { data.stream.id(of: $0) ?? -1 }
        var slots: [Int32: Int] = [:]
        for id in ids where id >= 0 { slots[id, default: 0] += 1 }
        let window = DayWindow.nanoseconds(funnel.windowDays)
        var best = 0
        var bestTimes: [Instant] = []
        for (p, e) in events.enumerated() where slots[e.name] != nil {
            let date = data.zone.localDate(of: e.at)
            guard date >= data.since, date <= data.asOf else { continue }
            let deadline = e.at.adding(nanoseconds: window)
            let rest = events.indices.filter { $0 > p && !(deadline < events[$0].at) }
            var earliest: [Instant?] = []
            for mask in 0..<(1 << rest.count) {
                let set = [p] + rest.indices.filter { mask & (1 << $0) != 0 }.map { rest[$0] }
                var used: [Int32: Int] = [:]
                guard set.allSatisfy({ i in
                    used[events[i].name, default: 0] += 1
                    return used[events[i].name]! <= (slots[events[i].name] ?? 0)
                }) else { continue }
                while earliest.count < set.count { earliest.append(nil) }
                for (k, i) in set.enumerated() where earliest[k].map({ events[i].at < $0 }) ?? true {
                    earliest[k] = events[i].at
                }
            }
            if earliest.count > best {
                best = earliest.count
                bestTimes = earliest.map { $0! }
            }
        }
        return (best, durations(bestTimes, best))
    }

    static func durations(_ times: [Instant], _ progress: Int) -> [Int64] {
        (0..<max(progress, 1)).map { j in j == 0 ? Int64(0) : times[j].nanoseconds(since: times[j - 1]) }
    }

    @Test(arguments: [FunnelOrder.strict, .any], 0..<40)
    func matchersAgreeWithExhaustiveSearch(order: FunnelOrder, seed: Int) {
        var rng = SampleRandom(seed: UInt64(seed) &* 7_919 &+ 17, stream: 1)
        let data = FunnelReferenceTests.randomData(&rng, users: 30)
        let pool = ["signup", "purchase", "a", "b", "missing"]
        let steps = (0..<Int.random(in: 2...4, using: &rng)).map { _ in pool[Int.random(in: 0..<4, using: &rng)] }
            + (Int.random(in: 0..<8, using: &rng) == 0 ? ["missing"] : [])
        let window = [Decimal(string: "0.25")!, Decimal(string: "0.5")!, 1, 2][Int.random(in: 0..<4, using: &rng)]
        let funnel = Funnel(steps: steps, windowDays: window, order: order)

        var counts: [String: [Int]] = [:]
        var spans: [String: [[Int64]]] = [:]
        for u in 0..<data.users.count {
            let (progress, durations) = order == .strict ? Self.strictReference(data, funnel, user: u)
                : Self.anyReference(data, funnel, user: u)
            guard progress > 0 else { continue }
            for segment in ["all", data.users[u].channel] {
                var c = counts[segment] ?? [Int](repeating: 0, count: steps.count)
                for j in 0..<progress { c[j] += 1 }
                counts[segment] = c
                var s = spans[segment] ?? [[Int64]](repeating: [], count: steps.count)
                for j in 1..<progress { s[j].append(durations[j]) }
                spans[segment] = s
            }
        }
        let result = FunnelAnalysis.compute(data, settings: funnel, parts: 1 + seed % 4)
        #expect(result.segments == ["all"] + counts.keys.filter { $0 != "all" }.sorted())
        for segment in result.segments {
            let rows = result.segment(segment)
            #expect(rows.map(\.users) == counts[segment] ?? [Int](repeating: 0, count: steps.count),
                    "seed \(seed) \(order) \(steps) \(segment)")
            for j in 1..<steps.count {
                let sorted = (spans[segment]?[j] ?? []).sorted()
                var median: Decimal?
                if !sorted.isEmpty {
                    let m = sorted.count
                    median = (Decimal(sorted[(m - 1) / 2]) + Decimal(sorted[m / 2])) / 2 / 1_000_000_000
                }
                #expect(rows[j].medianSecondsFromPrevious == median, "seed \(seed) \(order) \(steps) \(segment) step \(j + 1)")
            }
        }
    }
}
