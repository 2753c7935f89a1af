import Foundation
import Logging
import PropertyBased
import Testing
@testable import OpsETL

/// Issue 5: the accounting invariant on random shops (swift-property-based).
///
/// Each input is a random list of row codes; a code decides the row's id (so keys collide and
/// make duplicates) and its variant: valid, after `as_of`, or one specific fault. The dialect
/// (delimiter, CRLF, BOM, blank lines, final newline) and `unknown_users` are random too. For
/// every shop the real job runs and writes its outputs, and then:
/// - `rows_read` is the number of records written and balances:
///   `rows_read = rows_kept + rejected + duplicates + after_as_of + excluded_status + unknown_user_ignored`;
/// - `rejects/<input>.csv` holds exactly `rejected` rows, each once;
/// - the rows made faulty on purpose are rejected at exactly their physical line with the reason
///   SPEC §3.4/§9 gives (priority `malformed_row`, `missing:`, bad values in canonical order);
/// - `unknown_user` rejects are rows whose user is never a valid signup.
@Suite struct LedgerPropertyTests {
    struct Options: Sendable, CustomStringConvertible {
        let bits: Int
        var delimiter: Character { ["," as Character, ";", "\t"][bits % 3] }
        var crlf: Bool { bits & 4 != 0 }
        var finalNewline: Bool { bits & 8 != 0 }
        var bom: Bool { bits & 16 != 0 }
        var blankLines: Bool { bits & 32 != 0 }
        var ignoreUnknown: Bool { bits & 64 != 0 }
        var description: String { "options \(bits)" }
    }

    /// A row as the generator planned it.
    struct Planned {
        var fields: [String]
        /// Step-1 reject reason planned, or nil.
        var reject: String?
        var user: String?
    }

    static let channels = ["facebook", "Facebook Ads", "fb", " google ", "=cmd", "", "tik\u{00A0}tok", "wechat"]

    static func users(_ c: Int) -> Planned {
        let id = "u\(c % 12)"
        let ts = "2025-01-\(String(format: "%02d", 1 + c % 28)) \(String(format: "%02d", c % 24)):15"
        let ch = channels[c % channels.count]
        switch c % 10 {
        case 5: return Planned(fields: [id, "2025-07-\(String(format: "%02d", 1 + c % 9))", ch, "CN"], user: id)
        case 6: return Planned(fields: [id, "2025-02-30", ch, "CN"], reject: "bad_timestamp:signup_at")
        case 7: return Planned(fields: [" ", "not a date", ch, ""], reject: "missing:user_id")
        case 8: return Planned(fields: [id, ts, ch, "CN", "extra"], reject: "malformed_row")
        case 9: return Planned(fields: [id, ts, ch, "Hong\nKong, \"HK\""], user: id)
        default: return Planned(fields: [id, ts, ch, c % 3 == 0 ? "" : "US"], user: id)
        }
    }

    static func sales(_ c: Int) -> Planned {
        let order = "o\(c % 15)", user = "u\(c % 14)"
        let ts = "2025-02-\(String(format: "%02d", 1 + c % 28))T10:00:00+08:00"
        let amounts = ["12.50", "\u{00A5}1,234.5", "-3", "$-12", "0"]
        let statuses = ["paid", "refunded", " CANCELLED ", ""]
        let updated = c % 4 == 0 ? "" : "2025-03-\(String(format: "%02d", 1 + c % 27)) 09:00"
        let valid = [order, user, ts, amounts[c % amounts.count], statuses[c % statuses.count], updated]
        func with(_ i: Int, _ v: String) -> [String] { var f = valid; f[i] = v; return f }
        switch c % 10 {
        case 4: return Planned(fields: with(2, "2025-08-01"), user: user)
        case 5: return Planned(fields: with(3, "1,23"), reject: "bad_number:amount")
        case 6: return Planned(fields: with(3, "x").enumerated().map { $0 == 2 ? "2025-13-01" : $1 }, reject: "bad_timestamp:ordered_at")
        case 7: return Planned(fields: with(3, "  "), reject: "missing:amount")
        case 8: return Planned(fields: Array(valid.prefix(4)), reject: "malformed_row")
        case 9: return Planned(fields: with(5, "2025-01-0x"), reject: "bad_timestamp:updated_at")
        default: return Planned(fields: valid, user: user)
        }
    }

