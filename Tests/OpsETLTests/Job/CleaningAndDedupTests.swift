import Foundation
import Testing
@testable import OpsETL

/// SPEC §3.4 end to end through the library: every reject reason, every keep rule, the order
/// of the steps, and the ledger of §5. Expected counts are worked out by hand in the comments.
@Suite struct CleaningAndDedupTests {
    /// users: 10 rows read — 3 rejects (lines 5, 6, 7), 2 after as_of (8, 9; 9 is also a duplicate
    /// of 8 but counts as after_as_of), 2 duplicates (line 2 loses to the earlier line 4; line 11
    /// ties line 3 and the first wins), 3 kept (u1, u2, u6).
    static let users = """
        user_id,signup_at,channel
        u1,2025-01-05 10:00,Facebook
        u2,2025-01-06,fb
        u1,2025-01-04 09:00,google
        ,2025-01-07,x
        u3,2025-02-30,x
        u4,2025-01-08
        u5,2025-07-01,x
        u5,2025-07-01,x
        u6,2025-01-09,
        u2,2025-01-06,tiktok

        """

    /// sales: 13 rows read — rejects: 6 (unknown_user at 6 and 12, bad_number:amount 7,
    /// bad_timestamp:ordered_at 8 (a bad timestamp is reported before a bad amount), missing:user_id 9
    /// (before missing:amount), bad_timestamp:updated_at 14); after_as_of 1 (10); duplicates 3
    /// (o2 line 3 loses to the later updated_at of line 4; o3 line 5 loses to line 6 — no updated_at on
    /// either, the last wins — which is then an unknown_user reject; o1 line 13 has no updated_at and
    /// ranks below line 2); excluded_status 1 (o2, refunded after dedup); kept 2 (o1, o8).
    static let sales = """
        order_id,user_id,ordered_at,amount,status,updated_at
        o1,u1,2025-02-01,"¥1,234.50",paid,2025-02-01
        o2,u2,2025-02-02,10,paid,2025-02-02 08:00
        o2,u2,2025-02-02,10, REFUNDED ,2025-02-03 08:00
        o3,u9,2025-02-03,5,paid,
        o3,u9,2025-02-03,5,paid,
        o4,u1,2025-02-04,abc,paid,
        o5,u1,bad,abc,paid,
        o6,,2025-02-04,,paid,
        o7,u1,2025-07-02,5,paid,
        o8,u1,2025-02-05,-3.5,paid,
        o9,u5,2025-02-05,5,paid,
        o1,u1,2025-02-01,1234.5,paid,
        o10,u1,2025-02-06,5,paid,2025-02-0x

        """

    /// channels: 8 read — rejects 3 (negative_spend 6, bad_number:spend 7, bad_number:impressions 8),
    /// after_as_of 1 (9), duplicates 2 (line 2 "Facebook Ads" aliases to facebook and loses to line 3;
    /// line 4's null campaign equals line 5's, whose FB aliases to facebook), kept 2.
    static let channels = """
        date,channel,campaign,spend,impressions,clicks
        2025-01-05,Facebook Ads,spring,100.00,1000,10
        2025-01-05,facebook,spring,120,"1,200",12
        2025-01-05,facebook,,50,,
        2025-01-05,FB,,60,,
        2025-01-06,google,x,-5,,
        2025-01-06,google,x,n/a,,
        2025-01-06,google,x,5,12k,
        2025-07-01,google,x,5,,

        """

    /// events: 10 read — rejects 2 (unknown_user 9, bad_timestamp 11), after_as_of 1 (10),
    /// duplicates 3 (line 3 by event_id; line 5 is the same instant as line 4 (10:05 +08:00 = 02:05Z);
    /// line 6 the same once the name is trimmed), kept 4 (lines 2, 4, 7 — names are case-sensitive —
    /// and 8, keyed by its id, which never matches a tuple).
    static let events = """
        event_id,user_id,event,occurred_at
        e1,u1,view_item,2025-02-01 10:00
        e1,u1,view_item,2025-02-01 11:00
        ,u1,add_to_cart,2025-02-01 10:05
        ,u1,add_to_cart,2025-02-01T02:05:00Z
        ,u1, add_to_cart ,2025-02-01 10:05
        ,u1,Add_To_Cart,2025-02-01 10:05
        e2,u1,add_to_cart,2025-02-01 10:05
        ,u7,view_item,2025-02-01
        e3,u1,view_item,2025-07-01
        e4,u1,view_item,yesterday

        """

