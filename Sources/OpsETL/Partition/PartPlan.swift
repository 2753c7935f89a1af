import Foundation

/// Partition: `plan.json`, the map tasks of a partitioned run (docs/partitioned.md).
///
/// One task per input file, inputs in the order users, channels, sales, events, each input's files
/// in sorted path order (SPEC §2), so task numbers and file ordinals are the same on every machine.
public struct PartPlan: Codable, Sendable, Equatable {
    public struct Task: Codable, Sendable, Equatable {
        public var task: Int
        public var kind: String
        /// Index of the file in its input's sorted file list.
        public var file: Int
        public var path: String
        public var bytes: Int
    }

    public var format: Int
    public var partitions: Int
    public var tasks: [Task]

    public static let fileName = "plan.json"

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        let temp = path + ".tmp-\(getpid())"
        do {
            try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: temp))
        } catch {
            throw OpsError.runtime("\(path): cannot write: \(error.localizedDescription)")
        }
        guard rename(temp, path) == 0 else { throw OpsError.runtime("\(path): cannot rename into place: \(String(cString: strerror(errno)))") }
    }

    public static func read(_ path: String) throws -> PartPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OpsError.runtime("\(path): cannot read the plan (run 'opsetl part plan' first)")
        }
        guard let plan = try? JSONDecoder().decode(PartPlan.self, from: data) else {
            throw OpsError.runtime("\(path): not a plan written by 'opsetl part plan'")
        }
        guard plan.format == Int(PartFile.formatVersion) else {
            throw OpsError.runtime("\(path): plan format \(plan.format), this opsetl reads format \(PartFile.formatVersion)")
        }
        return plan
    }
}
