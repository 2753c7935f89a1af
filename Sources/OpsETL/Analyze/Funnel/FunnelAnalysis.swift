import Foundation

/// Analyze: funnel conversion (SPEC §4.2, §9) — `IntegratedData` in, `FunnelResult` out; grain:
/// segment (`all`, then each acquisition channel with at least one entrant, then with `by_country`
/// each user country with at least one entrant) × step.
///
/// Users are split into contiguous ranges run with `parallelMap`. Each range matches its users
/// one at a time (`FunnelMatcher`, in the order `funnel.order` names) into its own `Partial` —
/// per group (a channel, or one group for everything without `by_channel`; and a country with
/// `by_country`): users per step and, per step, the durations from the previous step in
/// nanoseconds, sorted at the end of the range. Nothing is shared while matching, so no locks.
/// The ranges' partials are merged into one: counts add, and each group's durations stay the
/// list of the ranges' sorted runs (merging appends runs, it copies no durations). Medians are
/// selected straight from the sorted runs (`median(of:count:)`), so the durations are never
/// copied into one merged array, and segment `all` needs no arrays of its own. Partials of
/// users matched elsewhere (another partition, another machine) merge the same way: merged in
/// any order, or not at all, the partials give the same table.
public enum FunnelAnalysis {
    /// Computes every segment of the funnel described by `settings`.
    public static func compute(_ data: IntegratedData, settings: Funnel) -> FunnelResult {
        result(of: [partial(data, settings: settings)], settings: settings)
    }

    /// The same with an explicit number of user ranges (tests check the result does not depend on it).
    static func compute(_ data: IntegratedData, settings: Funnel, parts requestedParts: Int) -> FunnelResult {
        result(of: [partial(data, settings: settings, parts: requestedParts)], settings: settings)
    }

    /// The sums of every user of `data`, matched on every core: several ranges per core balance
    /// users with many events; ranges stay large enough that their accumulators cost little.
    public static func partial(_ data: IntegratedData, settings: Funnel) -> Partial {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return partial(data, settings: settings, parts: max(1, min(cores * 4, data.users.count / 4_096)))
    }

    /// The sums of every user of `data`, from `requestedParts` ranges matched concurrently and merged.
    static func partial(_ data: IntegratedData, settings: Funnel, parts requestedParts: Int) -> Partial {
        let userCount = data.stream.userCount
        let parts = max(1, min(requestedParts, userCount))
        let partials: [Partial]
        do {
            partials = try parallelMap(parts) { p in
                partial(data, settings: settings, users: userCount * p / parts ..< userCount * (p + 1) / parts)
            }
        } catch {
            preconditionFailure("FunnelAnalysis: matching throws nothing, yet parallelMap reported \(error)")
        }
        var total = Partial(stepCount: settings.steps.count)
        for p in partials { total.merge(p) }
        return total
    }

    /// The sums of the users `users` alone (indices into `data.users`).
    public static func partial(_ data: IntegratedData, settings: Funnel, users range: Range<Int>) -> Partial {
        let matcher = FunnelMatcher(steps: settings.steps, windowDays: settings.windowDays, order: settings.order, data: data)
        return accumulate(users: range, of: data, matcher: matcher, byChannel: settings.byChannel,
                          byCountry: settings.byCountry)
    }

    /// SPEC §4.2: in `any` order the steps are counts of steps done, `<k> of <n> steps`.
    public static func stepNames(_ settings: Funnel) -> [String] {
        let n = settings.steps.count
        return settings.order == .any ? (0..<n).map { "\($0 + 1) of \(n) steps" } : settings.steps
    }

    /// SPEC §4.2: a country segment's name; a null country is `country:unknown`.
    public static func countrySegment(_ country: String?) -> String { "country:" + (country ?? "unknown") }

