import Foundation
import Testing
@testable import OpsETL

/// SPEC §4.1 and §9 "Analyses" through the real pipeline: small shops are written as CSV,
/// prepared (ingest → integrate) and handed to `CohortRetention`. Every expected number is
/// worked out by hand in the comments next to it. Money is in 1/10 000 units.
@Suite struct RetentionTests {
    /// Prepares a shop and returns its integrated data and the pipeline's retention settings.
    static func prepare(users: String, sales: String = "order_id,user_id,ordered_at,amount\n",
                        events: String? = nil, timezone: String = "UTC", since: String, asOf: String,
                        retention: String) throws -> (IntegratedData, Retention) {
        let f = PipelineFixture()
        f.dir.write("users.csv", users)
        f.dir.write("sales.csv", sales)
        f.dir.write("channels.csv", "date,channel,spend\n")
        if let events { f.dir.write("events.csv", events) }
        let json = """
            {
              "version": 1, "name": "r", "timezone": "\(timezone)", "since": "\(since)", "as_of": "\(asOf)",
              "inputs": {
                "users": { "path": "users.csv" }, "sales": { "path": "sales.csv" },
                "channels": { "path": "channels.csv" }\(events == nil ? "" : #", "events": { "path": "events.csv" }"#)
              },
              "cleaning": { "max_reject_rate": 1 },
              "retention": { \(retention) },
              "output": { "dir": "out/{as_of}" }
            }
            """
        let job = try f.job(json)
        return (try job.prepare().data, job.pipeline.retention)
    }

    static func run(users: String, sales: String = "order_id,user_id,ordered_at,amount\n", events: String? = nil,
                    timezone: String = "UTC", since: String, asOf: String, retention: String) throws -> RetentionResult {
        let (data, settings) = try prepare(users: users, sales: sales, events: events, timezone: timezone,
                                           since: since, asOf: asOf, retention: retention)
        return CohortRetention.compute(data, settings: settings)
    }

    static func cell(_ cohort: String, _ size: Int, _ k: Int, _ active: Int, _ revenue: Int128, _ partial: Bool = false)
        -> RetentionResult.Cell {
        .init(cohort: LocalDate(iso: cohort)!, cohortSize: size, period: k, activeUsers: active, revenue: revenue, partial: partial)
    }

    /// The `retention.pK` headlines (the day-N ones follow them; see `DayRetentionTests`).
    static func periodMetrics(_ r: RetentionResult) -> [HeadlineMetric] {
        r.headlineMetrics().filter { $0.name.hasPrefix("retention.p") }
    }
    static func rates(_ r: RetentionResult) -> [Decimal?] { periodMetrics(r).map(\.value.decimal) }
    static func ratio(_ a: Int, _ b: Int) -> Decimal { Decimal(a) / Decimal(b) }

    // MARK: - Weeks

    /// 2025-01-01 is a Wednesday: a signs up Sun 01-05, b Mon 01-06, c Sat 01-04.
    /// a buys Mon 01-06 (10), b Sat 01-11 (20), c Sun 01-05 (30).
    static let weekUsers = "user_id,signup_at\na,2025-01-05\nb,2025-01-06\nc,2025-01-04\n"
    static let weekSales = "order_id,user_id,ordered_at,amount\no1,a,2025-01-06,10\no2,b,2025-01-11,20\no3,c,2025-01-05,30\n"

