import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sample: a synthetic shop at any scale (`opsetl sample`) — users, four quarterly sales
/// exports, channel spend, product events and a pipeline file that reads them.
///
/// One year (2025, Europe/Berlin) of a shop: signups spread over the year and seven channel
/// spellings, weekly sessions whose odds decay week by week (retention), funnel events
/// (search → view_item → add_to_cart) before purchases, orders outside sessions, and the
/// defects cleaning must handle: impossible timestamps, bad amounts, unknown users, exact
/// duplicates, refunded re-exports with a later `updated_at`. Timestamps mix the SPEC §3.3
/// forms (local, `/` dates, `Z`, `±HH:MM`, 10- and 13-digit epochs). At 2,000,000 users
/// that is about 10 million sales rows and 20 million events (~1.9 GB).
///
/// Deterministic: a user's rows come from its own SplitMix64 stream seeded by `seed`, users
/// are generated in blocks on every core and written in order, so the same arguments give
/// the same bytes on every run and platform.
public struct SampleShop: Sendable {
    public let users: Int
    public let seed: UInt64
    static let salesFiles = 4
    static let zoneName = "Europe/Berlin"

    /// Digits of the user number in ids (`u0000001`).
    let idWidth: Int
    /// 2025-01-01T00:00 local (UTC+1): the first signup.
    let start: Int64 = 1_735_686_000
    /// 2025-12-31T20:00Z: nothing happens after this (so everything is dated in 2025 locally).
    let end: Int64 = 1_767_211_200
    /// UTC starts of Q2, Q3, Q4 2025 (the sales files are quarterly exports).
    private let quarterStarts: [Int64] = [1_743_465_600, 1_751_328_000, 1_759_276_800]

    public init(users: Int, seed: UInt64) {
        self.users = users
        self.seed = seed
        idWidth = max(7, String(users).count)
    }

    /// What `write(to:)` produced.
    public struct Summary: Sendable {
        public var files: [(name: String, rows: Int, bytes: Int)] = []
        public var totalBytes: Int { files.reduce(0) { $0 + $1.bytes } }
        public var totalRows: Int { files.reduce(0) { $0 + $1.rows } }
    }

    @inline(__always) func quarter(of seconds: Int64) -> Int {
        seconds < quarterStarts[0] ? 0 : seconds < quarterStarts[1] ? 1 : seconds < quarterStarts[2] ? 2 : 3
    }

    /// Writes the exports and `pipeline.json` into `directory` (created if needed; files replaced).
    public func write(to directory: String) throws -> Summary {
        guard let zone = ZoneRules(identifier: Self.zoneName) else {
            throw OpsError.runtime("time zone \(Self.zoneName) is unknown to this system")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OpsError.runtime("\(directory): cannot create the folder: \(error.localizedDescription)")
        }
        let clock = SampleClock(zone: zone)
        let usersOut = try SampleFile(directory, "users.csv", header: "user_id,signup_at,channel,country\n")
        let salesOut = try (1...Self.salesFiles).map {
            try SampleFile(directory, "sales_\($0).csv", header: "order_id,user_id,ordered_at,amount,status,updated_at\n")
        }
        let eventsOut = try SampleFile(directory, "events.csv", header: "event_id,user_id,event,occurred_at\n")

        // Blocks of users, generated a batch at a time on every core and written in block order.
        let blockUsers = 16_384
        let blocks = (users + blockUsers - 1) / blockUsers
        let batch = 8
        let writer = SampleUserWriter(shop: self, clock: clock)
        var first = 0
        while first < blocks {
            let count = min(batch, blocks - first)
            let base = first
            let parts = try parallelMap(count) { i -> SampleBlock in
                let lo = (base + i) * blockUsers
                let hi = min(users, lo + blockUsers)
                var block = SampleBlock(userCount: hi - lo)
                for u in lo..<hi { writer.write(user: u, into: &block) }
                return block
            }
            for part in parts {
                try usersOut.append(part.users.bytes, rows: part.userRows)
                for q in 0..<Self.salesFiles { try salesOut[q].append(part.sales[q].bytes, rows: part.salesRows[q]) }
                try eventsOut.append(part.events.bytes, rows: part.eventRows)
            }
            first += count
        }
        let spend = SampleSpend(shop: self).bytes()
        let spendOut = try SampleFile(directory, "channel_spend.csv", header: "date,channel,campaign,spend,impressions,clicks\n")
        try spendOut.append(spend.bytes, rows: spend.rows)
        let pipelineOut = try SampleFile(directory, "pipeline.json", header: "")
        try pipelineOut.append(Array(SamplePipelineFile.text(users: users).utf8), rows: 0)

        var summary = Summary()
        summary.files.append(("users.csv", usersOut.rows, usersOut.bytes))
        for (q, f) in salesOut.enumerated() { summary.files.append(("sales_\(q + 1).csv", f.rows, f.bytes)) }
        summary.files.append(("events.csv", eventsOut.rows, eventsOut.bytes))
        summary.files.append(("channel_spend.csv", spendOut.rows, spendOut.bytes))
        for f in [usersOut, eventsOut, spendOut, pipelineOut] + salesOut { try f.close() }
        return summary
    }
}

/// Sample: one output file written with plain `write(2)` calls.
final class SampleFile {
    let path: String
    private let fd: Int32
    private(set) var rows = 0
    private(set) var bytes = 0

    init(_ directory: String, _ name: String, header: String) throws {
        path = directory + "/" + name
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpsError.runtime("\(path): cannot create: \(String(cString: strerror(errno)))") }
        try append(Array(header.utf8), rows: 0)
    }

    func append(_ data: [UInt8], rows: Int) throws {
        self.rows += rows
        if let code = data.withUnsafeBytes({ writeAll(fd, $0) }) {
            throw OpsError.runtime("\(path): write failed: \(String(cString: strerror(code)))")
        }
        bytes += data.count
    }

    func close() throws {
        guard Glibc.close(fd) == 0 else { throw OpsError.runtime("\(path): close failed: \(String(cString: strerror(errno)))") }
    }
}
