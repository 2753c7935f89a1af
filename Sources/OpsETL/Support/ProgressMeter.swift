import Dispatch
import Synchronization

/// Support: how far the reading of each input has come (SPEC §8: "Long runs show progress on a
/// terminal (per input: bytes read of the total, rows per second, time left)").
///
/// The scanner reports once per block it parses (1 MiB), never per row, from any thread: two
/// relaxed atomic additions and a clock read per block. At most ten times a second — and always
/// when an input starts and ends — the meter hands a `Snapshot` to `draw`, which the CLI turns
/// into a line redrawn in place on a terminal. Without a meter (not a terminal, `--quiet`) the
/// scanner's hook is a nil check per block.
public final class ProgressMeter: Sendable {
    /// One input's progress at one moment.
    public struct Snapshot: Sendable, Equatable {
        public let kind: InputKind
        /// Bytes parsed so far, of `totalBytes` (every file of the input together).
        public let bytesRead: Int
        public let totalBytes: Int
        /// Records parsed so far (blank lines not counted).
        public let rows: Int
        /// Seconds since the input started.
        public let seconds: Double
        public let finished: Bool

        public init(kind: InputKind, bytesRead: Int, totalBytes: Int, rows: Int, seconds: Double, finished: Bool) {
            self.kind = kind
            self.bytesRead = bytesRead
            self.totalBytes = totalBytes
            self.rows = rows
            self.seconds = seconds
            self.finished = finished
        }

        /// Rows per second so far; nil before any time has passed.
        public var rowsPerSecond: Double? { seconds > 0 && rows > 0 ? Double(rows) / seconds : nil }

        /// Seconds left at the speed so far; nil before anything was read.
        public var secondsLeft: Double? {
            if finished || bytesRead >= totalBytes { return 0 }
            guard bytesRead > 0, seconds > 0 else { return nil }
            return Double(totalBytes - bytesRead) * seconds / Double(bytesRead)
        }
    }

    /// Called with each snapshot, from the thread that parsed the block; must be thread-safe.
    let draw: @Sendable (Snapshot) -> Void
    /// Nanoseconds between two drawings of one input.
    let interval: UInt64

    public init(interval seconds: Double = 0.1, draw: @escaping @Sendable (Snapshot) -> Void) {
        self.draw = draw
        self.interval = UInt64(seconds * 1e9)
    }

    /// Starts measuring one input of `totalBytes` bytes (drawn at 0 at once).
    func start(_ kind: InputKind, totalBytes: Int) -> Input {
        let input = Input(meter: self, kind: kind, totalBytes: totalBytes)
        input.publish(finished: false)
        return input
    }

    /// One input being read: the counters every chunk adds to.
    public final class Input: Sendable {
        let meter: ProgressMeter
        let kind: InputKind
        let totalBytes: Int
        let started = DispatchTime.now().uptimeNanoseconds
        private let bytes = Atomic<Int>(0)
        private let rows = Atomic<Int>(0)
        private let lastDraw = Atomic<UInt64>(0)

        init(meter: ProgressMeter, kind: InputKind, totalBytes: Int) {
            self.meter = meter
            self.kind = kind
            self.totalBytes = totalBytes
        }

        /// A block of `bytes` bytes holding `rows` records was parsed.
        func advance(bytes n: Int, rows r: Int) {
            bytes.add(n, ordering: .relaxed)
            rows.add(r, ordering: .relaxed)
            let now = DispatchTime.now().uptimeNanoseconds
            let last = lastDraw.load(ordering: .relaxed)
            // One thread wins each interval; the others go on parsing.
            guard now - started >= last + meter.interval,
                  lastDraw.compareExchange(expected: last, desired: now - started, ordering: .relaxed).exchanged else { return }
            publish(finished: false)
        }

        /// The input is read: `rows` is its exact row count (a chunk read twice counts once here).
        func finish(rows exact: Int) {
            rows.store(exact, ordering: .relaxed)
            bytes.store(totalBytes, ordering: .relaxed)
            publish(finished: true)
        }

        fileprivate func publish(finished: Bool) {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            meter.draw(Snapshot(kind: kind, bytesRead: min(bytes.load(ordering: .relaxed), totalBytes), totalBytes: totalBytes,
                                rows: rows.load(ordering: .relaxed), seconds: seconds, finished: finished))
        }
    }
}
