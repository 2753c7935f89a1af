import Foundation
import Testing
@testable import OpsETL

/// SPEC §4.3, §7 (`channel_roi.csv`) and §9 "Analyses" through the library: a tiny shop is
/// cleaned and integrated by the real pipeline, then `ChannelROI` runs on the result.
/// Every expected number is worked out by hand in the comments.
@Suite struct ChannelROITests {
    /// A pipeline over users.csv, sales.csv and channels.csv in Asia/Shanghai, with explicit
    /// `since`/`as_of` and the two aliases of SPEC §2.
    static func json(since: String = "2025-01-01", asOf: String = "2025-03-31",
                     windowDays: String = "10", grossMargin: String = "0.6") -> String {
        """
        {
          "version": 1, "name": "roi", "timezone": "Asia/Shanghai", "since": "\(since)", "as_of": "\(asOf)",
          "inputs": {
            "users": { "path": "users.csv" },
            "sales": { "path": "sales.csv" },
            "channels": { "path": "channels.csv" }
          },
          "cleaning": { "channel_aliases": { "fb": "facebook", "Facebook Ads": "facebook" }, "max_reject_rate": 1 },
          "roi": { "revenue_window_days": \(windowDays), "gross_margin": \(grossMargin) },
          "output": { "dir": "out/{as_of}" }
        }
        """
    }

    static func data(users: String, sales: String, channels: String, json: String = ChannelROITests.json()) throws
        -> (IntegratedData, ROI) {
        let f = PipelineFixture()
        f.dir.write("users.csv", users)
        f.dir.write("sales.csv", sales)
        f.dir.write("channels.csv", channels)
        let job = try f.job(json)
        return (try job.prepare().data, job.pipeline.roi)
    }

    // MARK: the shop

    /// In range = 2025-01-01 … 2025-03-31. Signups in range: facebook u1 (fb), u2 (Facebook Ads),
    /// u3 → 3; google u4, u5 → 2; organic u6 → 1; tiktok u8, u9 → 2; unknown u10 (null channel) → 1.
    /// u7 signed up before `since`: no signup, and its sale is attributed nowhere.
    static let users = """
        user_id,signup_at,channel
        u1,2025-01-10 10:00,fb
        u2,2025-01-11 00:00,Facebook Ads
        u3,2025-01-12,facebook
        u4,2025-01-15,google
        u5,2025-01-16,google
        u6,2025-01-20, Organic
        u7,2024-12-20,facebook
        u8,2025-02-01,tiktok
        u9,2025-02-02,tiktok
        u10,2025-03-01,

        """

    /// Window 10 days = 864 000 s. u1: o1 at the signup instant (in), o2 exactly signup + 10 d
    /// (in, inclusive), o3 one second later (out) → 150.00, paying. u2: o4 one second before its
    /// signup (out), o5 refunded (excluded status, SPEC §3.4 step 5), o6 a refund line −20.00
    /// (in: revenue counts negative lines) → −20.00, not paying (no sale with amount > 0).
    /// u3: 40.00 and its −40.00 refund line → 0.00, but paying. facebook: 130.00, 2 paying.
    /// google: u4 30.00 → 30.00, 1 paying. organic: u6 25.50, 1 paying. tiktok: u8 12.34, 1 paying.
    /// u7's o11 is not attributed (u7 is not a signup in range).
    static let sales = """
        order_id,user_id,ordered_at,amount,status
        o1,u1,2025-01-10 10:00,100.00,paid
        o2,u1,2025-01-20 10:00:00,$50,paid
        o3,u1,2025-01-20 10:00:01,999.00,paid
        o4,u2,2025-01-10 23:59:59,500,paid
        o5,u2,2025-01-12,80.00,refunded
        o6,u2,2025-01-13,-20.00,paid
        o7,u3,2025-01-13,40.00,paid
        o8,u3,2025-01-14,-40.00,paid
        o9,u4,2025-01-16,30.00,paid
        o10,u6,2025-01-21,25.50,paid
        o11,u7,2025-01-01,70,paid
        o12,u8,2025-02-03,12.34,paid

        """

