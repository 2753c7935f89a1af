import ArgumentParser
import Foundation
import OpsETL

extension Opsetl {
    /// `opsetl sample --users N --seed S --out DIR`: a deterministic synthetic shop at any scale.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic shop (users, sales, channel spend, events) and a pipeline file that reads it.")

        @Option(name: .long, help: "Users to generate (sales ≈ 5 and events ≈ 10 per user).")
        var users = 10_000

        @Option(name: .long, help: "Random seed: the same seed and size give the same bytes.")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Folder to write into (created if missing; files are replaced).")
        var out: String

        func validate() throws {
            if users < 1 || users > 100_000_000 { throw ValidationError("--users must be between 1 and 100000000") }
        }

        func run() throws {
            let summary = try SampleShop(users: users, seed: seed).write(to: out)
            for f in summary.files {
                print("\(f.name): \(f.rows) rows, \(f.bytes) bytes")
            }
            print("total: \(summary.totalRows) rows, \(summary.totalBytes) bytes in \(out) (run: opsetl run \(out)/pipeline.json)")
        }
    }
}
