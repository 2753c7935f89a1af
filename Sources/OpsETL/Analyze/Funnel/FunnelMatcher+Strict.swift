/// Analyze: the `strict` funnel order (SPEC §4.2) — one user's events in stream order → the
/// furthest step reached and the step-to-step durations, when no other event of the user may come
/// between two steps.
///
/// The rule: as `ordered` (distinct events e₁ … eᵢ, eⱼ named like step j, non-decreasing times,
/// all ≤ t₁ + window, e₁ an entry in range), and each eⱼ₊₁ is the event that comes *right after*
/// eⱼ in the user's stream. The stream's total order is the instant, then `signup` before
/// `purchase` before event rows, then input order (`EventStream`), so "right after" is "at the next
/// index of the user's slice".
///
/// ## Why the chain from each entry is the only candidate, and the walk is optimal
/// Fix an entry e₁ at index p. A valid chain must have e₂ at index p + 1, e₃ at p + 2, and so on:
/// there is exactly one candidate chain per entry, the run of consecutive events after p. It
/// reaches step i exactly when events p … p + i − 1 carry the names of steps 1 … i and the last is
/// within the window; the other conditions hold by themselves (consecutive indices are distinct
/// events, and the stream is sorted by instant, so times never decrease). So the walk that extends
/// the run while the next event fits computes, for each entry, the most steps any chain from it
/// reaches; there is no choice of event to get wrong, hence the step times are the earliest — the
/// only — possible ones. Trying every entry in stream order and keeping the first strictly better
/// one gives the best progress and the times of the earliest entry reaching it (SPEC §4.2).
/// Cost: at most steps × events per user.
extension FunnelMatcher {
    func strictProgress(of events: UnsafeBufferPointer<EventStream.Event>, scratch: inout Scratch) -> Int {
        let n = stepIDs.count
        guard n > 0, stepIDs[0] >= 0 else { return 0 }
        let first = stepIDs[0]
        var best = 0
        var bestEntry = 0
        for p in events.indices where events[p].name == first && isInRange(events[p].at) {
            let deadline = events[p].at.adding(nanoseconds: windowNanoseconds)
            var reached = 1
            // A step whose name no event carries (id −1) matches nothing, so the run stops there.
            while reached < n, p + reached < events.count {
                let e = events[p + reached]
                guard e.name == stepIDs[reached], !(deadline < e.at) else { break }
                reached += 1
            }
            if reached > best {
                (best, bestEntry) = (reached, p)
                if best == n { break }       // no later entry can do better
            }
        }
        for j in 1..<max(best, 1) {
            scratch.durations[j] = events[bestEntry + j].at.nanoseconds(since: events[bestEntry + j - 1].at)
        }
        return best
    }
}
