import Foundation
import Testing
@testable import OpsETL

/// SPEC §2: `inputs.X.timestamp_formats`, `inputs.X.decimal_separator`, `cleaning.round_money`, and
/// §9's date range for `since`/`as_of`, as the pipeline loader reads them (exit 2 at the JSON path).
@Suite("Pipeline loading: value settings")
struct ValueSettingsLoadingTests {
    static func load(_ json: String) throws -> Pipeline {
        try Pipeline.decode(json: Data(json.utf8), filePath: "p.json")
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

    static func sales(_ member: String, top: String = "") -> String {
        #"{"version": 1\#(top), "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv", \#(member)}}}"#
    }

    @Test func defaultsAndValues() throws {
        let defaults = try Self.load(#"{"version": 1, "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}}}"#)
        #expect(defaults.inputs.sales.timestampFormats.patterns.isEmpty)
        #expect(defaults.inputs.sales.decimalSeparator == UInt8(ascii: "."))
        #expect(defaults.cleaning.roundMoney == false)

        let p = try Self.load(#"""
            {"version": 1, "cleaning": {"round_money": true},
             "inputs": {"users": {"path": "u.csv", "timestamp_formats": ["YYYY年M月D日 HH:mm", "YYYYMMDD"]},
                        "sales": {"path": "s.csv", "decimal_separator": ",", "timestamp_formats": ["MM/DD/YYYY"]}}}
            """#)
        #expect(p.inputs.users.timestampFormats.patterns.map(\.text) == ["YYYY年M月D日 HH:mm", "YYYYMMDD"])
        #expect(p.inputs.sales.timestampFormats.patterns.map(\.text) == ["MM/DD/YYYY"])
        #expect(p.inputs.sales.decimalSeparator == UInt8(ascii: ","))
        #expect(p.inputs.users.decimalSeparator == UInt8(ascii: "."))
        #expect(p.cleaning.roundMoney)
    }

    @Test(arguments: [
        (#""timestamp_formats": ["MM/DD/YYYY", "YYY-MM-DD"]"#,
         #"p.json: inputs.sales.timestamp_formats[1]: "YYY-MM-DD": "YYY" is not a token; the tokens are YYYY, MM, M, DD, D, HH, H, mm, ss, S to SSSSSSSSS (a fraction) and Z (an offset); other characters are literal"#),
        (#""timestamp_formats": ["MM/MM/YYYY"]"#,
         #"p.json: inputs.sales.timestamp_formats[0]: "MM/MM/YYYY": "MM" repeats a field already in the pattern; expected each of year, month, day, hour, minute, second, fraction and offset at most once"#),
        (#""timestamp_formats": [""]"#,
         #"p.json: inputs.sales.timestamp_formats[0]: "": an empty pattern; expected tokens such as "MM/DD/YYYY" or "YYYYMMDD""#),
        (#""timestamp_formats": "MM/DD/YYYY""#,
         "p.json: inputs.sales.timestamp_formats: expected an array, found a string"),
        (#""timestamp_formats": [20250102]"#,
         "p.json: inputs.sales.timestamp_formats[0]: expected a string, found a number"),
        (#""decimal_separator": ";""#,
         #"p.json: inputs.sales.decimal_separator: ";" is not a decimal separator; expected "." or ",""#),
        (#""decimal_separator": 1"#,
         "p.json: inputs.sales.decimal_separator: expected a string, found a number"),
    ])
    func badInputSettingsAreExit2AtTheirPath(_ member: String, _ expected: String) {
        #expect(Self.message(Self.sales(member)) == expected)
    }

    @Test func roundMoneyIsABool() {
        #expect(Self.message(#"{"version": 1, "cleaning": {"round_money": "yes"}, "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}}}"#)
                == #"p.json: cleaning.round_money: expected true or false, found a string"#)
    }

    @Test("since and as_of outside 1900-01-01 … 2199-12-31", arguments: [
        (#", "since": "1899-12-31""#, "p.json: since: 1899-12-31 is before 1900-01-01, the first date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"),
        (#", "since": "0001-01-01""#, "p.json: since: 0001-01-01 is before 1900-01-01, the first date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"),
        (#", "as_of": "2200-01-01""#, "p.json: as_of: 2200-01-01 is after 2199-12-31, the last date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"),
        (#", "as_of": "9999-12-31""#, "p.json: as_of: 9999-12-31 is after 2199-12-31, the last date opsetl reads; expected a date from 1900-01-01 to 2199-12-31"),
    ])
    func datesOutOfRange(_ top: String, _ expected: String) {
        #expect(Self.message(Self.sales(#""min_rows": 1"#, top: top)) == expected)
    }

    @Test func theRangeEndsAreDates() throws {
        let p = try Self.load(Self.sales(#""min_rows": 1"#, top: #", "since": "1900-01-01", "as_of": "2199-12-31""#))
        #expect(p.since == LocalDate(year: 1900, month: 1, day: 1))
        #expect(p.asOf == LocalDate(year: 2199, month: 12, day: 31))
    }
}
