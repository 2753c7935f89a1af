import Foundation

/// Runs the built `opsetl` binary in a fresh temporary folder per test and captures its streams.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CLI {
    /// The `opsetl` executable next to the test bundle (SwiftPM builds it because the test target depends on it).
    static let binary: URL = {
        var candidates: [URL] = [Bundle.main.bundleURL]
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for dir in candidates {
            var d = dir
            for _ in 0..<4 {
                let url = d.appendingPathComponent("opsetl")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
                d = d.deletingLastPathComponent()
            }
        }
        fatalError("opsetl binary not found near \(candidates)")
    }()

    static func run(_ arguments: [String], in directory: URL) throws -> CLIResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary working folder for one test.
final class Workspace {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("opsetl-e2e-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ text: String) {
        let file = url.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: file)
    }

    func read(_ name: String) -> String? {
        try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path) }

    func run(_ arguments: String...) throws -> CLIResult { try CLI.run(arguments, in: url) }

    /// A small valid shop: 20 users, a few sales and spend rows, no events.
    func writeShop(userRejects: Int = 0) {
        var users = "user_id,signup_at,channel\n"
        for i in 1...20 {
            users += i <= userRejects ? "u\(i),not-a-date,organic\n" : "u\(i),2025-01-\(String(format: "%02d", i)),organic\n"
        }
        write("data/users.csv", users)
        write("data/sales.csv", "order_id,user_id,ordered_at,amount,status\no1,u5,2025-01-10,10.00,paid\no2,u6,2025-01-11,20.00,paid\n")
        write("data/channels.csv", "date,channel,spend\n2025-01-01,facebook,100\n")
        write("pipelines/shop.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" } },
              "output": { "dir": "../reports/{name}-{as_of}" } }
            """)
    }
}
