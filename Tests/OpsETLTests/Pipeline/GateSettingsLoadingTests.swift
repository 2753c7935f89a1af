import Foundation
import Testing
@testable import OpsETL

/// SPEC §2: the gate's per-input keys `min_rows` and `max_age_days`, the optional `channels`
/// input, and the `timezone` rules of §9 as the pipeline loader reads them.
@Suite("Pipeline loading: gate settings, optional channels, time zones")
struct GateSettingsLoadingTests {
    static func load(_ json: String) throws -> Pipeline {
        try Pipeline.decode(json: Data(json.utf8), filePath: "/srv/p/pipeline.json")
    }

    static func message(_ json: String) -> String? {
        do {
            _ = try load(json)
            return nil
        } catch let error as OpsError {
            #expect(error.exitCode == 2)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsAndValues() throws {
        let p = try Self.load("""
            {"version": 1, "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv", "min_rows": 100, "max_age_days": 2},
             "events": {"path": "e.csv", "min_rows": 0}}}
            """)
        #expect(p.inputs.users.minRows == 1 && p.inputs.users.maxAgeDays == nil)
        #expect(p.inputs.sales.minRows == 100 && p.inputs.sales.maxAgeDays == 2)
        #expect(p.inputs.events?.minRows == 0)
        // SPEC §3.1: no channels key, no spend input.
        #expect(p.inputs.channels == nil)
    }

    @Test(arguments: [
        (#""min_rows": -1"#, "/srv/p/pipeline.json: inputs.sales.min_rows: -1 is out of range; expected a whole number of data rows, 0 or more (default 1)"),
        (#""min_rows": 1.5"#, "/srv/p/pipeline.json: inputs.sales.min_rows: expected a whole number, found 1.5"),
        (#""max_age_days": "2""#, "/srv/p/pipeline.json: inputs.sales.max_age_days: expected a whole number, found a string (write 2 without quotes)"),
        (#""max_age_days": -3"#, "/srv/p/pipeline.json: inputs.sales.max_age_days: -3 is out of range; expected a whole number of days, 0 or more"),
        (#""min_row": 1"#, "/srv/p/pipeline.json: inputs.sales.min_row: unknown key (did you mean \"min_rows\"?)"),
    ])
    func badValuesAreExit2AtTheirPath(_ member: String, _ expected: String) {
        #expect(Self.message(#"{"version": 1, "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv", \#(member)}}}"#) == expected)
    }

    @Test func salesAreStillRequired() {
        #expect(Self.message(#"{"version": 1, "inputs": {"users": {"path": "u.csv"}}}"#)
                == "/srv/p/pipeline.json: inputs.sales: missing; expected an object with the \"path\" of the sales file(s)")
    }

    @Test(arguments: [
        ("CST", #"/srv/p/pipeline.json: timezone: "CST" is a time-zone abbreviation, not a time zone: it may mean "Asia/Shanghai" or "America/Chicago"; write the IANA name you mean (or a fixed offset such as UTC+8)"#),
        ("GMT+8", #"/srv/p/pipeline.json: timezone: "GMT+8" is not accepted: the sign of GMT offsets is reversed in IANA names (Etc/GMT+8 is 8 hours behind UTC); write "UTC+8" for 8 hours ahead of UTC"#),
    ])
    func refusedTimeZones(_ zone: String, _ expected: String) {
        #expect(Self.message(#"{"version": 1, "timezone": "\#(zone)", "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}}}"#) == expected)
    }

    @Test func fixedOffsetsLoadAsWritten() throws {
        let p = try Self.load(#"{"version": 1, "timezone": "UTC-05:30", "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}}}"#)
        #expect(p.timezone == "UTC-05:30")
    }
}
