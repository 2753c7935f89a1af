import Testing
@testable import OpsETL

/// SPEC §2/§9 header mapping: trimmed, case-insensitive; absent columns are exit-2 errors.
@Suite struct ColumnMapTests {
    @Test func mapsTrimmedCaseInsensitiveHeadersThroughColumns() throws {
        let map = try ColumnMap(kind: .users, columns: ["user_id": "UID", "signup_at": "created_at", "channel": "utm_source"],
                                header: [" uid ", "Created_At", "UTM_Source", "ignored"], file: "u.csv")
        #expect(map.fieldCount == 4)
        #expect(map.position(of: "user_id") == 0)
        #expect(map.position(of: "signup_at") == 1)
        #expect(map.position(of: "channel") == 2)
        #expect(map.position(of: "country") == nil)   // optional and absent: fine
    }

    @Test func missingRequiredColumnNamesFileColumnAndHeaders() {
        #expect(throws: OpsError.configuration(#"s.csv: required column "amount" not found; headers found: "order_id", "user_id", "ordered_at" (map it with inputs.sales.columns.amount)"#)) {
            try ColumnMap(kind: .sales, columns: [:], header: ["order_id", "user_id", "ordered_at"], file: "s.csv")
        }
    }

    @Test func mappedOptionalColumnThatIsAbsentIsAnError() {
        #expect(throws: OpsError.configuration(#"c.csv: column "cmp" (inputs.channels.columns.campaign) not found; headers found: "date", "channel", "spend""#)) {
            try ColumnMap(kind: .channels, columns: ["campaign": "cmp"], header: ["date", "channel", "spend"], file: "c.csv")
        }
    }
}
