import Foundation
import Testing
@testable import OpsETL

/// csv-spectrum (../shared/csv-conformance) through the ingest layer: each CSV, read with its
/// first row as header, must equal the JSON beside it (compared as structures).
@Suite struct CSVConformanceTests {
    static let folder = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/csv-conformance/csv-spectrum")
    static var available: Bool { FileManager.default.fileExists(atPath: folder.path) }
    static let cases = ["comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "newlines",
                        "newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8"]

    func records(_ name: String) throws -> [[String: String]] {
        let (header, rows) = try scanAll(Self.folder.appendingPathComponent("csvs/\(name).csv").path)
        let keys = try #require(header)
        return rows.map { row in Dictionary(uniqueKeysWithValues: zip(keys, row.fields)) }
    }

    @Test(.enabled(if: available, "shared/csv-conformance not present: conformance suite skipped"), arguments: cases)
    func matchesExpectedJSON(name: String) throws {
        let json = try Data(contentsOf: Self.folder.appendingPathComponent("json/\(name).json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: String]])
        #expect(try records(name) == expected)
    }

    /// Known defect of the suite (see its SOURCE.md): compare only what the CSV really holds.
    /// opsetl is lenient: a bare quote inside an unquoted field is kept as text.
    @Test(.enabled(if: available, "shared/csv-conformance not present: conformance suite skipped"))
    func locationCoordinatesKeepsBareQuote() throws {
        let records = try records("location_coordinates")
        #expect(records.count == 1)
        #expect(records[0]["Location Coordinates"] == "37\u{FFFD}36'37.8\"N 121\u{FFFD}2'17.9\"W")
        #expect(records[0]["Cities"] == "Modesto")
        #expect(records[0]["Counties"] == "Stanislaus")
    }
}
