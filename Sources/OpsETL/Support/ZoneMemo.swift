/// Support: one thread's `ZoneRules` lookups with the last answer's stretch remembered.
///
/// A column's timestamps cluster in time (an export's rows follow each other, a user's events are
/// minutes apart), and a zone's offset changes a few times a year, so nearly every lookup falls in
/// the stretch of the one before it: two compares instead of a binary search over the zone's
/// ~1,400 changes. The answers are exactly `ZoneRules`'s (the stretches come from the same tables);
/// a memo is mutable state, so each sink (one thread) holds its own.
struct ZoneMemo {
    let zone: ZoneRules
    private var utc = ZoneRules.OffsetWindow.none
    private var local = ZoneRules.OffsetWindow.none

    init(_ zone: ZoneRules) { self.zone = zone }

    /// `zone.offsetSeconds(at:)`.
    @inline(__always)
    mutating func offsetSeconds(atUTC seconds: Int64) -> Int32 {
        if !utc.contains(seconds) { utc = zone.utcWindow(containing: seconds) }
        return utc.offset
    }

    /// `zone.localDate(of:)`.
    @inline(__always)
    mutating func localDate(of instant: Instant) -> LocalDate {
        let local = instant.seconds + Int64(offsetSeconds(atUTC: instant.seconds))
        return LocalDate(days: Int32(truncatingIfNeeded: ZoneRules.floorDiv(local, 86_400)))
    }

    /// `zone.instant(fromLocalSeconds:nanos:)`.
    @inline(__always)
    mutating func instant(fromLocalSeconds seconds: Int64, nanos: Int32) -> Instant {
        if !local.contains(seconds) { local = zone.localWindow(containing: seconds) }
        return Instant(seconds: seconds - Int64(local.offset), nanos: nanos)
    }
}
