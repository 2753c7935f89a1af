/// Sample: the generator's pseudo-random numbers — SplitMix64, integer-only, so the same
/// seed gives the same bytes on every platform and run.
///
/// Each user draws from its own stream (seeded from the run's seed and the user's number),
/// so users can be generated in any order, on any number of threads, with the same result.
struct SampleRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = seed &+ (stream &+ 1) &* 0x9E37_79B9_7F4A_7C15
        _ = next()
    }

    /// The next 64 random bits (SplitMix64, Steele, Lea & Flood 2014).
    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0 ..< n (n > 0); the tiny modulo bias is irrelevant for sample data.
    @inline(__always)
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True with probability `perTenThousand` / 10 000.
    @inline(__always)
    mutating func chance(_ perTenThousand: Int) -> Bool { below(10_000) < perTenThousand }

    /// An index into `weights` drawn in proportion to them.
    mutating func pick(_ weights: [Int]) -> Int {
        var r = below(weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }
}
