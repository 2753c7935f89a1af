/// Analyze: the `any` funnel order (SPEC §4.2) — one user's events in stream order → how many of
/// the n steps it does, in any order, within the window of an entry, and the durations between
/// the counted events.
///
/// The rule: the user enters at each event named like any step whose local date is in range.
/// From an entry at index p and time t₁, walk the stream from p (inclusive) while events are
/// ≤ t₁ + window: an event counts when its name still has an unused slot (a name listed m times
/// in the steps has m slots); the k-th event that counts completes step k ("k of n steps").
/// Progress is the best over the entries, the durations those of the earliest entry reaching it.
///
/// ## Why the greedy walk is optimal
/// Call a set S of distinct events of the window W(p) = [p, the last index ≤ t₁ + window] that
/// contains e₁ = events[p] *feasible* when no name occurs in S more often than it has slots — any
/// order of doing the steps is allowed, so this is all "doing |S| of the steps" can mean. The walk
/// takes, for each name x, the first min(mₓ, cₓ) events of x in W(p), where mₓ is its slots and cₓ
/// its events in W(p); its set G is feasible and contains e₁ (the first event, with a free slot).
/// - *Most steps*: a feasible S has at most min(mₓ, cₓ) events of each name, so
///   |S| ≤ Σₓ min(mₓ, cₓ) = |G|.
/// - *Earliest times*: for any instant T, G has, of each name x, min(mₓ, #events of x in W(p) up to
///   T) events up to T — its events of x are the earliest ones — and S has at most that many. So G
///   has at least as many events up to T as S, for every T: the k-th counted event of G is no later
///   than the k-th event (in time) of any feasible S. The walk therefore gives every step k its
///   earliest possible time at once, which is what "taking at each step the earliest possible
///   event" asks, and the durations between them follow.
///
/// The progress of every entry is Σₓ min(mₓ, cₓ) over a window that only slides forward (both
/// ends move right as p grows, since the stream is sorted by instant), so one pass keeps the counts
/// cₓ up to date: O(events) per user. The walk itself runs once, for the chosen entry, for the times.
extension FunnelMatcher {
    func anyOrderProgress(of events: UnsafeBufferPointer<EventStream.Event>, scratch: inout Scratch) -> Int {
        let n = stepIDs.count
        guard n > 0, !slotCapacity.isEmpty else { return 0 }
        var best = 0
        var bestEntry = 0
        // The window W(p) is `p ..< end`; `filled` = Σ min(capacity, used) over its events.
        var end = 0
        var filled = 0
        for p in events.indices {
            let g = Int(slotOf[Int(events[p].name)])
            let deadline = events[p].at.adding(nanoseconds: windowNanoseconds)
            while end < events.count, !(deadline < events[end].at) {
                let h = Int(slotOf[Int(events[end].name)])
                if h >= 0 {
                    if scratch.used[h] < slotCapacity[h] { filled += 1 }
                    scratch.used[h] += 1
                }
                end += 1
            }
            if g >= 0, filled > best, isInRange(events[p].at) {
                (best, bestEntry) = (filled, p)
                if best == n { break }       // no later entry can do better
            }
            // Slide: events[p] leaves the window (end > p, as p itself is within its own window).
            if g >= 0 {
                scratch.used[g] -= 1
                if scratch.used[g] < slotCapacity[g] { filled -= 1 }
            }
        }
        for g in slotCapacity.indices { scratch.used[g] = 0 }
        guard best > 0 else { return 0 }

        // The walk from the chosen entry, for the times of the counted events.
        let deadline = events[bestEntry].at.adding(nanoseconds: windowNanoseconds)
        var counted = 0
        var previous = events[bestEntry].at
        var i = bestEntry
        while counted < best, i < events.count, !(deadline < events[i].at) {
            let h = Int(slotOf[Int(events[i].name)])
            if h >= 0, scratch.used[h] < slotCapacity[h] {
                scratch.used[h] += 1
                if counted > 0 { scratch.durations[counted] = events[i].at.nanoseconds(since: previous) }
                previous = events[i].at
                counted += 1
            }
            i += 1
        }
        for g in slotCapacity.indices { scratch.used[g] = 0 }
        return best
    }
}