    static func spend(_ c: Int) -> Planned {
        let named = channels.filter { !$0.isEmpty }   // `channel` is required in the spend export
        let valid = ["2025-01-\(String(format: "%02d", 1 + c % 5))", named[c % named.count], c % 2 == 0 ? "" : "camp\(c % 3)",
                     "\(c).5", c % 3 == 0 ? "" : "1,000", c % 3 == 0 ? "" : "\(c)"]
        func with(_ i: Int, _ v: String) -> [String] { var f = valid; f[i] = v; return f }
        switch c % 10 {
        case 5: return Planned(fields: with(3, "-5"), reject: "negative_spend")
        case 6: return Planned(fields: with(3, "n/a"), reject: "bad_number:spend")
        case 7: return Planned(fields: with(4, "1,2345"), reject: "bad_number:impressions")
        case 8: return Planned(fields: valid + ["x"], reject: "malformed_row")
        case 9: return Planned(fields: with(0, "2025-12-31"))
        default: return Planned(fields: valid)
        }
    }

    static func events(_ c: Int) -> Planned {
        let user = "u\(c % 14)"
        let names = ["view_item", " add_to_cart ", "purchase", "signup", "View_Item"]
        let valid = [user, names[c % names.count], "2025-02-\(String(format: "%02d", 1 + c % 20)) 1\(c % 10):00", c % 3 == 0 ? "" : "e\(c % 9)"]
        func with(_ i: Int, _ v: String) -> [String] { var f = valid; f[i] = v; return f }
        switch c % 10 {
        case 6: return Planned(fields: with(2, "2026-01-01"), user: user)
        case 7: return Planned(fields: with(2, "1735689600.5"), reject: "bad_timestamp:occurred_at")
        case 8: return Planned(fields: with(1, ""), reject: "missing:event")
        case 9: return Planned(fields: Array(valid.prefix(3)), reject: "malformed_row")
        default: return Planned(fields: valid, user: user)
        }
    }

    /// Writes `header` and `rows`; returns the physical line where each row starts.
    static func write(_ dir: TempDir, _ name: String, header: [String], rows: [Planned], _ o: Options, salt: Int) -> [Int] {
        let d = o.delimiter
        let eol = o.crlf ? "\r\n" : "\n"
        func field(_ f: String) -> String {
            f.contains(d) || f.contains("\"") || f.contains("\n") || f.contains("\r")
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }
        var text = o.bom ? "\u{FEFF}" : ""
        text += header.map(field).joined(separator: String(d))
        var line = 1
        var starts: [Int] = []
        for (i, row) in rows.enumerated() {
            text += eol
            line += 1
            if o.blankLines && (i + salt) % 4 == 0 {
                text += eol
                line += 1
            }
            starts.append(line)
            let record = row.fields.map(field).joined(separator: String(d))
            text += record
            line += record.filter { $0 == "\n" || $0 == "\r\n" }.count
        }
        if o.finalNewline { text += eol }
        dir.write(name, text)
        return starts
    }

    static let codes = Gen.int(in: 0...999).array(of: 0...30)

    @Test func everyRowIsAccountedForOnceOnRandomShops() async {
        await propertyCheck(count: 100, input: zip(Self.codes, Self.codes, Self.codes, Self.codes, Gen.int(in: 0...127))) { u, s, c, e, bits in
            try Self.check(users: u, sales: s, spend: c, events: e, options: Options(bits: bits))
        }
    }

