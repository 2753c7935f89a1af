import Testing
@testable import OpsETL

/// The report's reject table (SPEC §5, §7; issue 11 §7): a reason code in words in both languages
/// (the table shows the code itself beside them, as `rejects/` writes it).
@Suite struct RejectWordingTests {
    @Test(arguments: [
        ("bad_number:amount", "unreadable number in amount", "amount 的数字无法识别"),
        ("bad_timestamp:signup_at", "unreadable date or time in signup_at", "signup_at 的日期时间无法识别"),
        ("missing:user_id", "user_id is missing", "缺少 user_id"),
        ("malformed_row", "malformed row (wrong number of fields)", "行格式错误（字段数不符）"),
        ("negative_spend", "negative spend", "支出为负"),
        ("unknown_user", "user not in the users export", "用户不在用户导出中"),
        ("some_future_code:x", "some_future_code:x", "some_future_code:x"),   // a code the tables do not know: as it is
    ])
    func reasonCodes(_ code: String, _ en: String, _ zh: String) {
        #expect(RejectWording.reason(code, strings: ReportStrings(.en)) == en)
        #expect(RejectWording.reason(code, strings: ReportStrings(.zh)) == zh)
    }

    /// Every diagnosis wording of zh has the placeholders of its English twin, so no `{setting}` is left unfilled.
    @Test(arguments: RejectDiagnosis.Kind.allCases)
    func chineseDiagnosesFillTheSamePlaceholders(_ kind: RejectDiagnosis.Kind) {
        let values = ["setting": "inputs.sales.timestamp_formats", "pattern": "\"MM/DD/YYYY\"", "other": "\"DD/MM/YYYY\"",
                      "date": "0001-01-01"]
        for language in ReportLanguage.allCases {
            let text = ReportStrings(language).format(kind.rawValue, values)
            #expect(!text.contains("{"), "\(language) \(kind): \(text)")
        }
    }
}
