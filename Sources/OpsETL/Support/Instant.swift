/// A point in time: whole seconds since the Unix epoch plus a nanosecond part.
///
/// Timestamps may carry up to 9 fraction digits and 13-digit epochs reach past
/// the year 2262, so a single Int64 of nanoseconds would not hold every valid
/// value; two integers compare exactly and never round.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var seconds: Int64
    /// Always in 0 ..< 1_000_000_000.
    public var nanos: Int32

    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanos < rhs.nanos
    }

    /// This instant moved by a whole number of nanoseconds (may be negative).
    public func adding(nanoseconds: Int64) -> Instant {
        var s = seconds + nanoseconds / 1_000_000_000
        var n = Int64(nanos) + nanoseconds % 1_000_000_000
        if n < 0 { n += 1_000_000_000; s -= 1 }
        if n >= 1_000_000_000 { n -= 1_000_000_000; s += 1 }
        return Instant(seconds: s, nanos: Int32(n))
    }

    /// `self − other` in nanoseconds (callers keep spans within ±292 years).
    public func nanoseconds(since other: Instant) -> Int64 {
        (seconds - other.seconds) * 1_000_000_000 + Int64(nanos - other.nanos)
    }

    public var description: String {
        nanos == 0 ? "\(seconds)s" : "\(seconds).\(String(nanos + 1_000_000_000).dropFirst())s"
    }
}
