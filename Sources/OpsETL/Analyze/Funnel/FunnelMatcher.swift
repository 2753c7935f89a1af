import Foundation

/// Analyze: one user's progress through the funnel (SPEC §4.2, §9) — user events in, the
/// furthest step reached and the step-to-step durations out; no allocation per user or event.
///
/// `funnel.order` picks the matcher: `ordered` (this file), `strict` (`FunnelMatcher+Strict`) and
/// `any` (`FunnelMatcher+AnyOrder`), each with the argument that its walk is optimal.
///
/// ## ordered
/// A user enters at each occurrence of step 1 whose local date is in [`since`, `as_of`]. From
/// an entry e₁ at t₁ it reaches step i when there are distinct events e₁ … eᵢ, eⱼ named like
/// step j, with non-decreasing timestamps, all ≤ t₁ + `window_days` × 86 400 s (inclusive).
/// Progress is the best over all entries; durations are those of the earliest entry that
/// reaches that best progress, taking at each step the earliest possible event.
///
/// ## Why greedy earliest matching is optimal
/// From a fixed entry the matcher takes, for each next step, the earliest unused event of that
/// step's name at or after the previous step's time and within the deadline. Let F = f₁ … fᵢ
/// be any valid chain from the same entry and suppose F agrees with the greedy chain G on
/// steps 1 … j−1. fⱼ is a candidate for the greedy choice at step j (right name, time ≥ t(fⱼ₋₁)
/// = t(gⱼ₋₁), within the deadline, and not among g₁ … gⱼ₋₁ = f₁ … fⱼ₋₁ because F's events are
/// distinct), so greedy finds some gⱼ with t(gⱼ) ≤ t(fⱼ). If gⱼ is not in F, replacing fⱼ by gⱼ
/// keeps F valid (t(fⱼ₋₁) ≤ t(gⱼ) ≤ t(fⱼ) ≤ t(fⱼ₊₁), still distinct). If gⱼ = fₘ for some
/// m > j, then steps j and m share a name and t(fⱼ) ≤ t(fₘ) = t(gⱼ) ≤ t(fⱼ), so all three
/// times are equal and swapping fⱼ and fₘ keeps F valid. Either way F now agrees with G on
/// 1 … j, and no step's time grew. By induction greedy reaches every step any chain reaches
/// (its progress is the entry's best) and each of its times is the earliest possible.
struct FunnelMatcher: Sendable {
    let order: FunnelOrder
    /// Event name id of each step; -1 for a name no event carries, which matches nothing.
    let stepIDs: [Int32]
    /// `any`: for each event name id, its slot group (one per distinct step name), -1 for a name
    /// that is no step; `slotCapacity[g]`: how many times group g's name is listed in the steps.
    let slotOf: [Int32]
    let slotCapacity: [Int]
    /// `window_days` × 86 400 s in nanoseconds, rounded down (an event time is a whole number
    /// of nanoseconds, so `t − t₁ ≤ w` ⇔ `t − t₁ ≤ ⌊w⌋`: the inclusive bound stays exact).
    let windowNanoseconds: Int64
    let zone: ZoneRules
    let since: LocalDate
    let asOf: LocalDate

    var stepCount: Int { stepIDs.count }

    init(steps: [String], windowDays: Decimal, order: FunnelOrder = .ordered, data: IntegratedData) {
        self.order = order
        stepIDs = steps.map { data.stream.id(of: $0) ?? -1 }
        var slotOf = [Int32](repeating: -1, count: data.stream.names.count)
        var capacity: [Int] = []
        for id in stepIDs where id >= 0 {
            if slotOf[Int(id)] < 0 {
                slotOf[Int(id)] = Int32(capacity.count)
                capacity.append(0)
            }
            capacity[Int(slotOf[Int(id)])] += 1
        }
        self.slotOf = slotOf
        slotCapacity = capacity
        windowNanoseconds = DayWindow.nanoseconds(windowDays)
        zone = data.zone
        since = data.since
        asOf = data.asOf
    }

