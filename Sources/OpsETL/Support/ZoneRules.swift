import Foundation

/// Support: the UTC-offset history of one IANA time zone as plain integer tables,
/// so that placing a timestamp in the pipeline's `timezone` (SPEC §2, §3.3) and
/// reading naive local times (SPEC §9 "Daylight saving") cost a binary search
/// instead of a Foundation calendar call per field.
///
/// The table is read once from Foundation's `TimeZone` (`secondsFromGMT(for:)` at
/// each `nextDaylightSavingTimeTransition(after:)`, which also reports non-DST
/// offset changes such as Europe/Moscow 2014) from 1800 to 2500. Beyond 2500 an
/// instant is folded back by whole 400-year Gregorian cycles: tz rules after the
/// last explicit transition are month/weekday rules, which repeat exactly every
/// 146 097 days, so DST stays right for any 4-digit year. Before 1800 the zone's
/// earliest (local mean time) offset applies.
public struct ZoneRules: Sendable {
    /// The identifier as the pipeline wrote it (`UTC` stays `UTC`).
    public let identifier: String

    private let table: Table

    /// Nil for anything `ZoneName.parse` refuses (SPEC §9 "Time zones": abbreviations such as
    /// `CST`, and `GMT+8`, whose sign IANA reverses); `ZoneName.parse` says why. A fixed offset
    /// (`UTC+8`, `UTC-05:30`) has one offset and no transitions.
    public init?(identifier: String) {
        if let cached = ZoneRules.cache.lookup(identifier) {
            self.identifier = identifier
            self.table = cached
            return
        }
        guard case .success(let name) = ZoneName.parse(identifier) else { return nil }
        let zone: TimeZone
        switch name {
        case .fixed(let seconds):
            guard let fixed = TimeZone(secondsFromGMT: Int(seconds)) else { return nil }
            zone = fixed
        case .named("UTC"):
            // Foundation knows it (as "GMT"); spelled out so the default of SPEC §2 never depends on that.
            guard let utc = TimeZone(secondsFromGMT: 0) else { return nil }
            zone = utc
        case .named(let id):
            guard let named = TimeZone(identifier: id) else { return nil }
            zone = named
        }
        let built = Table(zone: zone)
        ZoneRules.cache.store(identifier, built)
        self.identifier = identifier
        self.table = built
    }

    /// Offset from UTC (local − UTC) in seconds in effect at `instant`.
    @inline(__always)
    public func offsetSeconds(at instant: Instant) -> Int32 {
        table.offset(atUTC: instant.seconds)
    }

    /// The local calendar date on which `instant` falls in this zone (SPEC §4: every bucket is a local date).
    public func localDate(of instant: Instant) -> LocalDate {
        let local = instant.seconds + Int64(table.offset(atUTC: instant.seconds))
        return LocalDate(days: Int32(truncatingIfNeeded: ZoneRules.floorDiv(local, 86_400)))
    }

    /// Naive local wall time given as seconds since 1970-01-01T00:00 *local* (as if it were UTC) → the instant.
    ///
    /// SPEC §9: a local time that occurs twice (fall back) is its first occurrence; one that does not exist
    /// (spring forward) is read with the offset before the gap (02:30 becomes 03:30 local).
    public func instant(fromLocalSeconds local: Int64, nanos: Int32) -> Instant {
        Instant(seconds: local - Int64(table.offset(forLocal: local)), nanos: nanos)
    }

    /// The instant of local midnight starting `date`, under the same rules; where midnight
    /// falls in a gap (a DST change at 00:00) that is the first instant of the day.
    public func startOfDay(_ date: LocalDate) -> Instant {
        instant(fromLocalSeconds: Int64(date.days) * 86_400, nanos: 0)
    }

    /// A stretch `[lo, hi)` of seconds (UTC or local, as asked) over which the answer is `offset`;
    /// `lo == hi` when the answer holds for the asked second only (folded years, past 2500).
    public struct OffsetWindow: Sendable {
        var lo: Int64
        var hi: Int64
        var offset: Int32
        static let none = OffsetWindow(lo: 0, hi: 0, offset: 0)
        @inline(__always) func contains(_ s: Int64) -> Bool { s >= lo && s < hi }
    }

    /// `offsetSeconds(at:)` for `seconds` (UTC), with the stretch around it that has the same offset.
    func utcWindow(containing seconds: Int64) -> OffsetWindow {
        table.utcWindow(containing: seconds)
    }

    /// The offset `instant(fromLocalSeconds:)` uses for `local`, with the stretch around it that uses it too.
    func localWindow(containing local: Int64) -> OffsetWindow {
        table.localWindow(containing: local)
    }

    // MARK: - Helpers

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static let cache = TableCache()
}

extension ZoneRules {
    /// The immutable transition table; a class so that copying a `ZoneRules` is one retain.
    final class Table: Sendable {
        /// UTC instants (seconds) at which the offset changes, strictly increasing.
        let transitions: [Int64]
        /// Offset in effect from `transitions[i]` on.
        let offsets: [Int32]
        /// Offset before the first transition.
        let initial: Int32
        /// `transitions[i] + offset before it`: the local wall time at which the change happens on the old clock.
        let localOld: [Int64]
        /// `transitions[i] + offsets[i]`: the same moment on the new clock.
        let localNew: [Int64]

        /// 1800-01-01T00:00Z: before any tz transition (local mean time ends in the 19th century).
        static let tableStart: Int64 = -5_364_662_400
        /// 2100-01-01T00:00Z: far past the last explicit transition of every zone, so rules are periodic from here.
        static let foldStart: Int64 = 4_102_444_800
        /// One Gregorian cycle: 400 years = 146 097 days, weekdays included.
        static let period: Int64 = 146_097 * 86_400
        /// 2500-01-01T00:00Z: instants from here on are folded back into [foldStart, foldEnd).
        static let foldEnd: Int64 = foldStart + period

