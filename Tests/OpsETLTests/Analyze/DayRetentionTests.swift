import Foundation
import Testing
@testable import OpsETL

/// SPEC §4.1 `cumulative`, §4.1.1 day-N retention and §9 "work and memory grow with the rows and the
/// cohorts that exist", through the real pipeline (`RetentionTests.prepare`). Every expected number is
/// worked out by hand in the comments. Money is in 1/10 000 units.
@Suite struct DayRetentionTests {
    static func day(_ cohort: String, _ size: Int, _ n: Int, _ eligible: Int, _ onDay: Int, _ onOrAfter: Int)
        -> RetentionResult.DayCell {
        .init(cohort: LocalDate(iso: cohort)!, cohortSize: size, day: n, eligibleUsers: eligible,
              activeOnDay: onDay, activeOnOrAfter: onOrAfter)
    }

    static func metrics(_ r: RetentionResult) -> [String: Decimal?] {
        Dictionary(uniqueKeysWithValues: r.dayMetrics().map { ($0.name, $0.value.decimal) })
    }

    // MARK: - Day N by local date: a DST change, a month end, day 0, day N after as_of

    /// Europe/Berlin, monthly cohorts, days [30, 0, 7, 1] (written unsorted), activity `login`,
    /// since 2025-03-01, as_of Sun 2025-04-20. Summer time starts Sun 2025-03-30 (02:00 → 03:00).
    /// - c signs up Sat 03-01 12:00: logins 03-01 18:00 (day 0), 03-31 20:00 (day 30 = 03-31, the month's
    ///   last day, after the DST change), 04-10 (day 40).
    /// - a signs up Sat 03-29 23:30 CET (22:30Z): login Sun 03-30 23:30 CEST (21:30Z) is only 23 hours
    ///   later, yet dated day 1 (03-30); login Sun 04-06 00:30 is day 8, not day 7 (04-05).
    /// - b signs up Mon 03-31 10:00: login 03-31 08:00 (before the signup, but dated day 0), login
    ///   Tue 04-01 09:00 (day 1, across the month end).
    /// - d signs up on as_of 04-20, never active: eligible for day 0 only (day 1 = 04-21 is after as_of).
    /// a's day 30 (04-28) and b's (04-30) are after as_of: not eligible.
    static let dstUsers = """
        user_id,signup_at
        c,2025-03-01 12:00
        a,2025-03-29 23:30
        b,2025-03-31 10:00
        d,2025-04-20 09:00

        """
    static let dstEvents = """
        user_id,event,occurred_at
        c,login,2025-03-01 18:00
        c,login,2025-03-31 20:00
        c,login,2025-04-10 12:00
        a,login,2025-03-30 23:30
        a,login,2025-04-06 00:30
        b,login,2025-03-31 08:00
        b,login,2025-04-01 09:00

        """

