import Foundation
import Testing
@testable import OpsETL

/// SPEC §2 `trends`, §6 time-bound targets and §9: what loads, and every invalid combination as
/// exit 2 with one exact line naming the JSON path.
@Suite struct TrendsSettingsLoadingTests {
    static func decode(_ extra: String) throws -> Pipeline {
        let json = #"{"version": 1, "inputs": {"users": {"path": "u.csv"}, "sales": {"path": "s.csv"}, "channels": {"path": "c.csv"}}, "#
            + extra + "}"
        return try Pipeline.decode(json: Data(json.utf8), filePath: "p.json")
    }

    @Test func trendsDefaultToWeeksOfRetentionActivity() throws {
        let p = try Self.decode(#""retention": {"activity": ["visit"]}"#)
        #expect(p.trends.period == .week && p.trends.periods == 12 && p.trends.byChannel && !p.trends.byCountry)
        #expect(p.trends.activity == ["visit"])   // SPEC §2: trends.activity defaults to retention.activity
        #expect(p.suggestions.dropThreshold == Decimal(string: "0.10"))
        let q = try Self.decode(#""trends": {"period": "month", "periods": 1, "activity": ["purchase", "login"], "by_channel": false, "by_country": true}, "suggestions": {"drop_threshold": 0.25}"#)
        #expect(q.trends.period == .month && q.trends.periods == 1 && q.trends.activity == ["purchase", "login"])
        #expect(!q.trends.byChannel && q.trends.byCountry && q.suggestions.dropThreshold == Decimal(string: "0.25"))
    }

    @Test func timeBoundTargetsLoad() throws {
        let p = try Self.decode(#""targets": [{"metric": "trend.signups", "increase_by_rate": 0.3, "start": "2025-02-03", "by": "2025-08-31"}, {"metric": "trend.aov", "min": 100, "by": "2025-09-30"}, {"metric": "trend.spend", "decrease_by": 500, "start": "2025-03-01", "by": "2025-03-01"}]"#)
        #expect(p.targets[0] == Target(metric: "trend.signups", kind: .min, value: Decimal(string: "0.3")!, change: .increaseByRate,
                                       start: LocalDate(iso: "2025-02-03"), by: LocalDate(iso: "2025-08-31")))
        #expect(p.targets[1].kind == .min && p.targets[1].change == nil && p.targets[1].start == nil)
        #expect(p.targets[2].kind == .max && p.targets[2].change == .decreaseBy)   // by == start is allowed
    }

    static let t = #"{"metric": "trend.signups", "#

    @Test(arguments: [
        (#""targets": [{"metric": "roi.total", "min": 0}, {"metric": "roi.total", "min": 0}, {"metric": "roi.total", "min": 0}, {"metric": "trend.signups", "increase_by_rate": 0.3, "by": "2025-08-31"}]"#,
         #"p.json: targets[3].increase_by_rate: needs "start""#),
        (#""targets": ["# + t + #""increase_by": 5, "start": "2025-02-03", "by": "2025-01-31"}]"#,
         "p.json: targets[0].by: 2025-01-31 is before start (2025-02-03); expected a deadline on or after the start"),
        (#""targets": [{"metric": "retention.p1", "min": 0.2, "start": "2025-02-03"}]"#,
         #"p.json: targets[0].start: only a trend.* metric can have "start"; retention.p1 is not one"#),
        (#""targets": [{"metric": "roi.total", "min": 0.2, "by": "2025-02-03"}]"#,
         #"p.json: targets[0].by: only a trend.* metric can have "by"; roi.total is not one"#),
        (#""targets": [{"metric": "growth.signups", "increase_by": 1, "start": "2025-02-03"}]"#,
         #"p.json: targets[0].start: only a trend.* metric can have "start"; growth.signups is not one"#),
        (#""targets": [{"metric": "yoy.revenue", "decrease_by_rate": 0.1}]"#,
         #"p.json: targets[0].decrease_by_rate: only a trend.* metric can have "decrease_by_rate"; yoy.revenue is not one"#),
        (#""targets": ["# + t + #""min": 5, "increase_by": 3, "start": "2025-02-03"}]"#,
         "p.json: targets[0]: has both min and increase_by; a target has exactly one of min, max, increase_by, increase_by_rate, decrease_by, decrease_by_rate"),
        (#""targets": ["# + t + #""increase_by_rate": 0.1, "decrease_by": 3, "start": "2025-02-03"}]"#,
         "p.json: targets[0]: has both increase_by_rate and decrease_by; a target has exactly one of min, max, increase_by, increase_by_rate, decrease_by, decrease_by_rate"),
        (#""targets": ["# + t + #""start": "2025-02-03"}]"#,
         "p.json: targets[0]: needs one of min, max, increase_by, increase_by_rate, decrease_by, decrease_by_rate (exactly one)"),
        (#""targets": ["# + t + #""decrease_by_rate": 1.5, "start": "2025-02-03"}]"#,
         "p.json: targets[0].decrease_by_rate: 1.5 is out of range; expected a share from 0 to 1 of the baseline (0.1 = 10 % less)"),
        (#""targets": ["# + t + #""increase_by": -2, "start": "2025-02-03"}]"#,
         "p.json: targets[0].increase_by: -2 is out of range; expected an amount of at least 0, in the KPI's unit"),
        (#""targets": ["# + t + #""min": 5, "start": "2025-02-30"}]"#,
         #"p.json: targets[0].start: "2025-02-30" is not a valid date; expected YYYY-MM-DD"#),
        (#""targets": [{"metric": "trend.signup", "min": 5}]"#,
         #"p.json: targets[0].metric: "signup" is not a KPI of the trends (did you mean "trend.signups"?); expected one of signups, total_users, active_users, paying_users, new_paying_users, orders, revenue, spend, aov, arppu, roas, stickiness"#),
        (#""trends": {"periods": 0}"#, "p.json: trends.periods: 0 is out of range; expected a whole number from 1 to 3660"),
        (#""trends": {"period": "quarter"}"#, #"p.json: trends.period: "quarter" is not one of day, week, month"#),
        (#""trends": {"by_segment": true}"#, "p.json: trends.by_segment: unknown key; expected one of period, periods, activity, by_channel, by_country"),
        (#""suggestions": {"drop_threshold": 2}"#,
         "p.json: suggestions.drop_threshold: 2 is out of range; expected a share from 0 to 1 (0.10 = a fall of 10 %)"),
    ])
    func invalidCombinationsAreExit2WithTheJSONPath(_ extra: String, _ message: String) {
        #expect(throws: OpsError.configuration(message)) { try Self.decode(extra) }
        #expect(OpsError.configuration(message).exitCode == 2)
    }
}
