/// Partition: the binary form of `AnalysisPartials` — what one user partition's analyze task
/// writes and the driver merges (docs/partitioned.md, payload conventions of `PartWriter`).
///
/// Only the sums are written. The shape of retention, the funnel's steps and the trends plan are
/// pure functions of the pipeline, `since`, `as_of` and whether the run has a spend input, so
/// `decode` rebuilds them from its arguments (as `empty` does) and reads the sums into them. A
/// small fingerprint comes first — since, as_of, retention's first and last cohort periods, its
/// period count and days, the funnel's step count (−1 without a funnel), the trends' slot and
/// lifecycle counts — so a partial made for another run is refused instead of misread.
///
/// Layout after the fingerprint (integers i64, money Int128 as low u64 then high u64, names as
/// strings, lists as a u32 count then the elements):
/// - retention: rows; each: cohort period ordinal, size, width, then per cell active and
///   revenue, then per day of `days` active-on, eligible-through, active-through;
/// - funnel (when present): channel groups, then country groups; each: name, users per step,
///   then per step its durations as one sorted list (the runs merged);
/// - ROI: channels; each: name, signups, paying users, revenue;
/// - trends: segments; each: kind (u8: 0 all, 1 channel, 2 country), name, then per slot the
///   cell's nine sums; then the lifecycle counts (new, returning, resurrecting, dormant) per period.
extension AnalysisPartials {
    func encode(into w: inout PartWriter) {
        Fingerprint(self).encode(into: &w)
        encodeRetention(into: &w)
        if let funnel {
            Self.encode(funnel.channels, into: &w)
            Self.encode(funnel.countries, into: &w)
        }
        w.u32(UInt32(roi.names.count))
        for (i, name) in roi.names.enumerated() {
            let s = roi.sums[i]
            w.string(name)
            w.int(s.signups)
            w.int(s.payingUsers)
            w.int128(s.revenue)
        }
        encodeTrends(into: &w)
    }

    static func decode(from r: inout PartReader, pipeline: Pipeline, since: LocalDate, asOf: LocalDate,
                       hasSpendInput: Bool) throws -> AnalysisPartials {
        var out = AnalysisPartials.empty(pipeline: pipeline, since: since, asOf: asOf, hasSpendInput: hasSpendInput)
        let expected = Fingerprint(out)
        let found = try Fingerprint(from: &r)
        guard found == expected else {
            throw OpsError.runtime("partial: made for another run (\(found) in \(r.name), this run has \(expected))")
        }
        try out.decodeRetention(from: &r)
        if out.funnel != nil {
            try decode(&out.funnel!.channels, from: &r)
            try decode(&out.funnel!.countries, from: &r)
        }
        for _ in 0..<(try r.count(minBytes: 4 + 8 + 8 + 16)) {
            let name = try r.string()
            let signups = try r.int()
            let paying = try r.int()
            out.roi.add(name, ChannelROI.UserSums(signups: signups, payingUsers: paying, revenue: try r.int128()))
        }
        try out.decodeTrends(from: &r)
        return out
    }

    /// A partial's encoding is corrupt in a way the checksum cannot see (a writer bug, not a disk error).
    private static func corrupt(_ r: PartReader, _ what: String) -> OpsError {
        OpsError.runtime("\(r.name): analysis partial is corrupt (\(what) at byte \(r.offset))")
    }

    // MARK: - Fingerprint

    /// What identifies the run a partial was made for, as far as its layout depends on it.
    struct Fingerprint: Equatable, CustomStringConvertible {
        var since: LocalDate
        var asOf: LocalDate
        var firstCohort: Int
        var lastCohort: Int
        var periods: Int
        var days: Int
        var funnelSteps: Int
        var slots: Int
        var lifecycle: Int

        init(_ p: AnalysisPartials) {
            let shape = p.retention.shape
            since = p.trends.plan.since
            asOf = p.trends.plan.asOf
            firstCohort = shape.first
            lastCohort = shape.last
            periods = shape.periods
            days = shape.days.count
            funnelSteps = p.funnel?.stepCount ?? -1
            slots = p.trends.plan.slots.count
            lifecycle = p.trends.plan.lifecycle.count
        }

        init(from r: inout PartReader) throws {
            since = try r.date()
            asOf = try r.date()
            firstCohort = try r.int()
            lastCohort = try r.int()
            periods = try r.int()
            days = try r.int()
            funnelSteps = try r.int()
            slots = try r.int()
            lifecycle = try r.int()
        }

        func encode(into w: inout PartWriter) {
            w.date(since)
            w.date(asOf)
            for v in [firstCohort, lastCohort, periods, days, funnelSteps, slots, lifecycle] { w.int(v) }
        }

        var description: String {
            "since \(since), as_of \(asOf), cohort periods \(firstCohort)…\(lastCohort) × \(periods + 1), \(days) days, "
                + "\(funnelSteps < 0 ? "no funnel" : "\(funnelSteps) funnel steps"), \(slots) trend slots"
        }
    }

    // MARK: - Retention