    /// Buffers reused from one user to the next by one worker.
    struct Scratch {
        /// Indices (into the user's events) of e₁ … eᵢ of the entry being matched.
        var chain: [Int]
        /// `durations[j]` = tⱼ₊₁ − tⱼ (0-based steps) in nanoseconds for the earliest entry that
        /// reaches the best progress; valid for j in 1 ..< progress. `durations[0]` is unused.
        var durations: [Int64]
        /// `any`: events counted per slot group in the current window; all 0 between users.
        var used: [Int]

        init(stepCount: Int) {
            chain = [Int](repeating: 0, count: max(stepCount, 1))
            durations = [Int64](repeating: 0, count: max(stepCount, 1))
            used = [Int](repeating: 0, count: max(stepCount, 1))
        }
    }

    /// The number of steps the user reaches (0 when it never enters), filling `scratch.durations`.
    ///
    /// - Parameter events: the user's events in stream order (`EventStream`: by instant, then
    ///   signup, sales, event rows, each in input order).
    @inline(__always)
    func progress(of events: UnsafeBufferPointer<EventStream.Event>, scratch: inout Scratch) -> Int {
        switch order {
        case .ordered: orderedProgress(of: events, scratch: &scratch)
        case .strict: strictProgress(of: events, scratch: &scratch)
        case .any: anyOrderProgress(of: events, scratch: &scratch)
        }
    }

    /// An entry's local date is in [`since`, `as_of`] (SPEC §4.2: a user enters at such events only).
    @inline(__always)
    func isInRange(_ at: Instant) -> Bool {
        let date = zone.localDate(of: at)
        return date >= since && date <= asOf
    }

    /// `ordered`: greedy earliest matching from each entry (the argument above).
    private func orderedProgress(of events: UnsafeBufferPointer<EventStream.Event>, scratch: inout Scratch) -> Int {
        let n = stepIDs.count
        guard n > 0 else { return 0 }
        let first = stepIDs[0]
        guard first >= 0 else { return 0 }
        var best = 0
        for k in events.indices where events[k].name == first {
            let date = zone.localDate(of: events[k].at)
            guard date >= since, date <= asOf else { continue }
            let reached = match(from: k, in: events, chain: &scratch.chain)
            // Entries come in time order, so only a strictly better one replaces the durations:
            // they stay those of the earliest entry reaching the best progress.
            if reached > best {
                best = reached
                for j in 1..<reached {
                    scratch.durations[j] = events[scratch.chain[j]].at.nanoseconds(since: events[scratch.chain[j - 1]].at)
                }
                if best == n { break }       // no later entry can do better
            }
        }
        return best
    }

    /// Greedy earliest matching from the entry at `entry` (see the type's comment); returns the
    /// number of steps reached (≥ 1) with their event indices in `chain`.
    @inline(__always)
    private func match(from entry: Int, in events: UnsafeBufferPointer<EventStream.Event>, chain: inout [Int]) -> Int {
        let deadline = events[entry].at.adding(nanoseconds: windowNanoseconds)
        chain[0] = entry
        var reached = 1
        var previous = entry
        while reached < stepIDs.count {
            let target = stepIDs[reached]
            guard target >= 0 else { break }
            let previousAt = events[previous].at
            // Events at the previous step's instant may lie before `previous` in the stream (the tie
            // order is not the step order), and are eligible: start at the first event of that instant.
            var i = previous
            while i > 0 && events[i - 1].at == previousAt { i -= 1 }
            var found = -1
            while i < events.count {
                let e = events[i]
                if deadline < e.at { break }
                // Only an event at `previousAt` can already be in the chain (the chain's times never decrease).
                if e.name == target && !(e.at == previousAt && chain[0..<reached].contains(i)) {
                    found = i
                    break
                }
                i += 1
            }
            guard found >= 0 else { break }
            chain[reached] = found
            reached += 1
            previous = found
        }
        return reached
    }
}
