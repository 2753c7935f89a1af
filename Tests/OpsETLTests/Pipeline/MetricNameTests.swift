import Testing
@testable import OpsETL

/// Target metric names (SPEC §6, §9): families are checked at load time, channels are free text.
@Suite("Metric names")
struct MetricNameTests {
    @Test(arguments: [
        ("retention.p0", MetricName.retention(period: 0)),
        ("retention.p8", .retention(period: 8)),
        ("funnel.conversion", .funnelConversion),
        ("funnel.step1", .funnelStep(1)),
        ("funnel.step5", .funnelStep(5)),
        ("roi.total", .roi(.total)),
        ("roas.total_paid", .roas(.totalPaid)),
        ("cac.facebook", .cac(.channel("facebook"))),
        ("roi.Facebook Ads", .roi(.channel("Facebook Ads"))),
        ("roi.a.b", .roi(.channel("a.b"))),
        ("revenue.total", .revenueTotal),
        ("signups.total", .signupsTotal),
        ("trend.signups", .trend(.signups)),
        ("trend.new_paying_users", .trend(.newPayingUsers)),
        ("growth.total_users", .growth(.totalUsers)),
        ("yoy.revenue", .yoy(.revenue)),
        ("trend.stickiness", .trend(.stickiness)),
    ])
    func parsesKnownFamilies(_ text: String, _ expected: MetricName) throws {
        #expect(MetricName(text) == expected)
        #expect(expected.description == text)
        let validated = try MetricName(validating: text, retentionPeriods: 8, funnelStepCount: 5)
        #expect(validated == expected)
    }

    @Test(arguments: [
        "", "retention", "retention.", "retention.p", "retention.p01", "retention.p-1", "retention.week1",
        "retention.p1x", "funnel.step0", "funnel.step", "funnel.step01", "funnel.Conversion", "funnel.total",
        "roi.", "roi. ", "trend.", "trend.Signups", "growth.signups ", "yoy.total", "cpa.total", "revenue.facebook", "signups.facebook", "ROI.total", "total",
    ])
    func rejectsUnknownNames(_ text: String) {
        #expect(MetricName(text) == nil)
        #expect(throws: MetricNameError.self) {
            try MetricName(validating: text, retentionPeriods: 8, funnelStepCount: 5)
        }
    }

    @Test(arguments: [
        ("retention.p9", 8, 5 as Int?, "retention.p9 is beyond retention.periods (8); expected retention.p0 … retention.p8"),
        ("retention.p1", 0, 5, "retention.p1 is beyond retention.periods (0); expected retention.p0 … retention.p0"),
        ("funnel.step6", 8, 5, "funnel.step6 is beyond the funnel's 5 steps; expected funnel.step1 … funnel.step5"),
        ("funnel.conversion", 8, nil, "funnel.conversion needs a funnel section, and the pipeline has none"),
        ("funnel.step1", 8, nil, "funnel.step1 needs a funnel section, and the pipeline has none"),
        ("retention_p1", 8, 5, "unknown metric \"retention_p1\"; expected one of retention.pK (K = 0…8), "
            + "retention.dN, retention.dN_plus (N = 1, 7, 30), funnel.conversion, "
            + "funnel.stepN (N = 1…5), roi.<channel>, roas.<channel>, cac.<channel> (a channel name, total or total_paid), "
            + "revenue.total, signups.total, trend.<kpi>, growth.<kpi>, yoy.<kpi>"),
        ("ctr.total", 4, nil, "unknown metric \"ctr.total\"; expected one of retention.pK (K = 0…4), "
            + "retention.dN, retention.dN_plus (N = 1, 7, 30), roi.<channel>, "
            + "roas.<channel>, cac.<channel> (a channel name, total or total_paid), revenue.total, signups.total, "
            + "trend.<kpi>, growth.<kpi>, yoy.<kpi>"),
        ("trend.signup", 8, nil, "\"signup\" is not a KPI of the trends (did you mean \"trend.signups\"?); expected one of "
            + "signups, total_users, active_users, paying_users, new_paying_users, orders, revenue, spend, aov, arppu, roas, stickiness"),
        ("yoy.gmv", 8, nil, "\"gmv\" is not a KPI of the trends; expected one of "
            + "signups, total_users, active_users, paying_users, new_paying_users, orders, revenue, spend, aov, arppu, roas, stickiness"),
    ])
    func validatesAgainstThePipeline(_ text: String, _ periods: Int, _ steps: Int?, _ message: String) {
        #expect(throws: MetricNameError(message: message)) {
            try MetricName(validating: text, retentionPeriods: periods, funnelStepCount: steps)
        }
    }
}