    func fixture() -> PipelineFixture {
        let f = PipelineFixture()
        f.dir.write("users.csv", Self.users)
        f.dir.write("sales.csv", Self.sales)
        f.dir.write("channels.csv", Self.channels)
        f.dir.write("events.csv", Self.events)
        return f
    }

    @Test func ledgerCountsEveryRow() throws {
        let f = fixture()
        let outcome = try f.job(PipelineFixture.standardJSON(cleaning: #""channel_aliases": {"Facebook Ads": "facebook", "fb": "Facebook"}, "max_reject_rate": 1"#)).run()
        #expect(outcome.since == LocalDate(iso: "2025-01-04"))
        #expect(f.dir.read("out/2025-06-30/data_quality.csv") == """
            input,rows_read,rows_kept,rejected,duplicates,after_as_of,excluded_status,unknown_user_ignored,reject_rate
            users,10,3,3,2,2,0,0,0.300000
            sales,13,2,6,3,1,1,0,0.461538
            channels,8,2,3,2,1,0,0,0.375000
            events,10,4,2,3,1,0,0,0.200000

            """)
        for q in outcome.quality.inputs {
            #expect(q.rowsRead == q.rowsKept + q.rejected + q.duplicates + q.afterAsOf + q.excludedStatus + q.unknownUserIgnored)
        }
    }

    @Test func rejectFilesHoldReasonLineAndOriginalFields() throws {
        let f = fixture()
        _ = try f.job(PipelineFixture.standardJSON()).run()
        #expect(f.dir.read("out/2025-06-30/rejects/users.csv") == """
            file,line,reason,user_id,signup_at,channel
            users.csv,5,missing:user_id,,2025-01-07,x
            users.csv,6,bad_timestamp:signup_at,u3,2025-02-30,x
            users.csv,7,malformed_row,u4,2025-01-08

            """)
        #expect(f.dir.read("out/2025-06-30/rejects/sales.csv") == """
            file,line,reason,order_id,user_id,ordered_at,amount,status,updated_at
            sales.csv,6,unknown_user,o3,u9,2025-02-03,5,paid,
            sales.csv,7,bad_number:amount,o4,u1,2025-02-04,abc,paid,
            sales.csv,8,bad_timestamp:ordered_at,o5,u1,bad,abc,paid,
            sales.csv,9,missing:user_id,o6,,2025-02-04,,paid,
            sales.csv,12,unknown_user,o9,u5,2025-02-05,5,paid,
            sales.csv,14,bad_timestamp:updated_at,o10,u1,2025-02-06,5,paid,2025-02-0x

            """)
        #expect(f.dir.read("out/2025-06-30/rejects/channels.csv") == """
            file,line,reason,date,channel,campaign,spend,impressions,clicks
            channels.csv,6,negative_spend,2025-01-06,google,x,-5,,
            channels.csv,7,bad_number:spend,2025-01-06,google,x,n/a,,
            channels.csv,8,bad_number:impressions,2025-01-06,google,x,5,12k,

            """)
        #expect(f.dir.read("out/2025-06-30/rejects/events.csv") == """
            file,line,reason,event_id,user_id,event,occurred_at
            events.csv,9,unknown_user,,u7,view_item,2025-02-01
            events.csv,11,bad_timestamp:occurred_at,e4,u1,view_item,yesterday

            """)
    }

    @Test func keptRowsFollowTheKeepRules() throws {
        let f = fixture()
        let prepared = try f.job(PipelineFixture.standardJSON(cleaning: #""channel_aliases": {"Facebook Ads": "facebook", "fb": "Facebook"}, "max_reject_rate": 1"#)).prepare()
        let data = prepared.data
        // Survivors keep their own input position: u2 (line 3), u1 (line 4), u6 (line 10).
        // u1 keeps its earlier signup (line 4, google); u2 its first row (fb → facebook); u6 has no channel.
        #expect(data.users.map(\.id) == ["u2", "u1", "u6"])
        #expect(data.users.map(\.channel) == ["facebook", "google", "unknown"])
        #expect(data.users[1].signupAt == Instant(seconds: 1_735_952_400))   // 2025-01-04 09:00 +08:00
        // o1 (line 2, ¥1,234.50) and the o8 refund line; o2 is excluded as refunded.
        #expect(data.sales.map(\.amount) == [12_345_000, -35_000])
        // Spend: the later facebook/spring row (120) and the later null-campaign row (60).
        #expect(data.spend.map(\.spend) == [1_200_000, 600_000])
        #expect(data.spend.map(\.impressions) == [1200, nil])
        #expect(data.spend.map(\.campaign) == ["spring", nil])
    }

    @Test func eventStreamHoldsSignupsPurchasesAndEvents() throws {
        let f = fixture()
        let data = try f.job(PipelineFixture.standardJSON()).prepare().data
        let stream = data.stream
        func names(_ u: Int) -> [String] { stream.events(of: u).map { stream.names[Int($0.name)] } }
        // u1: signup 01-04 09:00; purchase 02-01 00:00 (o1); view_item 02-01 10:00; at 10:05 add_to_cart (tuple,
        // line 74), Add_To_Cart (line 77) and add_to_cart (by id, line 78) in input order — SPEC §4.2's tie order.
        // o8 is a refund (amount < 0): no purchase.
        #expect(names(1) == ["signup", "purchase", "view_item", "add_to_cart", "Add_To_Cart", "add_to_cart"])
        #expect(names(0) == ["signup"])
        #expect(names(2) == ["signup"])
    }

    @Test func unknownUsersIgnoredAreCountedNotRejected() throws {
        let f = fixture()
        _ = try f.job(PipelineFixture.standardJSON(cleaning: #""channel_aliases": {"Facebook Ads": "facebook", "fb": "Facebook"}, "unknown_users": "ignore", "max_reject_rate": 1"#)).run()
        #expect(f.dir.read("out/2025-06-30/data_quality.csv")?.split(separator: "\n").dropFirst().joined(separator: "\n") == """
            users,10,3,3,2,2,0,0,0.300000
            sales,13,2,4,3,1,1,2,0.307692
            channels,8,2,3,2,1,0,0,0.375000
            events,10,4,1,3,1,0,1,0.100000
            """)
    }

    @Test func resultsDoNotDependOnChunking() throws {
        let f = fixture()
        let json = PipelineFixture.standardJSON()
        let one = try f.job(json, maxChunks: 1).prepare()
        let many = try f.job(json, maxChunks: 8).prepare()
        #expect(one.data.users == many.data.users)
        #expect(one.data.sales == many.data.sales)
        #expect(one.quality.inputs == many.quality.inputs)
    }
}

/// SPEC §3.4 order: rejected rows take no part in deduplication.
@Suite struct DedupOrderTests {
    @Test func aDuplicateOfARejectedRowIsKept() throws {
        let f = PipelineFixture()
        f.dir.write("users.csv", "user_id,signup_at\nu1,2025-02-30\nu1,2025-01-10\n")
        f.dir.write("sales.csv", "order_id,user_id,ordered_at,amount\no1,u1,2025-01-11,abc\no1,u1,2025-01-11,7\n")
        f.dir.write("channels.csv", "date,channel,spend\n2025-01-01,organic,0\n")
        let outcome = try f.job(PipelineFixture.standardJSON(events: false)).run()
        let users = try #require(outcome.quality.inputs.first { $0.kind == .users })
        let sales = try #require(outcome.quality.inputs.first { $0.kind == .sales })
        #expect((users.rejected, users.duplicates, users.rowsKept) == (1, 0, 1))
        #expect((sales.rejected, sales.duplicates, sales.rowsKept) == (1, 0, 1))
    }
}
