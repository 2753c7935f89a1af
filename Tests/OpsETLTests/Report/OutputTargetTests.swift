import Foundation
import Testing
@testable import OpsETL

/// SPEC §9: `{name}` is substituted made safe for one path component; `{as_of}` as `YYYY-MM-DD`.
@Suite struct OutputTargetTests {
    @Test(arguments: [
        ("sample-shop", "sample-shop"),
        ("shop/eu", "shop_eu"),
        (#"shop\eu"#, "shop_eu"),
        ("..", "__"),
        (".", "_"),
        ("a..b", "a__b"),
        ("...", "__."),
        ("../../tmp/x", "______tmp_x"),
        ("/etc", "_etc"),
        ("a\u{1B}b\u{0}c\u{202E}d\td\ne", "a_b_c_d_d_e"),
        ("微信 广告", "微信 广告"),
        (".hidden", ".hidden"),
    ])
    func safeComponent(name: String, component: String) {
        #expect(OutputTarget.safeComponent(name) == component)
    }

    @Test func substitutesBothPlaceholders() {
        let asOf = LocalDate(iso: "2025-06-30")!
        #expect(OutputTarget.substitute("/r/{name}/{as_of}-{name}", name: "a/..", asOf: asOf) == "/r/a___/2025-06-30-a___")
    }

    /// Only opsetl's own names with opsetl's proof count as a report written before the marker.
    @Test func recognisesAReportFromBeforeTheMarker() {
        let dir = TempDir()
        dir.write("r/summary.json", #"{"tool": {"name": "opsetl", "version": "1.0.0"}}"#)
        dir.write("r/rejects/sales.csv", "")
        #expect(OutputTarget.holdsReport(dir.path + "/r", names: ["rejects", "summary.json"]))
        dir.write("f/data_quality.csv", QualityTables.dataQualityHeader.joined(separator: ",") + "\n")
        #expect(OutputTarget.holdsReport(dir.path + "/f", names: ["data_quality.csv"]))
        dir.write("x/data_quality.csv", "input,rows\n")
        #expect(!OutputTarget.holdsReport(dir.path + "/x", names: ["data_quality.csv"]))
        dir.write("m/.opsetl-report", "opsetl report\n")
        dir.write("m/anything.txt", "")
        #expect(OutputTarget.holdsReport(dir.path + "/m", names: [".opsetl-report", "anything.txt"]))
        dir.write("n/.opsetl-report", "something else\n")
        #expect(!OutputTarget.holdsReport(dir.path + "/n", names: [".opsetl-report"]))
    }
}