    /// facebook (three spellings merged by the aliases): 200 + 100 + 0 = 300.00 in range (the
    /// 2024-12-31 row is before `since`); impressions 10 000 + 5 000 (one null) = 15 000; clicks 300
    /// (two null). google 150.00, impressions and clicks all null. tiktok a spend row of 0.00.
    /// bing a spend row of 0 and no signups: still listed (SPEC §9). twitter only before `since`:
    /// not listed.
    static let channels = """
        date,channel,campaign,spend,impressions,clicks
        2025-01-10,facebook,a,200.00,10000,300
        2025-01-11,fb,b,100.00,,
        2025-01-12,Facebook Ads,c,0,5000,
        2024-12-31,facebook,a,1000,1,1
        2025-01-15,google,x,150.00,,
        2025-02-01,tiktok,,0.00,2000,20
        2024-12-15,twitter,,500,,
        2025-01-05,bing,,0,,

        """

    static func shop() throws -> (IntegratedData, ROI) {
        try data(users: users, sales: sales, channels: channels)
    }

    static func d(_ text: String) -> Decimal { Decimal(string: text)! }

    /// Rows: spend descending (facebook 300, google 150), then the zero-spend channels by
    /// name (bing, organic, tiktok, unknown), then total and total_paid.
    ///
    /// facebook: gp = 130 × 0.6 = 78; roi = (78 − 300) / 300 = −0.74; roas = 130/300 = 0.4333…;
    /// cpa = 300/3 = 100; cac = 300/2 = 150; arpu = 130/3 = 43.333…; ctr = 300/15 000 = 0.02;
    /// signup_rate = 3/300 = 0.01; pay_rate = 2/3.
    /// google: gp 18; roi = (18 − 150)/150 = −0.88; roas 0.2; cpa 75; cac 150; arpu 15;
    /// ctr and signup_rate null (no impressions, no clicks); pay_rate 0.5.
    /// bing: nothing but zeros; every ratio null (every denominator is 0).
    /// organic (no spend rows): spend 0, roi/roas null, cpa = 0/1 = 0.00, cac = 0/1 = 0.00, arpu 25.50.
    /// tiktok (spend 0.00): roi/roas null; cpa 0/2 = 0; cac 0/1 = 0; arpu 6.17; gp 7.404;
    /// ctr 20/2 000 = 0.01; signup_rate 2/20 = 0.1; pay_rate 0.5.
    /// unknown: cpa 0/1 = 0.00; cac null (0 paying users); arpu 0; pay_rate 0.
    /// total: spend 450; impressions 15 000 + 2 000 = 17 000 (google's null is left out); clicks 320;
    /// signups 9; paying 5; revenue 197.84; gp 118.704; roi = −331.296/450 = −0.7362133…;
    /// roas = 0.4396444…; cpa 50; cac 90; arpu 21.98222…; ctr = 320/17 000 = 0.0188235…;
    /// signup_rate = 9/320 = 0.028125; pay_rate 5/9.
    /// total_paid (facebook, google): spend 450; impressions 15 000; clicks 300; signups 5;
    /// paying 3; revenue 160; gp 96; roi = −354/450 = −0.78666…; roas 0.35555…; cpa 90; cac 150;
    /// arpu 32; ctr 0.02; signup_rate 5/300 = 0.01666…; pay_rate 0.6.
    @Test func channelRowsTotalsAndOrder() throws {
        let (data, roi) = try Self.shop()
        let result = ChannelROI.compute(data, settings: roi)
        #expect(result.rows.map(\.channel) == ["facebook", "google", "bing", "organic", "tiktok", "unknown", "total", "total_paid"])

        let fb = try #require(result.row("facebook"))
        #expect(fb.spend == 3_000_000)
        #expect(fb.impressions == 15_000)
        #expect(fb.clicks == 300)
        #expect((fb.signups, fb.payingUsers, fb.revenue) == (3, 2, 1_300_000))
        #expect(fb.grossProfit == 78)
        #expect(fb.roi == Self.d("-0.74"))
        #expect(fb.cpa == 100)
        #expect(fb.cac == 150)
        #expect(fb.ctr == Self.d("0.02"))
        #expect(fb.signupRate == Self.d("0.01"))

        let google = try #require(result.row("google"))
        #expect(google.impressions == nil && google.clicks == nil)
        #expect(google.ctr == nil && google.signupRate == nil)
        #expect(google.roi == Self.d("-0.88"))
        #expect(google.roas == Self.d("0.2"))
        #expect(google.payRate == Self.d("0.5"))

        let bing = try #require(result.row("bing"))
        #expect((bing.spend, bing.signups, bing.payingUsers, bing.revenue) == (0, 0, 0, 0))
        #expect([bing.roi, bing.roas, bing.cpa, bing.cac, bing.arpu, bing.ctr, bing.signupRate, bing.payRate]
            .allSatisfy { $0 == nil })

