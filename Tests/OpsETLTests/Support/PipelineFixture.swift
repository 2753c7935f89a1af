import Foundation
import Logging
@testable import OpsETL

/// A tiny shop in a temporary folder: CSV files plus a pipeline file, run through the library.
struct PipelineFixture {
    let dir = TempDir()

    /// Writes `pipeline.json` from `json` (a JSON object body) and loads it.
    func pipeline(_ json: String) throws -> Pipeline {
        try Pipeline.load(path: dir.write("pipeline.json", json))
    }

    func job(_ json: String, maxChunks: Int = 2) throws -> PipelineJob {
        PipelineJob(pipeline: try pipeline(json), settings: .init(maxChunks: maxChunks), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// A standard pipeline over users.csv, sales.csv, channels.csv and (optionally) events.csv.
    static func standardJSON(events: Bool = true, extra: String = "", cleaning: String = #""max_reject_rate": 1"#) -> String {
        """
        {
          "version": 1, "name": "t", "timezone": "Asia/Shanghai", "as_of": "2025-06-30",
          "inputs": {
            "users": { "path": "users.csv" },
            "sales": { "path": "sales.csv" },
            "channels": { "path": "channels.csv" }\(events ? #", "events": { "path": "events.csv" }"# : "")
          },
          "cleaning": { \(cleaning) },
          "output": { "dir": "out/{as_of}" }\(extra)
        }
        """
    }
}