    private func encodeRetention(into w: inout PartWriter) {
        let p = retention
        let d = p.shape.days.count
        w.u32(UInt32(p.cohorts.count))
        for row in p.cohorts.indices {
            let (base, end) = (p.rowStart[row], p.rowStart[row + 1])
            w.int(p.cohorts[row])
            w.int(p.size[row])
            w.int(end - base)
            for k in base..<end {
                w.int(p.active[k])
                w.int128(p.revenue[k])
            }
            for i in (row * d)..<((row + 1) * d) {
                w.int(p.activeOn[i])
                w.int(p.eligibleThrough[i])
                w.int(p.activeThrough[i])
            }
        }
    }

    private mutating func decodeRetention(from r: inout PartReader) throws {
        let shape = retention.shape
        let d = shape.days.count
        for _ in 0..<(try r.count(minBytes: 24)) {
            let c = try r.int()
            guard c >= shape.first, c <= shape.last else { throw Self.corrupt(r, "cohort period \(c) out of range") }
            let size = try r.int()
            let width = try r.int()
            guard width == shape.width(ofCohort: c) else { throw Self.corrupt(r, "cohort row of width \(width)") }
            let row = retention.row(of: c)
            let base = retention.rowStart[row]
            retention.size[row] += size
            for k in 0..<width {
                retention.active[base + k] += try r.int()
                retention.revenue[base + k] += try r.int128()
            }
            for i in (row * d)..<((row + 1) * d) {
                retention.activeOn[i] += try r.int()
                retention.eligibleThrough[i] += try r.int()
                retention.activeThrough[i] += try r.int()
            }
        }
    }

    // MARK: - Funnel

    private static func encode(_ groups: FunnelAnalysis.Groups, into w: inout PartWriter) {
        w.u32(UInt32(groups.names.count))
        for (g, name) in groups.names.enumerated() {
            w.string(name)
            for j in 0..<groups.stepCount { w.int(groups.users[g][j]) }
            for j in 0..<groups.stepCount {
                let merged = groups.mergedDurations(group: g, step: j)
                w.u32(UInt32(merged.count))
                for v in merged { w.i64(v) }
            }
        }
    }

    private static func decode(_ groups: inout FunnelAnalysis.Groups, from r: inout PartReader) throws {
        let n = groups.stepCount
        for _ in 0..<(try r.count(minBytes: 4 + 8 * n + 4 * n)) {
            let g = groups.group(try r.string())
            for j in 0..<n { groups.users[g][j] += try r.int() }
            for j in 0..<n {
                let count = try r.count(minBytes: 8)
                var run: [Int64] = []
                run.reserveCapacity(count)
                for _ in 0..<count {
                    let v = try r.i64()
                    guard run.last.map({ $0 <= v }) ?? true else { throw corrupt(r, "durations not sorted") }
                    run.append(v)
                }
                groups.durations[g][j].removeAll { $0.isEmpty }
                if !run.isEmpty { groups.durations[g][j].append(run) }
            }
        }
    }

    // MARK: - Trends

    private func encodeTrends(into w: inout PartWriter) {
        let t = trends
        let n = t.plan.slots.count
        w.u32(UInt32(t.segments.count))
        for (s, segment) in t.segments.enumerated() {
            switch segment {
            case .all: w.u8(0); w.string("")
            case .channel(let name): w.u8(1); w.string(name)
            case .country(let name): w.u8(2); w.string(name)
            }
            for c in t.cells[(s * n)..<((s + 1) * n)] {
                for v in [c.signups, c.newInBase, c.activeUsers, c.activeUserDays, c.payingUsers, c.newPayingUsers, c.orders] {
                    w.int(v)
                }
                w.int128(c.revenue)
                w.int128(c.spend)
            }
        }
        w.u32(UInt32(t.lifecycle.count))
        for l in t.lifecycle {
            for v in [l.new, l.returning, l.resurrecting, l.dormant] { w.int(v) }
        }
    }

    private mutating func decodeTrends(from r: inout PartReader) throws {
        let n = trends.plan.slots.count
        for _ in 0..<(try r.count(minBytes: 1 + 4 + n * (7 * 8 + 2 * 16))) {
            let kind = try r.u8()
            let name = try r.string()
            let segment: TrendSegment
            switch kind {
            case 0: segment = .all
            case 1: segment = .channel(name)
            case 2: segment = .country(name)
            default: throw Self.corrupt(r, "trend segment kind \(kind)")
            }
            let s = trends.id(of: segment)
            for k in 0..<n {
                var c = TrendsPartial.Cell()
                c.signups = try r.int()
                c.newInBase = try r.int()
                c.activeUsers = try r.int()
                c.activeUserDays = try r.int()
                c.payingUsers = try r.int()
                c.newPayingUsers = try r.int()
                c.orders = try r.int()
                c.revenue = try r.int128()
                c.spend = try r.int128()
                trends.cells[s * n + k].add(c)
            }
        }
        let periods = try r.count(minBytes: 32)
        guard periods == trends.lifecycle.count else { throw Self.corrupt(r, "\(periods) lifecycle periods") }
        for o in 0..<periods {
            var l = TrendsPartial.Lifecycle()
            l.new = try r.int()
            l.returning = try r.int()
            l.resurrecting = try r.int()
            l.dormant = try r.int()
            trends.lifecycle[o].add(l)
        }
    }
}
