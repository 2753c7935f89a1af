import Foundation
import Logging
import Testing
@testable import OpsETL

/// `AnalysisPartials`: partials of disjoint, non-contiguous user sets (users hashed into K
/// partitions, as a partitioned run splits them) merged in a scrambled order give exactly the
/// in-memory results — every CSV table, every headline metric — and survive their binary
/// encoding; a partial of another run or a truncated one is refused.
@Suite struct AnalysisPartialsTests {
    /// The generated sample shop (3 000 users, a year of sales, events and spend, planted
    /// defects), prepared once through the real job.
    static let shop: Result<(pipeline: Pipeline, data: IntegratedData), any Error> = Result {
        let dir = TempDir()
        _ = try SampleShop(users: 3_000, seed: 11).write(to: dir.path)
        let pipeline = try Pipeline.load(path: dir.path + "/pipeline.json")
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let prepared = try PipelineJob(pipeline: pipeline, logger: logger).prepare()
        return (pipeline, prepared.data)
    }

    // MARK: - Pipelines (settings varied; the data stay the same)

    static let steps = ["signup", "view_item", "add_to_cart", "purchase", "purchase"]

    /// Weeks, day-N retention, ordered funnel by channel and country, trends by channel and country.
    static func weekly(_ base: Pipeline) -> Pipeline {
        var p = base
        p.retention = Retention(cohortBy: .signup, period: .week, periods: 8, activity: ["purchase"], days: [1, 7, 30])
        p.funnel = Funnel(steps: steps, windowDays: 14, byChannel: true, byCountry: true, order: .ordered)
        p.trends = Trends(period: .week, periods: 12, activity: ["purchase"], byChannel: true, byCountry: true)
        return p
    }

    /// Days, cumulative, first-purchase cohorts; strict funnel by country only; daily trends by
    /// country; time-bound trend targets (baseline and projection slots).
    static func daily(_ base: Pipeline) -> Pipeline {
        var p = base
        p.retention = Retention(cohortBy: .firstPurchase, period: .day, periods: 14, weekStart: .sunday,
                                activity: ["purchase", "view_item"], cumulative: true, days: [0, 3, 10])
        p.funnel = Funnel(steps: ["view_item", "add_to_cart", "purchase"], windowDays: Decimal(string: "2.5")!,
                          byChannel: false, byCountry: true, order: .strict)
        p.trends = Trends(period: .day, periods: 30, activity: ["view_item"], byChannel: false, byCountry: true)
        p.targets = [
            Target(metric: "trend.revenue", kind: .min, value: Decimal(string: "0.1")!, change: .increaseByRate,
                   start: LocalDate(year: 2025, month: 9, day: 1)!, by: LocalDate(year: 2025, month: 12, day: 15)!),
            Target(metric: "trend.active_users", kind: .min, value: 10, change: .increaseBy,
                   by: LocalDate(year: 2025, month: 12, day: 20)!),
        ]
        return p
    }

    /// Months, cumulative; any-order funnel by channel and country; monthly trends by channel.
    static func monthly(_ base: Pipeline) -> Pipeline {
        var p = base
        p.retention = Retention(cohortBy: .signup, period: .month, periods: 6, activity: ["purchase", "add_to_cart"],
                                cumulative: true, days: [])
        p.funnel = Funnel(steps: ["add_to_cart", "view_item", "purchase", "view_item"], windowDays: 30, byChannel: true,
                          byCountry: true, order: .any)
        p.trends = Trends(period: .month, periods: 12, activity: ["purchase", "view_item"], byChannel: true, byCountry: false)
        p.targets = [Target(metric: "trend.orders", kind: .min, value: 5, change: .increaseBy,
                            start: LocalDate(year: 2025, month: 6, day: 1)!)]
        return p
    }

    /// No funnel section, default weeks starting on Wednesday, no day-N retention.
    static func noFunnel(_ base: Pipeline) -> Pipeline {
        var p = base
        p.funnel = nil
        p.retention = Retention(period: .week, periods: 4, weekStart: .wednesday, days: [])
        p.trends = Trends(period: .week, periods: 8, byChannel: true, byCountry: true)
        return p
    }