    /// The table from partials whose user ranges cover every user once.
    public static func result(of partials: [Partial], settings: Funnel) -> FunnelResult {
        let n = settings.steps.count
        let names = stepNames(settings)
        typealias Member = (part: Int, group: Int)

        func rows(segment: String, channels: Bool, of groups: [Member]) -> [FunnelResult.Step] {
            func table(_ p: Int) -> Groups { channels ? partials[p].channels : partials[p].countries }
            var users = [Int](repeating: 0, count: n)
            for m in groups {
                for j in 0..<n { users[j] += table(m.part).users[m.group][j] }
            }
            return (0..<n).map { j in
                var fromPrevious: Decimal?
                var fromFirst: Decimal?
                var median: Decimal?
                var dropOff = 0
                if j == 0 {
                    // SPEC §9: step 1 rates are 1, null when the segment has no entrants.
                    if users[0] > 0 { fromPrevious = 1; fromFirst = 1 }
                } else {
                    dropOff = users[j - 1] - users[j]
                    // SPEC §9: from the previous step null when the step before has 0 users; from the
                    // first null only without entrants (1 entrant, nobody at steps 2 and 3: step 3 is 0).
                    if users[j - 1] > 0 { fromPrevious = Decimal(users[j]) / Decimal(users[j - 1]) }
                    if users[0] > 0 { fromFirst = Decimal(users[j]) / Decimal(users[0]) }
                    median = Self.median(of: groups.flatMap { table($0.part).durations[$0.group][j] }, count: users[j])
                }
                return FunnelResult.Step(segment: segment, step: j + 1, name: names[j], users: users[j],
                                         conversionFromPrevious: fromPrevious, conversionFromFirst: fromFirst,
                                         dropOff: dropOff, medianSecondsFromPrevious: median)
            }
        }

        // Groups across ranges, by name, in byte order of their UTF-8 names (SPEC §7).
        func members(_ channels: Bool) -> [(name: String, groups: [Member])] {
            var byName: [String: [Member]] = [:]
            for (p, partial) in partials.enumerated() {
                for (g, name) in (channels ? partial.channels : partial.countries).names.enumerated() {
                    byName[name, default: []].append((p, g))
                }
            }
            return byName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { ($0, byName[$0]!) }
        }

        let channelGroups = members(true)
        var segments = ["all"]
        var kinds: [FunnelResult.SegmentKind] = [.all]
        // Every entrant is in exactly one channel group ("" without by_channel): together they are `all`.
        var steps = rows(segment: "all", channels: true, of: channelGroups.flatMap(\.groups))
        if settings.byChannel {
            for channel in channelGroups {
                segments.append(channel.name)
                kinds.append(.channel)
                steps += rows(segment: channel.name, channels: true, of: channel.groups)
            }
        }
        if settings.byCountry {
            for country in members(false) {
                segments.append(country.name)
                kinds.append(.country)
                steps += rows(segment: country.name, channels: false, of: country.groups)
            }
        }
        return FunnelResult(stepNames: names, segments: segments, steps: steps, kinds: kinds, order: settings.order)
    }

    /// Matches one contiguous range of users into its own accumulators (one worker's share).
    static func accumulate(users range: Range<Int>, of data: IntegratedData, matcher: FunnelMatcher,
                           byChannel: Bool, byCountry: Bool = false) -> Partial {
        var acc = Partial(stepCount: matcher.stepCount)
        var scratch = FunnelMatcher.Scratch(stepCount: matcher.stepCount)
        let start = data.stream.userStart
        data.stream.events.withUnsafeBufferPointer { all in
            for u in range {
                let reached = matcher.progress(of: UnsafeBufferPointer(rebasing: all[start[u]..<start[u + 1]]),
                                               scratch: &scratch)
                guard reached > 0 else { continue }
                // SPEC §9: only channels (countries) with an entrant get a segment, so only entrants are looked up.
                acc.channels.add(byChannel ? data.users[u].channel : "", reached: reached, durations: scratch.durations)
                if byCountry {
                    acc.countries.add(countrySegment(data.users[u].country), reached: reached, durations: scratch.durations)
                }
            }
        }
        acc.channels.sortDurations()
        acc.countries.sortDurations()
        return acc
    }

    /// Some users' sums — a mergeable partial: the channel groups (one group "" without
    /// `by_channel`; together they hold every entrant once) and the country groups.
    public struct Partial: Sendable {
        var channels: Groups
        var countries: Groups

        init(stepCount: Int) {
            channels = Groups(stepCount: stepCount)
            countries = Groups(stepCount: stepCount)
        }

        /// The number of steps (a partial merges only with partials of the same funnel).
        public var stepCount: Int { channels.stepCount }

        /// Adds other users' sums: counts add, sorted runs of durations are appended (both exact).
        public mutating func merge(_ other: Partial) {
            channels.merge(other.channels)
            countries.merge(other.countries)
        }
    }

    /// Groups of users by a name (a channel or a country segment).
    struct Groups: Sendable {
        /// Group names in first-seen order.
        var names: [String] = []
        var index: [String: Int] = [:]
        /// `users[g][j]`: users of group g reaching step j (0-based).
        var users: [[Int]] = []
        /// `durations[g][j]`: tⱼ − tⱼ₋₁ in nanoseconds for each such user (j ≥ 1; `[0]` stays empty),
        /// as sorted runs — one per user range matched, each sorted once its range is done. Together
        /// the runs hold `users[g][j]` values; a median selects across them without merging.
        var durations: [[[[Int64]]]] = []
        let stepCount: Int

