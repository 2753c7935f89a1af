import Foundation

/// Analyze: funnel conversion (SPEC §4.2, §9) — `IntegratedData` in, `FunnelResult` out; grain:
/// segment (`all`, then each acquisition channel with at least one entrant) × step.
///
/// Users are split into contiguous ranges run with `parallelMap`. Each range matches its users
/// one at a time (`FunnelMatcher`) into its own accumulators — per group (a channel, or one
/// group for everything without `by_channel`): users per step and, per step, the durations
/// from the previous step in nanoseconds, sorted at the end of the range. Nothing is shared
/// while matching, so no locks. Counts are summed in range order; medians are selected
/// straight from the sorted per-range arrays (`median(of:count:)`), so the durations are
/// never copied into one merged array, and segment `all` needs no arrays of its own.
public enum FunnelAnalysis {
    /// Computes every segment of the funnel described by `settings`.
    public static func compute(_ data: IntegratedData, settings: Funnel) -> FunnelResult {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Several ranges per core balance users with many events; ranges stay large enough
        // that their accumulators cost little.
        let parts = max(1, min(cores * 4, data.users.count / 4_096))
        return compute(data, settings: settings, parts: parts)
    }

    /// The same with an explicit number of user ranges (tests check the result does not depend on it).
    static func compute(_ data: IntegratedData, settings: Funnel, parts requestedParts: Int) -> FunnelResult {
        let matcher = FunnelMatcher(steps: settings.steps, windowDays: settings.windowDays, data: data)
        let n = settings.steps.count
        let userCount = data.stream.userCount
        let parts = max(1, min(requestedParts, userCount))
        let byChannel = settings.byChannel

        let partials: [Partial]
        do {
            partials = try parallelMap(parts) { p in
                accumulate(users: userCount * p / parts ..< userCount * (p + 1) / parts, of: data,
                           matcher: matcher, byChannel: byChannel)
            }
        } catch {
            preconditionFailure("FunnelAnalysis: matching throws nothing, yet parallelMap reported \(error)")
        }

        // Groups across ranges, by name; channels in byte order of their UTF-8 names (SPEC §7).
        var members: [String: [(part: Int, group: Int)]] = [:]
        for (p, partial) in partials.enumerated() {
            for (g, name) in partial.names.enumerated() { members[name, default: []].append((p, g)) }
        }

        func rows(segment: String, of groups: [(part: Int, group: Int)]) -> [FunnelResult.Step] {
            var users = [Int](repeating: 0, count: n)
            for m in groups {
                for j in 0..<n { users[j] += partials[m.part].users[m.group][j] }
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
                    // SPEC §9: null when the step before has 0 users; otherwise users[0] ≥ users[j − 1] > 0.
                    if users[j - 1] > 0 {
                        fromPrevious = Decimal(users[j]) / Decimal(users[j - 1])
                        fromFirst = Decimal(users[j]) / Decimal(users[0])
                    }
                    median = Self.median(of: groups.map { partials[$0.part].durations[$0.group][j] }, count: users[j])
                }
                return FunnelResult.Step(segment: segment, step: j + 1, name: settings.steps[j], users: users[j],
                                         conversionFromPrevious: fromPrevious, conversionFromFirst: fromFirst,
                                         dropOff: dropOff, medianSecondsFromPrevious: median)
            }
        }

        var segments = ["all"]
        let everyGroup = partials.indices.flatMap { p in partials[p].names.indices.map { (part: p, group: $0) } }
        var steps = rows(segment: "all", of: everyGroup)
        if byChannel {
            let channels = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for channel in channels {
                segments.append(channel)
                steps += rows(segment: channel, of: members[channel]!)
            }
        }
        return FunnelResult(stepNames: settings.steps, segments: segments, steps: steps)
    }

    /// Matches one contiguous range of users into its own accumulators (one worker's share).
    static func accumulate(users range: Range<Int>, of data: IntegratedData, matcher: FunnelMatcher,
                           byChannel: Bool) -> Partial {
        var acc = Partial(stepCount: matcher.stepCount)
        var scratch = FunnelMatcher.Scratch(stepCount: matcher.stepCount)
        let start = data.stream.userStart
        data.stream.events.withUnsafeBufferPointer { all in
            for u in range {
                let reached = matcher.progress(of: UnsafeBufferPointer(rebasing: all[start[u]..<start[u + 1]]),
                                               scratch: &scratch)
                guard reached > 0 else { continue }
                // SPEC §9: only channels with an entrant get a segment, so only entrants are looked up.
                let g = acc.group(byChannel ? data.users[u].channel : "")
                for j in 0..<reached { acc.users[g][j] += 1 }
                for j in 1..<reached { acc.durations[g][j].append(scratch.durations[j]) }
            }
        }
        acc.sortDurations()
        return acc
    }

    /// One user range's accumulators.
    struct Partial: Sendable {
        /// Group names in first-seen order (channels, or "" for everything without `by_channel`).
        var names: [String] = []
        var index: [String: Int] = [:]
        /// `users[g][j]`: users of group g reaching step j (0-based).
        var users: [[Int]] = []
        /// `durations[g][j]`: tⱼ − tⱼ₋₁ in nanoseconds for each such user (j ≥ 1; `[0]` stays empty).
        var durations: [[[Int64]]] = []
        let stepCount: Int

        init(stepCount: Int) { self.stepCount = stepCount }

        mutating func group(_ name: String) -> Int {
            if let g = index[name] { return g }
            let g = names.count
            names.append(name)
            index[name] = g
            users.append([Int](repeating: 0, count: stepCount))
            durations.append([[Int64]](repeating: [], count: stepCount))
            return g
        }

        mutating func sortDurations() {
            for g in durations.indices {
                for j in durations[g].indices { durations[g][j].sort() }
            }
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