        let organic = try #require(result.row("organic"))
        #expect(organic.spend == 0 && organic.impressions == nil)
        #expect(organic.roi == nil && organic.roas == nil)
        #expect(organic.cpa == 0 && organic.cac == 0)
        #expect(organic.arpu == Self.d("25.5"))

        let tiktok = try #require(result.row("tiktok"))
        #expect(tiktok.roi == nil && tiktok.roas == nil)
        #expect(tiktok.cpa == 0 && tiktok.cac == 0)
        #expect(tiktok.grossProfit == Self.d("7.404"))
        #expect(tiktok.signupRate == Self.d("0.1"))

        let unknown = try #require(result.row("unknown"))
        #expect(unknown.cpa == 0 && unknown.cac == nil && unknown.arpu == 0 && unknown.payRate == 0)

        let total = try #require(result.row("total"))
        #expect((total.spend, total.impressions, total.clicks) == (4_500_000, 17_000, 320))
        #expect((total.signups, total.payingUsers, total.revenue) == (9, 5, 1_978_400))
        #expect(total.grossProfit == Self.d("118.704"))
        #expect(total.cpa == 50 && total.cac == 90)
        #expect(total.signupRate == Self.d("0.028125"))

        let paid = try #require(result.row("total_paid"))
        #expect((paid.spend, paid.impressions, paid.clicks) == (4_500_000, 15_000, 300))
        #expect((paid.signups, paid.payingUsers, paid.revenue) == (5, 3, 1_600_000))
        #expect(paid.grossProfit == 96 && paid.cpa == 90 && paid.cac == 150 && paid.arpu == 32)
        #expect(paid.payRate == Self.d("0.6"))