        init(stepCount: Int) { self.stepCount = stepCount }

        mutating func group(_ name: String) -> Int {
            if let g = index[name] { return g }
            let g = names.count
            names.append(name)
            index[name] = g
            users.append([Int](repeating: 0, count: stepCount))
            durations.append([[[Int64]]](repeating: [[]], count: stepCount))
            return g
        }

        /// One user of group `name` reaching `reached` steps, with `durations[1 ..< reached]`
        /// (while matching a range, each group and step has one run, filled here).
        mutating func add(_ name: String, reached: Int, durations times: [Int64]) {
            let g = group(name)
            for j in 0..<reached { users[g][j] += 1 }
            for j in 1..<reached { durations[g][j][0].append(times[j]) }
        }

        /// Sorts the runs once a range is matched, and drops the empty ones.
        mutating func sortDurations() {
            for g in durations.indices {
                for j in durations[g].indices {
                    for r in durations[g][j].indices { durations[g][j][r].sort() }
                    durations[g][j].removeAll { $0.isEmpty }
                }
            }
        }

        /// Adds other users' groups: counts add, their sorted runs join ours (no durations copied
        /// into merged arrays; the median selects across runs).
        mutating func merge(_ other: Groups) {
            precondition(stepCount == other.stepCount, "FunnelAnalysis.Groups.merge: partials of different funnels")
            for (o, name) in other.names.enumerated() {
                let g = group(name)
                for j in 0..<stepCount {
                    users[g][j] += other.users[o][j]
                    durations[g][j].removeAll { $0.isEmpty }
                    durations[g][j] += other.durations[o][j].lazy.filter { !$0.isEmpty }
                }
            }
        }

        /// The sorted runs of group g's step j merged into one sorted array (pairwise, like a
        /// merge sort's passes): what a serialised partial writes, so a reader holds one run.
        func mergedDurations(group g: Int, step j: Int) -> [Int64] {
            var runs = durations[g][j].filter { !$0.isEmpty }
            guard !runs.isEmpty else { return [] }
            while runs.count > 1 {
                var next: [[Int64]] = []
                next.reserveCapacity((runs.count + 1) / 2)
                var i = 0
                while i + 1 < runs.count { next.append(Self.mergeSorted(runs[i], runs[i + 1])); i += 2 }
                if i < runs.count { next.append(runs[i]) }
                runs = next
            }
            return runs[0]
        }

        static func mergeSorted(_ a: [Int64], _ b: [Int64]) -> [Int64] {
            var out: [Int64] = []
            out.reserveCapacity(a.count + b.count)
            var (i, j) = (0, 0)
            while i < a.count, j < b.count {
                if b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
            }
            out += a[i...]
            out += b[j...]
            return out
        }
    }

    /// SPEC §4.2: the median of the `count` values held by the sorted `arrays` together (the mean
    /// of the two middle values for an even count), in seconds; nil when there are none.
    static func median(of arrays: [[Int64]], count: Int) -> Decimal? {
        guard count > 0 else { return nil }
        let upper = kthSmallest(count / 2, in: arrays)
        let sum = count % 2 == 1 ? Decimal(upper) * 2 : Decimal(kthSmallest((count - 1) / 2, in: arrays)) + Decimal(upper)
        // sum / 2 nanoseconds → seconds; both steps are exact in Decimal.
        return Decimal(sign: .plus, exponent: -9, significand: sum) / 2
    }

    /// The k-th smallest (0-based) value across sorted arrays: a binary search on the value for
    /// the smallest v with at least k + 1 values ≤ v, counting each array by binary search — a
    /// selection over the merged arrays without building them.
    static func kthSmallest(_ k: Int, in arrays: [[Int64]]) -> Int64 {
        var lo = Int64.max, hi = Int64.min
        for a in arrays where !a.isEmpty {
            lo = min(lo, a[0])
            hi = max(hi, a[a.count - 1])
        }
        precondition(lo <= hi, "FunnelAnalysis.kthSmallest: no values")
        // Invariant: the answer lies in [lo, hi].
        while lo < hi {
            let mid = lo + (hi - lo) / 2          // durations are ≥ 0, so hi − lo cannot overflow
            var atMost = 0
            for a in arrays { atMost += countAtMost(mid, in: a) }
            if atMost > k { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// How many values of the sorted `a` are ≤ v.
    private static func countAtMost(_ v: Int64, in a: [Int64]) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