    static func dstResult() throws -> RetentionResult {
        try RetentionTests.run(users: dstUsers, events: dstEvents, timezone: "Europe/Berlin", since: "2025-03-01",
                               asOf: "2025-04-20",
                               retention: #""period": "month", "periods": 1, "activity": ["login"], "days": [30, 0, 7, 1]"#)
    }

    @Test func dayNCountsLocalDatesAcrossADSTChangeAndAMonthEnd() throws {
        let r = try Self.dstResult()
        #expect(r.days == [0, 1, 7, 30])
        // March cohort {c, a, b}: day 0 on: c (03-01), b (03-31 08:00) = 2, on or after: all 3.
        // day 1 on: a (03-30), b (04-01) = 2; on or after: c (03-31, 04-10), a, b = 3.
        // day 7 on: nobody (a's 04-06 is day 8); on or after: c, a (04-06 ≥ 04-05); b's last login is day 1.
        // day 30: only c is eligible (03-31 ≤ 04-20); it logs in on 03-31.
        // April cohort {d}: day 0 eligible, inactive; days 1, 7, 30 after as_of.
        #expect(r.dayCells == [
            Self.day("2025-03-01", 3, 0, 3, 2, 3), Self.day("2025-03-01", 3, 1, 3, 2, 3),
            Self.day("2025-03-01", 3, 7, 3, 0, 2), Self.day("2025-03-01", 3, 30, 1, 1, 1),
            Self.day("2025-04-01", 1, 0, 1, 0, 0), Self.day("2025-04-01", 1, 1, 0, 0, 0),
            Self.day("2025-04-01", 1, 7, 0, 0, 0), Self.day("2025-04-01", 1, 30, 0, 0, 0),
        ])
    }

    @Test func dayNHeadlinesPoolEveryCohort() throws {
        let r = try Self.dstResult()
        // d0 = (2 + 0) / (3 + 1), d0_plus = 3 / 4; d1 = 2 / 3, d1_plus = 3 / 3; d7 = 0 / 3, d7_plus = 2 / 3;
        // d30 = 1 / 1, d30_plus = 1 / 1. N ascending, after the retention.pK metrics.
        #expect(r.headlineMetrics().map(\.name) == [
            "retention.p0", "retention.p1", "retention.d0", "retention.d0_plus", "retention.d1", "retention.d1_plus",
            "retention.d7", "retention.d7_plus", "retention.d30", "retention.d30_plus",
        ])
        #expect(r.dayMetrics().map(\.value.decimal) == [
            Decimal(1) / 2, Decimal(3) / 4, Decimal(2) / 3, 1, 0, Decimal(2) / 3, 1, 1,
        ])
        #expect(r.dayMetrics().map(\.value.formatted) == [
            "0.500000", "0.750000", "0.666667", "1.000000", "0.000000", "0.666667", "1.000000", "1.000000",
        ])
    }

    @Test func dayRetentionCSVText() throws {
        let r = try Self.dstResult()
        // Rates divide by eligible_users and are empty when nobody is eligible.
        #expect(RetentionTables.days(r)?.text == """
            cohort,cohort_size,day,eligible_users,active_on_day,rate_on_day,active_on_or_after,rate_on_or_after
            2025-03-01,3,0,3,2,0.666667,3,1.000000
            2025-03-01,3,1,3,2,0.666667,3,1.000000
            2025-03-01,3,7,3,0,0.000000,2,0.666667
            2025-03-01,3,30,1,1,1.000000,1,1.000000
            2025-04-01,1,0,1,0,0.000000,0,0.000000
            2025-04-01,1,1,0,0,,0,
            2025-04-01,1,7,0,0,,0,
            2025-04-01,1,30,0,0,,0,

            """)
    }

    /// Nobody eligible for a day: its headlines are null; `days: []` gives no rows, no headline, no table.
    @Test func noEligibleUserGivesNullAndNoDaysGiveNothing() throws {
        let late = try RetentionTests.run(users: "user_id,signup_at\nz,2025-04-19\n", since: "2025-04-01", asOf: "2025-04-20",
                                          retention: #""period": "week", "days": [1, 2]"#)
        // z: day 1 = 04-20 = as_of, eligible; day 2 = 04-21, not.
        #expect(late.dayCells == [Self.day("2025-04-14", 1, 1, 1, 0, 0), Self.day("2025-04-14", 1, 2, 0, 0, 0)])
        #expect(Self.metrics(late) == ["retention.d1": 0, "retention.d1_plus": 0, "retention.d2": nil, "retention.d2_plus": nil])

        let none = try RetentionTests.run(users: Self.dstUsers, events: Self.dstEvents, timezone: "Europe/Berlin",
                                          since: "2025-03-01", asOf: "2025-04-20",
                                          retention: #""period": "month", "activity": ["login"], "days": []"#)
        #expect(none.dayCells.isEmpty)
        #expect(none.dayMetrics().isEmpty)
        #expect(RetentionTables.days(none) == nil)
        #expect(!none.cells.isEmpty)
    }

    /// Default days [1, 7, 30] with first-purchase cohorts: day 0 is the first purchase's date.
    /// f1: first purchase Wed 2025-01-08 (refund line −3 on 01-07 is no purchase), buys again 01-09 (day 1)
    /// and 02-07 (day 30). as_of 02-07: f1 is eligible for every day.
    @Test func firstPurchaseCohortsCountFromTheFirstPurchase() throws {
        let r = try RetentionTests.run(
            users: "user_id,signup_at\nf1,2024-12-01\n",
            sales: "order_id,user_id,ordered_at,amount\nr,f1,2025-01-07,-3\np1,f1,2025-01-08,10\np2,f1,2025-01-09,10\np3,f1,2025-02-07,10\n",
            since: "2025-01-01", asOf: "2025-02-07", retention: #""cohort_by": "first_purchase", "period": "week""#)
        #expect(r.days == [1, 7, 30])
        // Cohort week 2025-01-06. Day 1 (01-09) on; day 7 (01-15) not, but 02-07 is later; day 30 (02-07) on.
        #expect(r.dayCells == [
            Self.day("2025-01-06", 1, 1, 1, 1, 1), Self.day("2025-01-06", 1, 7, 1, 0, 1), Self.day("2025-01-06", 1, 30, 1, 1, 1),
        ])
    }

    // MARK: - Cumulative ("on or after") against "on", on the same data

    /// Monday weeks, periods 3, since Mon 2025-01-06, as_of Sun 02-09 (every cell complete); one cohort,
    /// week 01-06 = {x (Mon), y (Tue), z (Wed), v (Thu)}. Purchases: x 01-14 (k1, 10) and 01-28 (k3, 20);
    /// y 01-21 (k2, 30); z 01-08 (k0, 40); v only 02-05 (k4, 50 — beyond the last cell).
    static let cumulativeUsers = "user_id,signup_at\nx,2025-01-06\ny,2025-01-07\nz,2025-01-08\nv,2025-01-09\n"
    static let cumulativeSales = """
        order_id,user_id,ordered_at,amount
        o1,x,2025-01-14,10
        o2,x,2025-01-28,20
        o3,y,2025-01-21,30
        o4,z,2025-01-08,40
        o5,v,2025-02-05,50

        """

    static func weeks(cumulative: Bool) throws -> RetentionResult {
        try RetentionTests.run(users: cumulativeUsers, sales: cumulativeSales, since: "2025-01-06", asOf: "2025-02-09",
                               retention: #""period": "week", "periods": 3, "cumulative": "# + (cumulative ? "true" : "false"))
    }

    @Test func cumulativeCellsCountActivityInTheirPeriodOrAnyLaterOne() throws {
        let on = try Self.weeks(cumulative: false)
        let cumulative = try Self.weeks(cumulative: true)
        // "On": k0 z, k1 x, k2 y, k3 x — one user each; v is active only in k4, which is no cell.
        #expect(on.cells == [
            RetentionTests.cell("2025-01-06", 4, 0, 1, 400_000), RetentionTests.cell("2025-01-06", 4, 1, 1, 100_000),
            RetentionTests.cell("2025-01-06", 4, 2, 1, 300_000), RetentionTests.cell("2025-01-06", 4, 3, 1, 200_000),
        ])
        // "On or after": k0 {x, y, z, v}, k1 {x, y, v}, k2 {x (k3), y, v}, k3 {x, v}; v's k4 is later than every cell.
        // Revenue is unchanged.
        #expect(cumulative.cumulative)
        #expect(cumulative.cells == [
            RetentionTests.cell("2025-01-06", 4, 0, 4, 400_000), RetentionTests.cell("2025-01-06", 4, 1, 3, 100_000),
            RetentionTests.cell("2025-01-06", 4, 2, 3, 300_000), RetentionTests.cell("2025-01-06", 4, 3, 2, 200_000),
        ])
        // Headlines follow the cells: 1/4 each; cumulative 4/4, 3/4, 3/4, 2/4.
        #expect(RetentionTests.rates(on) == [Decimal(1) / 4, Decimal(1) / 4, Decimal(1) / 4, Decimal(1) / 4])
        #expect(RetentionTests.rates(cumulative) == [1, Decimal(3) / 4, Decimal(3) / 4, Decimal(1) / 2])
        #expect(RetentionTables.matrix(cumulative).text == """
            cohort,cohort_size,p0,p1,p2,p3
            2025-01-06,4,1.000000,0.750000,0.750000,0.500000

            """)
    }

    /// A partial cell stays partial with `cumulative`, and activity before the cohort period is still ignored.
    /// Monday weeks, as_of Wed 01-15: cohort 01-06 = {p (Mon 01-06)}; p buys 01-01 (an earlier week) and 01-14 (k1,
    /// partial). Cumulative k0 counts p (active in k1, later); k1 counts p and is partial.
    @Test func cumulativeKeepsPartialCellsAndIgnoresEarlierPeriods() throws {
        let r = try RetentionTests.run(users: "user_id,signup_at\np,2025-01-06\n",
                                       sales: "order_id,user_id,ordered_at,amount\no1,p,2025-01-01,5\no2,p,2025-01-14,7\n",
                                       since: "2025-01-06", asOf: "2025-01-15",
                                       retention: #""period": "week", "periods": 2, "cumulative": true"#)
        #expect(r.cells == [RetentionTests.cell("2025-01-06", 1, 0, 1, 0), RetentionTests.cell("2025-01-06", 1, 1, 1, 70_000, true)])
    }

    // MARK: - Sparse cells: memory grows with the cohorts that exist (SPEC §9)

    /// A 5-row shop (3 users, 2 sales) over since 1900-01-01 … as_of 2199-12-31 with daily periods and 520
    /// periods: 109 573 possible cohort days × 521 cells would be 57 million cells; only the two cohorts that
    /// exist get rows. u1, u2 sign up 2025-03-01, u1 buys 03-02 (k1, 10); u3 signs up 2030-06-15 and buys
    /// 2031-01-01: 15 + 31 + 31 + 30 + 31 + 30 + 31 + 1 = 200 days later (k200, 5). as_of is far away: no
    /// cell is partial, every cell k = 0 … 520 exists.
    @Test func aTwoHundredYearRangeHoldsOnlyTheCohortsThatExist() throws {
        let (data, settings) = try RetentionTests.prepare(
            users: "user_id,signup_at\nu1,2025-03-01\nu2,2025-03-01\nu3,2030-06-15\n",
            sales: "order_id,user_id,ordered_at,amount\no1,u1,2025-03-02,10\no2,u3,2031-01-01,5\n",
            since: "1900-01-01", asOf: "2199-12-31", retention: #""period": "day", "periods": 520"#)
        let partial = CohortRetention.partial(data, settings: settings, users: 0..<data.users.count)
        #expect(partial.cohortCount == 2)
        #expect(partial.cellCount == 2 * 521)

        let r = CohortRetention.compute(data, settings: settings)
        var expected = (0...520).map { RetentionTests.cell("2025-03-01", 2, $0, 0, 0) }
            + (0...520).map { RetentionTests.cell("2030-06-15", 1, $0, 0, 0) }
        expected[1] = RetentionTests.cell("2025-03-01", 2, 1, 1, 100_000)
        expected[521 + 200] = RetentionTests.cell("2030-06-15", 1, 200, 1, 50_000)
        #expect(r.cells == expected)
        // Day N, default [1, 7, 30]: 2025 cohort — u1 on day 1; both eligible everywhere. 2030 cohort — u3's only
        // activity is day 200, so "on or after" for every N.
        #expect(r.dayCells == [
            Self.day("2025-03-01", 2, 1, 2, 1, 1), Self.day("2025-03-01", 2, 7, 2, 0, 0), Self.day("2025-03-01", 2, 30, 2, 0, 0),
            Self.day("2030-06-15", 1, 1, 1, 0, 1), Self.day("2030-06-15", 1, 7, 1, 0, 1), Self.day("2030-06-15", 1, 30, 1, 0, 1),
        ])
        // p1 = 1 / 3 (u1), p200 = 1 / 3 (u3), every other pK 0 / 3.
        let rates = RetentionTests.rates(r)
        #expect(rates.count == 521)
        #expect(rates[1] == Decimal(1) / 3 && rates[200] == Decimal(1) / 3)
        #expect(rates.enumerated().allSatisfy { $0.offset == 1 || $0.offset == 200 || $0.element == 0 })
    }

    // MARK: - Partials merge exactly

    /// The `resultDoesNotDependOnPartitions` shop with `cumulative` and five days: any split of the users,
    /// merged in any order, gives the result of one walk over all users.
    @Test(arguments: [false, true])
    func partialsOfAnySplitMergeToTheSameResult(cumulative: Bool) throws {
        var users = "user_id,signup_at\n"
        var events = "user_id,event,occurred_at\n"
        for i in 0..<200 {
            let signup = LocalDate(iso: "2025-01-01")!.advanced(by: (i * 7) % 60)
            users += "u\(i),\(signup) 0\(i % 10):00\n"
            for j in 0..<(i % 5) {
                events += "u\(i),\(j % 2 == 0 ? "login" : "view"),\(signup.advanced(by: (i * 5 + j * 11) % 70 - 3)) 12:00\n"
            }
        }
        let (data, settings) = try RetentionTests.prepare(
            users: users, events: events, timezone: "Europe/Berlin", since: "2025-01-10", asOf: "2025-03-05",
            retention: #""period": "week", "periods": 4, "activity": ["login"], "days": [0, 1, 3, 7, 14], "cumulative": "#
                + (cumulative ? "true" : "false"))
        let one = CohortRetention.compute(data, settings: settings, partitions: 1)
        #expect(one.dayCells.count > 20)
        #expect(one.dayCells.contains { $0.activeOnDay > 0 } && one.dayCells.contains { $0.activeOnOrAfter > $0.activeOnDay })
        let n = data.users.count
        for cuts in [[0, n], [0, 7, 150, n], [0, 1, 2, 3, 100, n]] {
            let partials = zip(cuts, cuts.dropFirst()).map { CohortRetention.partial(data, settings: settings, users: $0..<$1) }
            var merged = partials.last!
            for p in partials.dropLast().reversed() { merged.merge(p) }
            #expect(merged.result() == one, "\(cuts)")
        }
        for parts in [2, 5, 64] {
            #expect(CohortRetention.compute(data, settings: settings, partitions: parts) == one)
        }
    }
}