    /// Monday weeks: [12-30 … 01-05] holds a and c (labelled 2024-12-30, before since), [01-06 … 01-12] holds b.
    /// 12-30 cohort: k0 c (01-05, 30), k1 a (01-06, 10), k2 [01-13 … 01-19] nobody. 01-06 cohort: k0 b (01-11, 20).
    /// as_of 01-31: every cell ends by 01-26, so none is partial.
    @Test func weeksStartingMonday() throws {
        let r = try Self.run(users: Self.weekUsers, sales: Self.weekSales, since: "2025-01-01", asOf: "2025-01-31",
                             retention: #""period": "week", "periods": 2, "week_start": "monday""#)
        #expect(r.periods == 2)
        #expect(r.cells == [
            Self.cell("2024-12-30", 2, 0, 1, 300_000), Self.cell("2024-12-30", 2, 1, 1, 100_000), Self.cell("2024-12-30", 2, 2, 0, 0),
            Self.cell("2025-01-06", 1, 0, 1, 200_000), Self.cell("2025-01-06", 1, 1, 0, 0), Self.cell("2025-01-06", 1, 2, 0, 0),
        ])
        // p0 = (1 + 1) / (2 + 1), p1 = (1 + 0) / 3, p2 = 0 / 3.
        #expect(Self.rates(r) == [Self.ratio(2, 3), Self.ratio(1, 3), 0])
        #expect(Self.periodMetrics(r).map(\.name) == ["retention.p0", "retention.p1", "retention.p2"])
    }

    /// Sunday weeks on the same data: [12-29 … 01-04] holds c alone, [01-05 … 01-11] holds a and b.
    /// 12-29 cohort: k0 nobody, k1 c (01-05, 30). 01-05 cohort: k0 a (01-06) and b (01-11), 10 + 20.
    @Test func weeksStartingSunday() throws {
        let r = try Self.run(users: Self.weekUsers, sales: Self.weekSales, since: "2025-01-01", asOf: "2025-01-31",
                             retention: #""period": "week", "periods": 2, "week_start": "sunday""#)
        #expect(r.cells == [
            Self.cell("2024-12-29", 1, 0, 0, 0), Self.cell("2024-12-29", 1, 1, 1, 300_000), Self.cell("2024-12-29", 1, 2, 0, 0),
            Self.cell("2025-01-05", 2, 0, 2, 300_000), Self.cell("2025-01-05", 2, 1, 0, 0), Self.cell("2025-01-05", 2, 2, 0, 0),
        ])
        // p0 = (0 + 2) / 3, p1 = (1 + 0) / 3, p2 = 0.
        #expect(Self.rates(r) == [Self.ratio(2, 3), Self.ratio(1, 3), 0])
    }

    // MARK: - Time zone

    /// Asia/Shanghai is UTC+8. x signs up 2025-01-06 10:00 local (Mon); y at 2025-01-05T16:30Z, which is
    /// 01-06 00:30 local — in UTC it would be Sunday 01-05, before since, and in no cohort.
    /// o1 at 2025-01-12T23:30Z is Mon 01-13 07:30 local (the next day and the next week);
    /// o2 at 2025-01-12T15:59Z is Sun 01-12 23:59 local (still the cohort's week).
    static let shanghaiUsers = "user_id,signup_at\nx,2025-01-06 10:00\ny,2025-01-05T16:30:00Z\n"
    static let shanghaiSales = "order_id,user_id,ordered_at,amount\no1,x,2025-01-12T23:30:00Z,10\no2,x,2025-01-12T15:59:00Z,5\n"

    @Test func aLateUTCPurchaseFallsInTheNextLocalWeek() throws {
        let r = try Self.run(users: Self.shanghaiUsers, sales: Self.shanghaiSales, timezone: "Asia/Shanghai",
                             since: "2025-01-06", asOf: "2025-01-31", retention: #""period": "week", "periods": 2"#)
        // One cohort, week 2025-01-06, {x, y}: k0 o2 (5.00), k1 o1 (10.00), k2 [01-20 … 01-26] nothing.
        #expect(r.cells == [
            Self.cell("2025-01-06", 2, 0, 1, 50_000), Self.cell("2025-01-06", 2, 1, 1, 100_000), Self.cell("2025-01-06", 2, 2, 0, 0),
        ])
    }

    @Test func aLateUTCPurchaseFallsOnTheNextLocalDay() throws {
        let r = try Self.run(users: Self.shanghaiUsers, sales: Self.shanghaiSales, timezone: "Asia/Shanghai",
                             since: "2025-01-06", asOf: "2025-01-31", retention: #""period": "day", "periods": 7"#)
        // Cohort day 01-06 {x, y}; o2 on 01-12 = k6, o1 on 01-13 = k7; every other day empty.
        var expected = (0...7).map { Self.cell("2025-01-06", 2, $0, 0, 0) }
        expected[6] = Self.cell("2025-01-06", 2, 6, 1, 50_000)
        expected[7] = Self.cell("2025-01-06", 2, 7, 1, 100_000)
        #expect(r.cells == expected)
    }

    // MARK: - Months, partial and future cells, CSV text

    /// Month cohorts across the year end; as_of 2025-02-15 is in the middle of February.
    /// December 2024: m1 (12-15), m2 (12-31), m4 (12-01) → size 3. January 2025: m3 (01-20) → size 1.
    static let monthUsers = "user_id,signup_at\nm1,2024-12-15\nm2,2024-12-31\nm3,2025-01-20\nm4,2024-12-01\n"
    static let monthSales = """
        order_id,user_id,ordered_at,amount
        s1,m1,2025-01-02,20
        s2,m2,2024-12-31,7.5
        s3,m2,2025-02-10,12.3456
        s4,m3,2025-01-31,5
        s5,m4,2024-12-01,1

        """

    static func monthResult() throws -> RetentionResult {
        try run(users: monthUsers, sales: monthSales, since: "2024-12-01", asOf: "2025-02-15",
                retention: #""period": "month", "periods": 3"#)
    }

    @Test func monthsAcrossTheYearEndWithPartialAndNoFutureCells() throws {
        let r = try Self.monthResult()
        // Dec cohort: k0 Dec m2 + m4 (7.50 + 1.00), k1 Jan 2025 m1 (20.00), k2 Feb m2 (12.3456) — partial, Feb ends
        // after 02-15 — and no k3: March starts after as_of. Jan cohort: k0 m3 (5.00), k1 Feb nobody, partial.
        #expect(r.cells == [
            Self.cell("2024-12-01", 3, 0, 2, 85_000), Self.cell("2024-12-01", 3, 1, 1, 200_000),
            Self.cell("2024-12-01", 3, 2, 1, 123_456, true),
            Self.cell("2025-01-01", 1, 0, 1, 50_000), Self.cell("2025-01-01", 1, 1, 0, 0, true),
        ])
        // Headline over complete cells only: p0 = (2 + 1) / (3 + 1); p1 = 1 / 3 (January's k1 is partial);
        // p2 has only a partial cell and p3 no cell at all → null.
        #expect(Self.rates(r) == [Self.ratio(3, 4), Self.ratio(1, 3), nil, nil])
        #expect(Self.periodMetrics(r).map(\.value.formatted) == ["0.750000", "0.333333", nil, nil])
    }

    @Test func cohortRetentionCSVText() throws {
        let r = try Self.monthResult()
        // 2/3 → 0.666667, 1/3 → 0.333333; 12.3456 → 12.35 (half away from zero).
        #expect(RetentionTables.cells(r).text == """
            cohort,cohort_size,period,active_users,retention_rate,revenue,partial
            2024-12-01,3,0,2,0.666667,8.50,false
            2024-12-01,3,1,1,0.333333,20.00,false
            2024-12-01,3,2,1,0.333333,12.35,true
            2025-01-01,1,0,1,1.000000,5.00,false
            2025-01-01,1,1,0,0.000000,0.00,true

            """)
    }

    @Test func cohortRetentionMatrixCSVText() throws {
        let r = try Self.monthResult()
        #expect(RetentionTables.matrix(r).text == """
            cohort,cohort_size,p0,p1,p2,p3
            2024-12-01,3,0.666667,0.333333,0.333333,
            2025-01-01,1,1.000000,0.000000,,

            """)
    }

    @Test func emptyResultWritesHeadersOnlyAndNullHeadlines() {
        let r = RetentionResult(periods: 1, cells: [])
        #expect(RetentionTables.cells(r).text == "cohort,cohort_size,period,active_users,retention_rate,revenue,partial\n")
        #expect(RetentionTables.matrix(r).text == "cohort,cohort_size,p0,p1\n")
        #expect(Self.rates(r) == [nil, nil])
    }

    // MARK: - first_purchase

    /// since Mon 01-06, as_of Sun 02-02, activity purchase or login.
    /// f1: first purchase 01-03, before since → no cohort, although it buys again on 01-08 and logs in.
    /// f2: first purchase Wed 01-15 → cohort 01-13; logs in 01-22 (k1).
    /// f3: never buys → no cohort. f4: a refund line on 01-07 is no purchase; first purchase Tue 01-21 → cohort 01-20.
    @Test func firstPurchaseCohorts() throws {
        let r = try Self.run(
            users: "user_id,signup_at\nf1,2024-12-01\nf2,2025-01-01\nf3,2025-01-07\nf4,2024-12-20\n",
            sales: """
                order_id,user_id,ordered_at,amount
                p1,f1,2025-01-03,10
                p2,f1,2025-01-08,10
                p3,f2,2025-01-15,30
                p4,f4,2025-01-07,-3
                p5,f4,2025-01-21,8

                """,
            events: "user_id,event,occurred_at\nf2,login,2025-01-22\nf1,login,2025-01-09\nf3,login,2025-01-08\n",
            since: "2025-01-06", asOf: "2025-02-02",
            retention: #""cohort_by": "first_purchase", "period": "week", "periods": 2, "activity": ["purchase", "login"]"#)
        // 01-13 {f2}: k0 p3 (30), k1 login, k2 [01-27 … 02-02] nothing, complete (ends on as_of).
        // 01-20 {f4}: k0 p5 (8; the 01-07 refund is in an earlier period), k1 nothing; k2 starts 02-03: no cell.
        // The 01-06 week has no cohort user: no rows.
        #expect(r.cells == [
            Self.cell("2025-01-13", 1, 0, 1, 300_000), Self.cell("2025-01-13", 1, 1, 1, 0), Self.cell("2025-01-13", 1, 2, 0, 0),
            Self.cell("2025-01-20", 1, 0, 1, 80_000), Self.cell("2025-01-20", 1, 1, 0, 0),
        ])
        // p0 = 2 / 2, p1 = (1 + 0) / 2, p2 = 0 / 1.
        #expect(Self.rates(r) == [1, Self.ratio(1, 2), 0])
    }

    // MARK: - Activity window

    /// since Wed 01-08, as_of Sun 01-26, activity login (and a name no event has).
    /// g1 signs up Thu 01-09 → cohort 01-06 (labelled before since); its only login, Mon 01-06 09:00, is before
    /// its signup and before since but in its own week → k0.
    /// g2 signs up Wed 01-15 → cohort 01-13; its login on Sun 01-12 is an earlier week → ignored; two logins in
    /// [01-20 … 01-26] count it once at k1. g3 signed up 01-05, before since → no cohort.
    @Test func activityBeforeTheCohortPeriodIsIgnoredAndWithinItCounts() throws {
        let r = try Self.run(
            users: "user_id,signup_at\ng1,2025-01-09\ng2,2025-01-15\ng3,2025-01-05\n",
            events: """
                user_id,event,occurred_at
                g1,login,2025-01-06 09:00
                g2,login,2025-01-12
                g2,login,2025-01-21
                g2,login,2025-01-22
                g3,login,2025-01-10

                """,
            since: "2025-01-08", asOf: "2025-01-26",
            retention: #""period": "week", "periods": 1, "activity": ["login", "never_seen"]"#)
        #expect(r.cells == [
            Self.cell("2025-01-06", 1, 0, 1, 0), Self.cell("2025-01-06", 1, 1, 0, 0),
            Self.cell("2025-01-13", 1, 0, 0, 0), Self.cell("2025-01-13", 1, 1, 1, 0),
        ])
        // p0 = (1 + 0) / 2, p1 = (0 + 1) / 2.
        #expect(Self.rates(r) == [Self.ratio(1, 2), Self.ratio(1, 2)])
    }

    // MARK: - Revenue

    /// since Mon 01-06, as_of Wed 01-22; cohort week 01-06 = {r1 (Wed 01-08), r2 (Tue 01-07)}.
    /// r1: 100 on Mon 01-06 (own week, before its signup), 50 on 01-14, a refund line of −20.50 on 01-15, and a
    /// cancelled 999 (excluded). r2: only a refund of −10 on 01-09 — revenue, but no purchase event, so not
    /// active — and a sale on 01-23, after as_of.
    @Test func revenueIncludesRefundLinesButRefundsAreNotActivity() throws {
        let r = try Self.run(
            users: "user_id,signup_at\nr1,2025-01-08\nr2,2025-01-07\n",
            sales: """
                order_id,user_id,ordered_at,amount,status
                q1,r1,2025-01-06,100,paid
                q2,r1,2025-01-14,50,paid
                q3,r1,2025-01-15,-20.50,paid
                q4,r2,2025-01-09,-10,paid
                q5,r1,2025-01-16,999,cancelled
                q6,r2,2025-01-23,5,paid

                """,
            since: "2025-01-06", asOf: "2025-01-22", retention: #""period": "week", "periods": 2"#)
        // k0: r1 active; 100 − 10 = 90. k1 [01-13 … 01-19]: r1 active; 50 − 20.50 = 29.50.
        // k2 [01-20 … 01-26] ends after as_of: partial, empty.
        #expect(r.cells == [
            Self.cell("2025-01-06", 2, 0, 1, 900_000), Self.cell("2025-01-06", 2, 1, 1, 295_000),
            Self.cell("2025-01-06", 2, 2, 0, 0, true),
        ])
        // p0 = 1/2, p1 = 1/2; p2 only partial → null.
        #expect(Self.rates(r) == [Self.ratio(1, 2), Self.ratio(1, 2), nil])
        #expect(RetentionTables.cells(r).text.split(separator: "\n").dropFirst() == [
            "2025-01-06,2,0,1,0.500000,90.00,false",
            "2025-01-06,2,1,1,0.500000,29.50,false",
            "2025-01-06,2,2,0,0.000000,0.00,true",
        ])
    }

    // MARK: - Partitions

    /// The same cells however users are split across partitions (each partition sums on its own).
    @Test func resultDoesNotDependOnPartitions() throws {
        var users = "user_id,signup_at\n"
        var sales = "order_id,user_id,ordered_at,amount\n"
        var events = "user_id,event,occurred_at\n"
        for i in 0..<300 {
            let signup = LocalDate(iso: "2025-01-01")!.advanced(by: (i * 7) % 60)
            users += "u\(i),\(signup) 0\(i % 10):00\n"
            for j in 0..<(i % 4) {
                let day = signup.advanced(by: (i * 13 + j * 17) % 50 - 5)
                sales += "o\(i)_\(j),u\(i),\(day),\(j == 2 ? "-" : "")\(i % 9 + 1).25\n"
            }
            for j in 0..<(i % 5) {
                events += "u\(i),\(j % 2 == 0 ? "login" : "view"),\(signup.advanced(by: (i * 5 + j * 11) % 70 - 3)) 12:00\n"
            }
        }
        let (data, settings) = try Self.prepare(users: users, sales: sales, events: events, timezone: "Europe/Berlin",
                                                since: "2025-01-10", asOf: "2025-03-05",
                                                retention: #""period": "week", "periods": 4, "activity": ["login", "purchase"]"#)
        let one = CohortRetention.compute(data, settings: settings, partitions: 1)
        #expect(one.cells.count > 10)
        #expect(one.cells.contains { $0.revenue < 0 } || one.cells.contains { $0.revenue > 0 })
        for parts in [2, 3, 7, 64] {
            #expect(CohortRetention.compute(data, settings: settings, partitions: parts) == one)
        }
        #expect(CohortRetention.compute(data, settings: settings) == one)
    }
}

/// SPEC §4 periods as integer arithmetic on local dates.
@Suite struct PeriodCalendarTests {
    static func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test(arguments: [
        (Weekday.monday, "2024-12-30", "2025-01-05"),
        (Weekday.sunday, "2024-12-29", "2025-01-04"),
        (Weekday.saturday, "2024-12-28", "2025-01-03"),
        (Weekday.wednesday, "2025-01-01", "2025-01-07"),
        (Weekday.thursday, "2024-12-26", "2025-01-01"),
    ])
    func weekOfNewYearsDay2025(start: Weekday, first: String, last: String) {
        let cal = PeriodCalendar(unit: .week, weekStart: start)
        // 2025-01-01 is a Wednesday.
        #expect(cal.start(of: Self.d("2025-01-01")) == Self.d(first))
        #expect(cal.end(of: Self.d("2025-01-01")) == Self.d(last))
        #expect(cal.start(of: Self.d(first)) == Self.d(first))
        #expect(cal.start(of: Self.d(last)) == Self.d(first))
        #expect(cal.start(of: Self.d(last).advanced(by: 1)) == Self.d(last).advanced(by: 1))
    }

    @Test func weekIndicesAreConsecutiveBefore1970Too() {
        let cal = PeriodCalendar(unit: .week, weekStart: .monday)
        // 1969-12-31 was a Wednesday; its Monday is 1969-12-29, and the next week starts 1970-01-05.
        let i = cal.index(of: Self.d("1969-12-31"))
        #expect(cal.start(ofIndex: i) == Self.d("1969-12-29"))
        #expect(cal.start(ofIndex: i + 1) == Self.d("1970-01-05"))
        #expect(cal.index(of: Self.d("1970-01-04")) == i)
        #expect(cal.label(ofIndex: i + 2) == "1970-01-12")
    }

    @Test func monthsAcrossTheYearEndAndLeapFebruary() {
        let cal = PeriodCalendar(unit: .month)
        let dec = cal.index(of: Self.d("2024-12-31"))
        #expect(cal.start(ofIndex: dec) == Self.d("2024-12-01"))
        #expect(cal.end(ofIndex: dec) == Self.d("2024-12-31"))
        #expect(cal.label(ofIndex: dec + 1) == "2025-01-01")
        #expect(cal.index(of: Self.d("2025-01-15")) == dec + 1)
        #expect(cal.end(ofIndex: dec + 2) == Self.d("2025-02-28"))
        #expect(cal.end(of: Self.d("2024-02-10")) == Self.d("2024-02-29"))
        #expect(cal.start(ofIndex: dec - 11) == Self.d("2024-01-01"))
        #expect(cal.end(ofIndex: cal.index(of: Self.d("9999-12-31"))) == Self.d("9999-12-31"))
    }

    @Test func daysAreDates() {
        let cal = PeriodCalendar(unit: .day)
        let i = cal.index(of: Self.d("2025-03-01"))
        #expect(cal.start(ofIndex: i) == Self.d("2025-03-01"))
        #expect(cal.end(ofIndex: i) == Self.d("2025-03-01"))
        #expect(cal.label(ofIndex: i - 1) == "2025-02-28")
    }
}
