import Foundation
import Testing
@testable import OpsETL

/// SPEC §2 `retention.cumulative`, `retention.days`, `funnel.order`, `funnel.by_country` and the
/// `retention.dN` / `retention.dN_plus` targets (SPEC §9): values, defaults, and the exact one-line
/// error (exit 2) naming the file and the JSON path for each fault.
@Suite struct RetentionFunnelSettingsTests {
    static func decode(_ extra: String) throws -> Pipeline {
        let json = #"{"version": 1, "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}, "channels": {"path": "c.csv"}}, "#
            + extra + "}"
        return try Pipeline.decode(json: Data(json.utf8), filePath: "pipelines/x.json")
    }

    static let funnel = #""funnel": {"steps": ["signup", "purchase"]}"#

    @Test func defaults() throws {
        let p = try Self.decode(Self.funnel)
        #expect(p.retention.cumulative == false)
        #expect(p.retention.days == [1, 7, 30])
        #expect(p.funnel?.order == .ordered)
        #expect(p.funnel?.byCountry == false)
        #expect(p.funnel?.byChannel == true)
    }

    @Test func valuesAreReadAndDaysSorted() throws {
        let p = try Self.decode(#""retention": {"cumulative": true, "days": [30, 0, 7.0]}, "#
            + #""funnel": {"steps": ["a", "b"], "order": "strict", "by_country": true, "by_channel": false}, "#
            + #""targets": [{"metric": "retention.d0", "min": 0.1}, {"metric": "retention.d30_plus", "min": 0.2}]"#)
        #expect(p.retention.cumulative)
        #expect(p.retention.days == [0, 7, 30])
        #expect(p.funnel?.order == .strict)
        #expect(p.funnel?.byCountry == true)
        #expect(p.funnel?.byChannel == false)
        #expect(p.targets.map(\.metric) == ["retention.d0", "retention.d30_plus"])
        #expect(try Self.decode(#""funnel": {"steps": ["a", "b"], "order": "any"}"#).funnel?.order == .any)
        #expect(try Self.decode(#""retention": {"days": []}"#).retention.days == [])
    }

    @Test(arguments: [
        (#""retention": {"days": [1, 7, 7]}"#,
         "pipelines/x.json: retention.days[2]: 7 is already listed at retention.days[1]; expected distinct days"),
        (#""retention": {"days": [0, 0.0]}"#,
         "pipelines/x.json: retention.days[1]: 0 is already listed at retention.days[0]; expected distinct days"),
        (#""retention": {"days": [-1]}"#,
         "pipelines/x.json: retention.days[0]: -1 is out of range; expected a whole number of days from 0 to 36500"),
        (#""retention": {"days": [36501]}"#,
         "pipelines/x.json: retention.days[0]: 36501 is out of range; expected a whole number of days from 0 to 36500"),
        (#""retention": {"days": [1.5]}"#, "pipelines/x.json: retention.days[0]: expected a whole number, found 1.5"),
        (#""retention": {"days": ["7"]}"#,
         "pipelines/x.json: retention.days[0]: expected a whole number, found a string (write 7 without quotes)"),
        (#""retention": {"days": 7}"#, "pipelines/x.json: retention.days: expected an array, found a number"),
        (#""retention": {"cumulative": "yes"}"#, "pipelines/x.json: retention.cumulative: expected true or false, found a string"),
        (#""retention": {"cumulitive": true}"#, "pipelines/x.json: retention.cumulitive: unknown key (did you mean \"cumulative\"?)"),
        (#""funnel": {"steps": ["a", "b"], "order": "strictly"}"#,
         "pipelines/x.json: funnel.order: \"strictly\" is not one of ordered, strict, any (did you mean \"strict\"?)"),
        (#""funnel": {"steps": ["a", "b"], "order": "unordered"}"#,
         "pipelines/x.json: funnel.order: \"unordered\" is not one of ordered, strict, any (did you mean \"ordered\"?)"),
        (#""funnel": {"steps": ["a", "b"], "by_country": 1}"#,
         "pipelines/x.json: funnel.by_country: expected true or false, found a number"),
        (#""targets": [{"metric": "retention.d5", "min": 0.1}]"#,
         "pipelines/x.json: targets[0].metric: retention.d5 names day 5, which is not in retention.days (1, 7, 30); "
            + "add 5 to retention.days or use one of its days"),
        (#""retention": {"days": [0, 14]}, "targets": [{"metric": "retention.d0", "min": 0.1}, {"metric": "retention.d7_plus", "min": 0.1}]"#,
         "pipelines/x.json: targets[1].metric: retention.d7_plus names day 7, which is not in retention.days (0, 14); "
            + "add 7 to retention.days or use one of its days"),
        (#""retention": {"days": []}, "targets": [{"metric": "retention.d1", "min": 0.1}]"#,
         "pipelines/x.json: targets[0].metric: retention.d1 names day 1, which is not in retention.days (empty); "
            + "add 1 to retention.days or use one of its days"),
        (#""targets": [{"metric": "retention.d07", "min": 0.1}]"#,
         "pipelines/x.json: targets[0].metric: unknown metric \"retention.d07\"; expected one of retention.pK (K = 0…8), "
            + "retention.dN, retention.dN_plus (N = 1, 7, 30), roi.<channel>, roas.<channel>, cac.<channel> "
            + "(a channel name, total or total_paid), revenue.total, signups.total, trend.<kpi>, growth.<kpi>, yoy.<kpi>"),
    ])
    func faultsAreOneLineWithTheJSONPath(_ extra: String, _ message: String) {
        #expect(throws: OpsError.configuration(message)) { try Self.decode(extra) }
        do {
            _ = try Self.decode(extra)
        } catch let error as OpsError {
            #expect(error.exitCode == 2)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: [
        ("retention.d7", MetricName.retentionDay(7, orAfter: false)),
        ("retention.d0_plus", .retentionDay(0, orAfter: true)),
        ("retention.d30_plus", .retentionDay(30, orAfter: true)),
    ])
    func dayMetricNamesRoundTrip(_ text: String, _ name: MetricName) {
        #expect(MetricName(text) == name)
        #expect(name.description == text)
    }

    @Test(arguments: ["retention.d", "retention.d_plus", "retention.d7_plu", "retention.d7plus", "retention.d-1", "retention.d1_plus_plus"])
    func malformedDayMetricNamesAreUnknown(_ text: String) {
        #expect(MetricName(text) == nil)
    }
}