    static let variants: [(name: String, make: @Sendable (Pipeline) -> Pipeline)] = [
        ("weekly", weekly), ("daily", daily), ("monthly", monthly), ("noFunnel", noFunnel),
    ]

    // MARK: - Helpers

    /// FNV-1a 64 of the user id, mod k: the partition of a user, as a partitioned run assigns them.
    static func partition(_ id: String, _ k: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return Int(h % UInt64(k))
    }

    /// The users of `data` split into `k` hashed (non-contiguous) subsets, each ascending.
    static func subsets(_ data: IntegratedData, _ k: Int) -> [[Int]] {
        var out = [[Int]](repeating: [], count: k)
        for (u, user) in data.users.enumerated() { out[partition(user.id, k)].append(u) }
        return out
    }

    /// 0 ..< n in a scrambled but fixed order (a seeded Fisher–Yates shuffle).
    static func scrambled(_ n: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<n)
        var state = seed | 1
        for i in stride(from: n - 1, to: 0, by: -1) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        return order
    }

    static func empty(_ pipeline: Pipeline, _ data: IntegratedData) -> AnalysisPartials {
        .empty(pipeline: pipeline, since: data.since, asOf: data.asOf, hasSpendInput: data.hasSpendInput)
    }

    static func encoded(_ p: AnalysisPartials) -> [UInt8] {
        var w = PartWriter()
        p.encode(into: &w)
        return w.bytes
    }

    static func decoded(_ bytes: [UInt8], _ pipeline: Pipeline, _ data: IntegratedData) throws -> AnalysisPartials {
        var r = PartReader(bytes, from: 0, to: bytes.count, name: "partial.bin")
        let p = try AnalysisPartials.decode(from: &r, pipeline: pipeline, since: data.since, asOf: data.asOf,
                                            hasSpendInput: data.hasSpendInput)
        #expect(r.atEnd, "decode reads the whole payload")
        return p
    }

    /// Every table `opsetl run` writes from the analyses, by file name.
    static func tables(_ r: AnalysisResults) -> [String: String] {
        var t = ["cohort_retention.csv": RetentionTables.cells(r.retention).text,
                 "cohort_retention_matrix.csv": RetentionTables.matrix(r.retention).text,
                 "channel_roi.csv": ChannelROITable.csv(r.roi).text,
                 "trends.csv": TrendsTables.trends(r.trends).text,
                 "kpi_changes.csv": TrendsTables.changes(r.trends).text,
                 "user_lifecycle.csv": TrendsTables.lifecycle(r.trends).text]
        if let days = RetentionTables.days(r.retention) { t["day_retention.csv"] = days.text }
        if let funnel = r.funnel { t["funnel.csv"] = FunnelTable.csv(funnel).text }
        return t
    }

    /// Results equal: the tables byte for byte, the headline metrics, and the values themselves.
    static func expectSame(_ a: AnalysisResults, _ b: AnalysisResults, _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let (ta, tb) = (tables(a), tables(b))
        #expect(ta.keys.sorted() == tb.keys.sorted(), "\(what): files", sourceLocation: sourceLocation)
        for (name, text) in ta { #expect(text == tb[name], "\(what): \(name)", sourceLocation: sourceLocation) }
        #expect(a.headlineMetrics == b.headlineMetrics, "\(what): headline metrics", sourceLocation: sourceLocation)
        #expect(a.retention == b.retention, "\(what): retention", sourceLocation: sourceLocation)
        #expect(a.funnel?.steps == b.funnel?.steps && a.funnel?.segments == b.funnel?.segments
                && a.funnel?.kinds == b.funnel?.kinds, "\(what): funnel", sourceLocation: sourceLocation)
        #expect(a.roi.rows == b.roi.rows && a.roi.campaigns == b.roi.campaigns && a.roi.hasSpendData == b.roi.hasSpendData,
                "\(what): roi", sourceLocation: sourceLocation)
        #expect(a.trends.rows.count == b.trends.rows.count && a.trends.segments == b.trends.segments,
                "\(what): trends", sourceLocation: sourceLocation)
    }

    // MARK: - 1. Hashed partitions merge into the in-memory results

    @Test(arguments: [1, 3, 16])
    func hashedPartitionsMergeIntoTheInMemoryResults(k: Int) throws {
        let (base, data) = try Self.shop.get()
        let subsets = Self.subsets(data, k)
        #expect(subsets.map(\.count).reduce(0, +) == data.users.count)
        if k > 1 { #expect(subsets.allSatisfy { $0.count < data.users.count }, "non-trivial split") }
        let datas = subsets.map { data.restricted(to: $0) }
        for (name, make) in Self.variants {
            let pipeline = make(base)
            let whole = try AnalysisResults.compute(data, pipeline: pipeline)
            let parts = datas.map { AnalysisPartials.compute($0, pipeline: pipeline) }
            var merged = Self.empty(pipeline, data)
            for i in Self.scrambled(k, seed: UInt64(k * 31 + name.count)) { merged.merge(parts[i]) }
            Self.expectSame(merged.results(spend: data.spend, pipeline: pipeline), whole, "\(name), K = \(k)")

            // The same through the binary form, merged in another order.
            var viaBytes = Self.empty(pipeline, data)
            for i in Self.scrambled(k, seed: 977) {
                viaBytes.merge(try Self.decoded(Self.encoded(parts[i]), pipeline, data))
            }
            Self.expectSame(viaBytes.results(spend: data.spend, pipeline: pipeline), whole, "\(name), K = \(k), decoded")
        }
    }

    /// The sample's numbers are real: the whole run has cohorts, funnel entrants in several
    /// channels and countries, paying users and trend rows, so the equalities above compare
    /// something. Partition sizes add up to the cohort sizes and signups.
    @Test func partitionsCarryRealSums() throws {
        let (base, data) = try Self.shop.get()
        let pipeline = Self.weekly(base)
        let whole = try AnalysisResults.compute(data, pipeline: pipeline)
        #expect(whole.retention.cells.count > 20)
        let funnel = try #require(whole.funnel)
        #expect(funnel.kinds.filter { $0 == .channel }.count >= 3 && funnel.kinds.filter { $0 == .country }.count >= 2)
        #expect(funnel.segment("all").first!.users > 1_000)
        let total = try #require(whole.roi.rows.first { $0.channel == ROIResult.total })
        #expect(total.signups > 2_000 && total.payingUsers > 500 && total.revenue > 0 && total.spend > 0)

        let parts = Self.subsets(data, 16).map { AnalysisPartials.compute(data.restricted(to: $0), pipeline: pipeline) }
        #expect(parts.allSatisfy { $0.roi.channelCount > 0 })
        let signups = parts.map { $0.roi.sums.reduce(0) { $0 + $1.signups } }.reduce(0, +)
        #expect(signups == total.signups)
        let cohortUsers = parts.map { $0.retention.size.reduce(0, +) }.reduce(0, +)
        let wholeCohortUsers = Dictionary(grouping: whole.retention.cells, by: \.cohort).values.map { $0[0].cohortSize }.reduce(0, +)
        #expect(cohortUsers == wholeCohortUsers)
    }

    /// Without a channels input spend is null: the partials carry that through their plan.
    @Test func noSpendInputStaysNull() throws {
        let (base, d) = try Self.shop.get()
        let data = IntegratedData(zone: d.zone, since: d.since, asOf: d.asOf, users: d.users, salesByUser: d.salesByUser,
                                  spend: [], stream: d.stream, hasEventsInput: true, hasSpendInput: false)
        let pipeline = Self.weekly(base)
        let whole = try AnalysisResults.compute(data, pipeline: pipeline)
        #expect(!whole.roi.hasSpendData && !whole.trends.segments.isEmpty)
        var merged = Self.empty(pipeline, data)
        for s in Self.subsets(data, 3).reversed() {
            merged.merge(try Self.decoded(Self.encoded(AnalysisPartials.compute(data.restricted(to: s), pipeline: pipeline)),
                                          pipeline, data))
        }
        Self.expectSame(merged.results(spend: [], pipeline: pipeline), whole, "no spend input")
        #expect(ChannelROITable.csv(merged.results(spend: [], pipeline: pipeline).roi).text.contains(",,"))
    }

    // MARK: - 2. Round trips

    /// Each analysis survives encode → decode (results equal), for every pipeline variant.
    @Test func roundTripKeepsEveryAnalysis() throws {
        let (base, data) = try Self.shop.get()
        for (name, make) in Self.variants {
            let pipeline = make(base)
            let p = AnalysisPartials.compute(data, pipeline: pipeline)
            let bytes = Self.encoded(p)
            let q = try Self.decoded(bytes, pipeline, data)
            Self.expectSame(q.results(spend: data.spend, pipeline: pipeline), p.results(spend: data.spend, pipeline: pipeline),
                            "\(name) round trip")
            // Re-encoding the decoded partial gives the same bytes (durations are written as one sorted run).
            #expect(Self.encoded(q) == bytes, "\(name): stable encoding")
            #expect(q.retention.cohortCount == p.retention.cohortCount && q.roi.channelCount == p.roi.channelCount)
        }
    }

    /// Sums beyond 64 bits (SPEC §9) are written as two u64 and come back exactly.
    @Test func int128SumsBeyond64BitsRoundTrip() throws {
        for v: Int128 in [0, 1, -1, Int128(Int64.max) + 1, Int128(Int64.min) - 1, Int128(UInt64.max), Int128(1) << 100,
                          -(Int128(1) << 100) + 12_345, .max, .min] {
            var w = PartWriter()
            w.int128(v)
            #expect(w.bytes.count == 16)
            var r = PartReader(w.bytes, from: 0, to: 16, name: "x")
            #expect(try r.int128() == v)
        }
        // Little-endian: low word first.
        var w = PartWriter()
        w.int128((Int128(2) << 64) | 1)
        #expect(w.bytes == [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])

        let (base, data) = try Self.shop.get()
        let pipeline = Self.weekly(base)
        var p = AnalysisPartials.compute(data, pipeline: pipeline)
        let huge = Int128(Int64.max) * 5
        p.retention.revenue[0] += huge
        p.roi.add("whale", ChannelROI.UserSums(signups: 1, payingUsers: 1, revenue: huge))
        p.roi.add("refunds", ChannelROI.UserSums(signups: 1, payingUsers: 0, revenue: Int128(Int64.min) * 3))
        p.trends.cells[0].revenue += huge
        let q = try Self.decoded(Self.encoded(p), pipeline, data)
        #expect(q.retention.revenue[0] == p.retention.revenue[0] && q.retention.revenue[0] > Int128(Int64.max))
        let a = p.results(spend: data.spend, pipeline: pipeline), b = q.results(spend: data.spend, pipeline: pipeline)
        Self.expectSame(b, a, "Int128 sums")
        #expect(b.roi.rows.first { $0.channel == "whale" }?.revenue == huge)
        #expect(b.roi.rows.first { $0.channel == "refunds" }?.revenue == Int128(Int64.min) * 3)
    }

    /// Empty partials and a partial of zero users encode, decode and merge to nothing.
    @Test func emptyPartialsAndZeroUsers() throws {
        let (base, data) = try Self.shop.get()
        for (name, make) in Self.variants {
            let pipeline = make(base)
            let empty = Self.empty(pipeline, data)
            let none = AnalysisPartials.compute(data.restricted(to: []), pipeline: pipeline)
            #expect(none.retention.cohortCount == 0 && none.roi.channelCount == 0, "\(name)")
            for p in [empty, none] {
                let q = try Self.decoded(Self.encoded(p), pipeline, data)
                Self.expectSame(q.results(spend: data.spend, pipeline: pipeline), empty.results(spend: data.spend, pipeline: pipeline),
                                "\(name) empty")
            }
            // Merged into a real partial (either side), they change nothing.
            let whole = AnalysisPartials.compute(data, pipeline: pipeline)
            var left = whole
            left.merge(try Self.decoded(Self.encoded(none), pipeline, data))
            var right = none
            right.merge(whole)
            right.merge(empty)
            let expected = try AnalysisResults.compute(data, pipeline: pipeline)
            Self.expectSame(left.results(spend: data.spend, pipeline: pipeline), expected, "\(name) whole + none")
            Self.expectSame(right.results(spend: data.spend, pipeline: pipeline), expected, "\(name) none + whole")
        }
        // An empty run's results: no cohorts, no entrants; spend rows alone still make ROI rows.
        let pipeline = Self.weekly(base)
        let r = Self.empty(pipeline, data).results(spend: data.spend, pipeline: pipeline)
        #expect(r.retention.cells.isEmpty && r.funnel?.segment("all").first?.users == 0)
        #expect(r.roi.rows.first { $0.channel == ROIResult.total }?.signups == 0)
        #expect(r.roi.rows.first { $0.channel == ROIResult.total }!.spend > 0)
    }

    // MARK: - 3. Refusals

    /// A partial decoded for another run (other since, as_of, settings) is refused, not misread.
    @Test func anotherRunsPartialIsRefused() throws {
        let (base, data) = try Self.shop.get()
        let pipeline = Self.weekly(base)
        let bytes = Self.encoded(AnalysisPartials.compute(data.restricted(to: Self.subsets(data, 3)[1]), pipeline: pipeline))
        func decode(_ p: Pipeline, since: LocalDate = data.since, asOf: LocalDate = data.asOf) throws {
            var r = PartReader(bytes, from: 0, to: bytes.count, name: "partial.bin")
            _ = try AnalysisPartials.decode(from: &r, pipeline: p, since: since, asOf: asOf, hasSpendInput: true)
        }
        try decode(pipeline)   // the right run reads it
        func expectRefused(_ what: String, _ body: () throws -> Void) {
            do {
                try body()
                Issue.record("\(what): decoded a partial of another run")
            } catch let e as OpsError {
                #expect(e.kind == .runtime && e.message.hasPrefix("partial: made for another run ("), "\(what): \(e.message)")
            } catch {
                Issue.record("\(what): \(error)")
            }
        }
        expectRefused("since") { try decode(pipeline, since: data.since.advanced(by: -7)) }
        expectRefused("as_of") { try decode(pipeline, asOf: data.asOf.advanced(by: -1)) }
        var other = pipeline
        other.retention.periods = 4
        expectRefused("periods") { try decode(other) }
        other = pipeline
        other.funnel = nil
        expectRefused("no funnel") { try decode(other) }
        other = pipeline
        other.funnel!.steps = ["signup", "purchase"]
        expectRefused("steps") { try decode(other) }
        other = pipeline
        other.trends.periods = 20
        expectRefused("slots") { try decode(other) }
    }

    /// Every truncation of a partial's payload throws (PartReader never reads past the end).
    @Test func truncatedPartialsThrow() throws {
        let (base, data) = try Self.shop.get()
        let pipeline = Self.weekly(base)
        let bytes = Self.encoded(AnalysisPartials.compute(data.restricted(to: Self.subsets(data, 16)[5]), pipeline: pipeline))
        #expect(bytes.count > 1_000)
        var cuts = Set([0, 1, 7, 8, 50, 51, bytes.count / 3, bytes.count / 2, bytes.count - 16, bytes.count - 1])
        for i in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) { cuts.insert(i) }
        for cut in cuts.sorted() {
            var r = PartReader(bytes, from: 0, to: cut, name: "partial.bin")
            #expect(throws: OpsError.self, "cut at \(cut) of \(bytes.count)") {
                _ = try AnalysisPartials.decode(from: &r, pipeline: pipeline, since: data.since, asOf: data.asOf,
                                                hasSpendInput: true)
            }
        }
    }

    // MARK: - restricted(to:)

    /// A restriction keeps each user's sales and events as they were, re-indexed densely.
    @Test func restrictionKeepsUsersSalesAndEvents() throws {
        let (_, data) = try Self.shop.get()
        let picked = Self.subsets(data, 3)[2]
        let sub = data.restricted(to: picked)
        #expect(sub.users.count == picked.count && sub.stream.userCount == picked.count)
        #expect(sub.spend.count == data.spend.count && sub.stream.names == data.stream.names)
        for (i, u) in picked.enumerated() {
            #expect(sub.users[i] == data.users[u])
            #expect(Array(sub.stream.events(of: i)) == Array(data.stream.events(of: u)))
            #expect(sub.salesByUser.of(i).map(\.amount) == data.salesByUser.of(u).map(\.amount))
            #expect(sub.salesByUser.of(i).allSatisfy { $0.user == Int32(i) })
        }
        #expect(sub.sales.count == picked.map { data.salesByUser.of($0).count }.reduce(0, +))
    }
}