    static func check(users u: [Int], sales s: [Int], spend c: [Int], events e: [Int], options o: Options) throws {
        let fixture = PipelineFixture()
        let dir = fixture.dir
        let plans: [(InputKind, [String], [Planned])] = [
            (.users, ["user_id", "signup_at", "channel", "country"], u.map(Self.users)),
            (.sales, ["order_id", "user_id", "ordered_at", "amount", "status", "updated_at"], s.map(Self.sales)),
            (.channels, ["date", "channel", "campaign", "spend", "impressions", "clicks"], c.map(Self.spend)),
            (.events, ["user_id", "event", "occurred_at", "event_id"], e.map(Self.events)),
        ]
        var lines: [InputKind: [Int]] = [:]
        for (i, (kind, header, rows)) in plans.enumerated() {
            lines[kind] = write(dir, "\(kind.rawValue).csv", header: header, rows: rows, o, salt: i)
        }
        let delimiter = o.delimiter == "\t" ? "\\t" : String(o.delimiter)
        let input = { (k: String) in #"{ "path": "\#(k).csv", "delimiter": "\#(delimiter)" }"# }
        let job = try fixture.job("""
            { "version": 1, "name": "prop", "timezone": "Asia/Shanghai", "since": "2025-01-01", "as_of": "2025-06-30",
              "inputs": { "users": \(input("users")), "sales": \(input("sales")), "channels": \(input("channels")), "events": \(input("events")) },
              "cleaning": { "channel_aliases": { "fb": "facebook", "Facebook Ads": "facebook" },
                            "unknown_users": "\(o.ignoreUnknown ? "ignore" : "reject")", "max_reject_rate": 1 },
              "funnel": { "steps": ["signup", "view_item", "purchase"] },
              "output": { "dir": "out" } }
            """, maxChunks: 3)
        let outcome = try job.run()

        // Users that end up kept: a valid signup on or before as_of.
        let keptUsers = Set(plans[0].2.filter { $0.reject == nil && $0.user != nil && $0.fields[1] < "2025-07" }.compactMap(\.user))
        for (kind, _, rows) in plans {
            let q = try #require(outcome.quality.inputs.first { $0.kind == kind })
            #expect(q.rowsRead == rows.count, "\(kind): rows_read")
            let parts = [q.rowsKept, q.rejected, q.duplicates, q.afterAsOf, q.excludedStatus, q.unknownUserIgnored]
            #expect(parts.allSatisfy { $0 >= 0 } && parts.reduce(0, +) == q.rowsRead, "\(kind): \(parts) vs \(q.rowsRead)")

            // rejects/<input>.csv, read back with the scanner.
            let written = try scanAll(dir.url.appendingPathComponent("out/rejects/\(kind.rawValue).csv").path)
            #expect(written.rows.count == q.rejected, "\(kind): rejects file rows")
            let rejected = written.rows.map { (line: Int($0.fields[1])!, reason: $0.fields[2]) }
            #expect(Set(rejected.map(\.line)).count == rejected.count, "\(kind): a line rejected twice")

            // Planned step-1 faults: rejected at their own line, with the planned reason.
            let starts = lines[kind]!
            let planned = rows.indices.compactMap { i in rows[i].reject.map { (line: starts[i], reason: $0) } }
            let step1 = rejected.filter { $0.reason != "unknown_user" }
            #expect(step1.map { "\($0.line) \($0.reason)" } == planned.map { "\($0.line) \($0.reason)" }, "\(kind): step-1 rejects")

            let unknown = rejected.filter { $0.reason == "unknown_user" }
            if kind == .sales || kind == .events {
                let plannedUnknown = Set(rows.indices.filter { rows[$0].reject == nil && !keptUsers.contains(rows[$0].user ?? "") }.map { starts[$0] })
                #expect(unknown.allSatisfy { plannedUnknown.contains($0.line) }, "\(kind): unknown_user on a known user's row")
                if o.ignoreUnknown { #expect(unknown.isEmpty) }
            } else {
                #expect(unknown.isEmpty)
            }
        }
        // data_quality.csv says the same as the ledger the job returned.
        let table = try #require(dir.read("out/data_quality.csv"))
        #expect(table == QualityTables.dataQuality(outcome.quality).text)
    }
}
