import Dispatch

/// Wall time of each stage, in the order the stages ran (recorded in `summary.json`).
public struct StageTimings: Sendable {
    public private(set) var stages: [(name: String, seconds: Double)] = []

    public init() {}

    /// Runs `body` and records how long it took under `name`.
    public mutating func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { stages.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
        return try body()
    }

    /// Adds the stages another timer recorded (a stage that ran beside others).
    public mutating func append(_ other: StageTimings) {
        stages += other.stages
    }
}