        #expect(result.row("twitter") == nil)
    }

    /// The same shop as written: money 2 decimals, rates 6, half away from zero, null empty.
    @Test func csvText() throws {
        let (data, roi) = try Self.shop()
        #expect(ChannelROITable.csv(ChannelROI.compute(data, settings: roi)).text == """
            channel,spend,impressions,clicks,signups,paying_users,revenue,gross_profit,roi,roas,cpa,cac,arpu,ctr,signup_rate,pay_rate
            facebook,300.00,15000,300,3,2,130.00,78.00,-0.740000,0.433333,100.00,150.00,43.33,0.020000,0.010000,0.666667
            google,150.00,,,2,1,30.00,18.00,-0.880000,0.200000,75.00,150.00,15.00,,,0.500000
            bing,0.00,,,0,0,0.00,0.00,,,,,,,,
            organic,0.00,,,1,1,25.50,15.30,,,0.00,0.00,25.50,,,1.000000
            tiktok,0.00,2000,20,2,1,12.34,7.40,,,0.00,0.00,6.17,0.010000,0.100000,0.500000
            unknown,0.00,,,1,0,0.00,0.00,,,0.00,,0.00,,,0.000000
            total,450.00,17000,320,9,5,197.84,118.70,-0.736213,0.439644,50.00,90.00,21.98,0.018824,0.028125,0.555556
            total_paid,450.00,15000,300,5,3,160.00,96.00,-0.786667,0.355556,90.00,150.00,32.00,0.020000,0.016667,0.600000

            """)
    }

    /// Headlines: the totals first, then roi/roas/cac per channel row in table order.
    @Test func headlineMetrics() throws {
        let (data, roi) = try Self.shop()
        let metrics = ChannelROI.compute(data, settings: roi).headlineMetrics()
        let byName = Dictionary(uniqueKeysWithValues: metrics.map { ($0.name, $0.value) })
        #expect(metrics.prefix(8).map(\.name) == [
            "roi.total", "roas.total", "cac.total", "revenue.total", "signups.total",
            "roi.total_paid", "roas.total_paid", "cac.total_paid",
        ])
        #expect(metrics.dropFirst(8).map(\.name) == ["facebook", "google", "bing", "organic", "tiktok", "unknown"]
            .flatMap { ["roi.\($0)", "roas.\($0)", "cac.\($0)"] })
        #expect(byName["revenue.total"] == .money(Self.d("197.84")))
        #expect(byName["signups.total"] == .count(9))
        #expect(byName["cac.total"] == .money(90))
        #expect(byName["roi.total_paid"]?.formatted == "-0.786667")
        #expect(byName["roi.facebook"] == .rate(Self.d("-0.74")))
        #expect(byName["cac.google"] == .money(150))
        #expect(byName["roi.tiktok"] == .rate(nil))
        #expect(byName["cac.unknown"] == .money(nil))
        #expect(byName["cac.organic"] == .money(0))
    }

    /// Splitting the users into any number of ranges merges to the same table.
    @Test(arguments: [1, 2, 3, 7, 10])
    func resultDoesNotDependOnPartitions(_ parts: Int) throws {
        let (data, roi) = try Self.shop()
        #expect(ChannelROI.compute(data, settings: roi, partitions: parts).rows
            == ChannelROI.compute(data, settings: roi, partitions: 1).rows)
    }

    // MARK: edge cases

    /// SPEC §9: the window may be fractional. 1.00001 days = 86 400.864 s: a sale at signup +
    /// 86 400.864 s is in (1.00), one a nanosecond later is out (2.00), one before signup is out (4.00).
    @Test func fractionalWindowIsExactToTheNanosecond() throws {
        let (data, roi) = try Self.data(
            users: "user_id,signup_at,channel\nu1,2025-01-10 00:00,x\n",
            sales: """
                order_id,user_id,ordered_at,amount
                o1,u1,2025-01-11 00:00:00.864,1
                o2,u1,2025-01-11 00:00:00.864000001,2
                o3,u1,2025-01-09 23:59:59.999999999,4

                """,
            channels: "date,channel,spend\n",
            json: Self.json(windowDays: "1.00001", grossMargin: "1"))
        let x = try #require(ChannelROI.compute(data, settings: roi).row("x"))
        #expect(x.revenue == 10_000)
        #expect(x.payingUsers == 1)
        #expect(x.grossProfit == 1)
    }

    /// A window of 0 attributes only sales at the signup instant itself.
    @Test func zeroWindowKeepsTheSignupInstant() throws {
        let (data, roi) = try Self.data(
            users: "user_id,signup_at,channel\nu1,2025-01-10 08:00,x\n",
            sales: "order_id,user_id,ordered_at,amount\no1,u1,2025-01-10T00:00:00Z,3\no2,u1,2025-01-10 08:00:00.000000001,5\n",
            channels: "date,channel,spend\n",
            json: Self.json(windowDays: "0"))
        #expect(ChannelROI.compute(data, settings: roi).row("x")?.revenue == 30_000)
    }

    /// SPEC §9: `total_paid` is written even when no channel has spend — zeros and nulls.
    /// Impressions and clicks are null on both total rows when every channel's is null.
    @Test func totalPaidWithoutSpend() throws {
        let (data, roi) = try Self.data(
            users: "user_id,signup_at,channel\nu1,2025-01-10,organic\n",
            sales: "order_id,user_id,ordered_at,amount\no1,u1,2025-01-11,9.99\n",
            channels: "date,channel,spend\n")
        #expect(ChannelROITable.csv(ChannelROI.compute(data, settings: roi)).text == """
            channel,spend,impressions,clicks,signups,paying_users,revenue,gross_profit,roi,roas,cpa,cac,arpu,ctr,signup_rate,pay_rate
            organic,0.00,,,1,1,9.99,5.99,,,0.00,0.00,9.99,,,1.000000
            total,0.00,,,1,1,9.99,5.99,,,0.00,0.00,9.99,,,1.000000
            total_paid,0.00,,,0,0,0.00,0.00,,,,,,,,

            """)
    }

    /// With no data at all the table is just the two total rows.
    @Test func emptyShop() throws {
        let (data, roi) = try Self.data(users: "user_id,signup_at\n", sales: "order_id,user_id,ordered_at,amount\n",
                                        channels: "date,channel,spend\n")
        let result = ChannelROI.compute(data, settings: roi)
        #expect(result.rows.map(\.channel) == ["total", "total_paid"])
        #expect(result.headlineMetrics().count == 8)
        #expect(result.row("total")?.roi == nil)
    }

    /// Counts absent from the input (no impressions/clicks columns) stay null on every row;
    /// a value of 0 is a value (ctr 0/0 is null, but impressions 0 is written as 0).
    @Test func countColumnsAbsentOrZero() throws {
        let (absentData, roi) = try Self.data(
            users: "user_id,signup_at,channel\n", sales: "order_id,user_id,ordered_at,amount\n",
            channels: "date,channel,spend\n2025-01-10,google,10\n")
        let absent = ChannelROI.compute(absentData, settings: roi)
        #expect(absent.rows.allSatisfy { $0.impressions == nil && $0.clicks == nil })
        #expect(absent.row("google")?.roi == -1)   // (0 − 10) / 10

        let (zeroData, _) = try Self.data(
            users: "user_id,signup_at,channel\n", sales: "order_id,user_id,ordered_at,amount\n",
            channels: "date,channel,spend,impressions,clicks\n2025-01-10,google,10,0,0\n2025-01-11,google,5,,\n")
        let zero = try #require(ChannelROI.compute(zeroData, settings: roi).row("total"))
        #expect(zero.impressions == 0 && zero.clicks == 0 && zero.ctr == nil && zero.signupRate == nil)
    }

    /// Ties are rounded half away from zero once, from the exact value: a refund line of −0.01 over
    /// two signups gives arpu −0.005 → −0.01, cpa 0.01/2 = 0.005 → 0.01, gross profit
    /// −0.01 × 0.5 = −0.005 → −0.01, roi = (−0.005 − 0.01)/0.01 = −1.5, roas −1.
    @Test func roundingHalfAwayFromZero() throws {
        let (data, roi) = try Self.data(
            users: "user_id,signup_at,channel\na,2025-01-10,x\nb,2025-01-10,x\n",
            sales: "order_id,user_id,ordered_at,amount\no1,a,2025-01-11,-0.01\n",
            channels: "date,channel,spend\n2025-01-10,x,0.01\n",
            json: Self.json(grossMargin: "0.5"))
        let text = ChannelROITable.csv(ChannelROI.compute(data, settings: roi)).text
        let x = text.split(separator: "\n")[1]
        #expect(x == "x,0.01,,,2,0,-0.01,-0.01,-1.500000,-1.000000,0.01,,-0.01,,,0.000000")
    }

    /// Channels sort by spend descending (sums over several rows), then by name in UTF-8 byte
    /// order: `b2` < `ba` (0x32 < 0x61) < `é` (0xC3).
    @Test func sortBySpendThenByteOrder() throws {
        let (data, roi) = try Self.data(
            users: "user_id,signup_at,channel\n", sales: "order_id,user_id,ordered_at,amount\n",
            channels: """
                date,channel,spend
                2025-01-10,é,5
                2025-01-10,ba,5
                2025-01-10,b2,5
                2025-01-10,small,1
                2025-01-10,big,1000
                2025-01-11,small,0.5

                """)
        #expect(ChannelROI.compute(data, settings: roi).rows.map(\.channel)
            == ["big", "b2", "ba", "é", "small", "total", "total_paid"])
    }

    /// A channel that is literally named `total` keeps its row, but `row("total")` and the
    /// headline `roi.total` mean the summary row; metric names stay unique.
    @Test func channelNamedTotal() throws {
        let (data, roi) = try Self.data(
            users: "user_id,signup_at,channel\n", sales: "order_id,user_id,ordered_at,amount\n",
            channels: "date,channel,spend\n2025-01-10,total,10\n2025-01-10,other,30\n")
        let result = ChannelROI.compute(data, settings: roi)
        #expect(result.rows.map(\.channel) == ["other", "total", "total", "total_paid"])
        #expect(result.row("total")?.spend == 400_000)
        let names = result.headlineMetrics().map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.contains("roi.other"))
    }
}
