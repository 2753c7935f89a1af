/// Sample: writes instants in the timestamp forms of SPEC §3.3 that exports really use.
///
/// Naive local forms (no offset) are read back in the pipeline's zone, so the generator only
/// writes them away from a daylight-saving change: within four hours of one it writes the
/// UTC form instead, and every value means exactly the instant that was drawn, whichever
/// reader (opsetl or the benchmark's SQL) parses it.
struct SampleClock {
    enum Form {
        /// `2025-03-14 09:26:53`, local.
        case local
        /// `2025/03/14 09:26:53`, local.
        case localSlash
        /// `2025-03-14T08:26:53Z`.
        case utc
        /// `2025-03-14T09:26:53+01:00`.
        case offset
        /// `1741944413`.
        case epochSeconds
        /// `2025-03-14T08:26:53.123Z` (from milliseconds).
        case utcMillis
        /// `1741944413123`.
        case epochMillis
    }

    let zone: ZoneRules

    /// Appends the instant `ms` (milliseconds since the epoch) in `form`; forms without a
    /// fraction drop the milliseconds, so callers pass whole seconds for them.
    func write(ms: Int64, _ form: Form, to out: inout SampleBytes) {
        let seconds = ZoneRules.floorDiv(ms, 1000)
        var form = form
        if form == .local || form == .localSlash, !isFarFromTransition(seconds) { form = .utc }
        switch form {
        case .local, .localSlash:
            let offset = Int64(zone.offsetSeconds(at: Instant(seconds: seconds)))
            out.dateTime(wall: seconds + offset, separator: form == .local ? UInt8(ascii: "-") : UInt8(ascii: "/"))
        case .utc:
            out.dateTime(wall: seconds, t: UInt8(ascii: "T"))
            out.byte(UInt8(ascii: "Z"))
        case .offset:
            let offset = Int(zone.offsetSeconds(at: Instant(seconds: seconds)))
            out.dateTime(wall: seconds + Int64(offset), t: UInt8(ascii: "T"))
            out.offset(seconds: offset)
        case .epochSeconds:
            out.int(Int(seconds), width: 10)
        case .utcMillis:
            out.dateTime(wall: seconds, t: UInt8(ascii: "T"))
            out.byte(UInt8(ascii: "."))
            out.int(Int(ms - seconds * 1000), width: 3)
            out.byte(UInt8(ascii: "Z"))
        case .epochMillis:
            out.int(Int(ms), width: 13)
        }
    }

    private func isFarFromTransition(_ seconds: Int64) -> Bool {
        let here = zone.offsetSeconds(at: Instant(seconds: seconds))
        return zone.offsetSeconds(at: Instant(seconds: seconds - 4 * 3600)) == here
            && zone.offsetSeconds(at: Instant(seconds: seconds + 4 * 3600)) == here
    }
}
