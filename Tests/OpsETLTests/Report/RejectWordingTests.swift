import Testing
@testable import OpsETL

/// The report's reject table (SPEC §5, §7; issue 11 §7): English keeps the SPEC's reason codes as
/// `rejects/` writes them; Chinese says them in words and keeps the code beside them.
@Suite struct RejectWordingTests {
    @Test(arguments: [
        ("bad_number:amount", "bad_number:amount", "数值无法读取：amount（bad_number:amount）"),
        ("bad_timestamp:signup_at", "bad_timestamp:signup_at", "时间无法读取：signup_at（bad_timestamp:signup_at）"),
        ("missing:user_id", "missing:user_id", "缺少必填值：user_id（missing:user_id）"),
        ("malformed_row", "malformed_row", "字段数与表头不符（malformed_row）"),
        ("negative_spend", "negative_spend", "花费为负（negative_spend）"),
        ("unknown_user", "unknown_user", "未知用户（unknown_user）"),
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
