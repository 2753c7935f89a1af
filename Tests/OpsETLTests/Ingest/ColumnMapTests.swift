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

    /// SPEC §3.1: a header that splits on another common delimiter into the expected columns gets
    /// "set inputs.X.delimiter", not a mapping. The header below is what a `;` file reads as with `,`.
    @Test("delimiter hint", arguments: [
        (["order_id;user_id;ordered_at;amount"], ";"), (["order_id\tuser_id\tordered_at\tamount\tstatus"], "\"\\t\""),
        (["order_id|user_id|ordered_at|amount"], "|"),
        // A `;` header with a comma inside a name, split on `,` into two fields: rebuilt, it still splits on `;`.
        (["order_id;user_id;ordered_at;amount;note a", "b"], ";"),
    ] as [([String], String)])
    func delimiterHint(_ header: [String], _ delimiter: String) {
        let quoted = delimiter.count == 1 ? "\"\(delimiter)\"" : delimiter
        #expect(throws: OpsError.configuration(
            "s.csv: required column \"order_id\" not found; headers found: \(ColumnMap.describe(header)) (the header splits on "
            + "\(quoted) into the expected columns: set inputs.sales.delimiter to \(quoted))")) {
            try ColumnMap(kind: .sales, columns: [:], header: header, file: "s.csv")
        }
    }

    @Test func delimiterHintFollowsTheColumnMapping() {
        // `uid;created` splits into the mapped names; `uid;when` does not (no signup column), so a mapping is suggested.
        #expect(throws: OpsError.configuration(#"u.csv: column "UID" (inputs.users.columns.user_id) not found; headers found: "uid;created" (the header splits on ";" into the expected columns: set inputs.users.delimiter to ";")"#)) {
            try ColumnMap(kind: .users, columns: ["user_id": "UID", "signup_at": "Created"], header: ["uid;created"], file: "u.csv")
        }
        #expect(throws: OpsError.configuration(#"u.csv: required column "user_id" not found; headers found: "uid;when" (map it with inputs.users.columns.user_id)"#)) {
            try ColumnMap(kind: .users, columns: [:], header: ["uid;when"], file: "u.csv")
        }
    }
}