        init(zone: TimeZone) {
            var transitions: [Int64] = []
            var offsets: [Int32] = []
            var cursor = Date(timeIntervalSince1970: TimeInterval(Table.tableStart))
            let initial = Int32(zone.secondsFromGMT(for: cursor))
            var previous = initial
            // Two days past foldEnd so a folded *local* time near the end still finds its UTC instant.
            let limit = TimeInterval(Table.foldEnd + 2 * 86_400)
            while let next = zone.nextDaylightSavingTimeTransition(after: cursor),
                  next.timeIntervalSince1970 < limit, next > cursor {
                let offset = Int32(zone.secondsFromGMT(for: next))
                // Foundation also reports changes of the DST flag alone (Moscow 2011); keep real offset changes.
                if offset != previous {
                    transitions.append(Int64(next.timeIntervalSince1970.rounded(.down)))
                    offsets.append(offset)
                    previous = offset
                }
                cursor = next
            }
            self.transitions = transitions
            self.offsets = offsets
            self.initial = initial
            var old: [Int64] = []
            var new: [Int64] = []
            old.reserveCapacity(transitions.count)
            new.reserveCapacity(transitions.count)
            for i in transitions.indices {
                old.append(transitions[i] + Int64(i == 0 ? initial : offsets[i - 1]))
                new.append(transitions[i] + Int64(offsets[i]))
            }
            self.localOld = old
            self.localNew = new
        }

        /// Index of the last element `<= value` in a sorted buffer, or -1.
        @inline(__always)
        static func lastIndex(atOrBefore value: Int64, in sorted: UnsafeBufferPointer<Int64>) -> Int {
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if sorted[mid] <= value { lo = mid + 1 } else { hi = mid }
            }
            return lo - 1
        }

        /// Moves `seconds` (UTC or local, the mapping is periodic in both) into the table's range.
        @inline(__always)
        static func fold(_ seconds: Int64) -> (folded: Int64, shift: Int64) {
            guard seconds >= foldEnd else { return (seconds, 0) }
            let shift = ((seconds - foldStart) / period) * period
            return (seconds - shift, shift)
        }

        func offset(atUTC seconds: Int64) -> Int32 {
            if transitions.isEmpty { return initial }
            let s = Table.fold(seconds).folded
            let i = transitions.withUnsafeBufferPointer { Table.lastIndex(atOrBefore: s, in: $0) }
            return i < 0 ? initial : offsets[i]
        }

        /// `offset(atUTC:)` and the stretch of UTC seconds around `seconds` with that offset.
        func utcWindow(containing seconds: Int64) -> OffsetWindow {
            if transitions.isEmpty { return OffsetWindow(lo: .min, hi: .max, offset: initial) }
            guard seconds < Table.foldEnd else {
                return OffsetWindow(lo: seconds, hi: seconds, offset: offset(atUTC: seconds))
            }
            let i = transitions.withUnsafeBufferPointer { Table.lastIndex(atOrBefore: seconds, in: $0) }
            let lo = i < 0 ? Int64.min : transitions[i]
            let hi = i + 1 < transitions.count ? min(transitions[i + 1], Table.foldEnd) : Table.foldEnd
            return OffsetWindow(lo: lo, hi: hi, offset: i < 0 ? initial : offsets[i])
        }

        /// `offset(forLocal:)` and the stretch of local seconds around `local` that gets the same
        /// offset by the same rule (inside a gap: up to the gap's end; else up to the next change).
        func localWindow(containing local: Int64) -> OffsetWindow {
            if transitions.isEmpty { return OffsetWindow(lo: .min, hi: .max, offset: initial) }
            guard local < Table.foldEnd else {
                return OffsetWindow(lo: local, hi: local, offset: offset(forLocal: local))
            }
            let i = localOld.withUnsafeBufferPointer { Table.lastIndex(atOrBefore: local, in: $0) }
            let next = i + 1 < localOld.count ? min(localOld[i + 1], Table.foldEnd) : Table.foldEnd
            if i < 0 { return OffsetWindow(lo: .min, hi: next, offset: initial) }
            if local < localNew[i] {
                return OffsetWindow(lo: localOld[i], hi: min(localNew[i], next), offset: i == 0 ? initial : offsets[i - 1])
            }
            return OffsetWindow(lo: max(localOld[i], localNew[i]), hi: next, offset: offsets[i])
        }

        /// SPEC §9: with the last change whose old-clock wall time is ≤ `local`: inside its
        /// gap use the offset before it (02:30 → 03:30); otherwise the offset after it. A time
        /// in a fall-back overlap lies before that change's old-clock time, so it gets the
        /// earlier (first-occurrence) offset. Needs `localOld` and `localNew` strictly increasing,
        /// which ZoneRulesTests checks for every zone Foundation knows.
        func offset(forLocal local: Int64) -> Int32 {
            if transitions.isEmpty { return initial }
            let l = Table.fold(local).folded
            let i = localOld.withUnsafeBufferPointer { Table.lastIndex(atOrBefore: l, in: $0) }
            if i < 0 { return initial }
            if l < localNew[i] { return i == 0 ? initial : offsets[i - 1] }
            return offsets[i]
        }
    }

    /// Tables by identifier: a pipeline, its tests and each worker may ask for the same zone many times.
    final class TableCache: @unchecked Sendable {
        private let lock = NSLock()
        private var tables: [String: Table] = [:]

        func lookup(_ id: String) -> Table? {
            lock.lock()
            defer { lock.unlock() }
            return tables[id]
        }

        func store(_ id: String, _ table: Table) {
            lock.lock()
            defer { lock.unlock() }
            tables[id] = table
        }
    }
}
