/// Report: the reject table's words (SPEC §5, §7; issue 11 §7) — a reason code in the report's
/// language, and its example with what is wrong and the setting that would read it.
///
/// Both languages say a code in words; the report shows the code itself beside them, as
/// `rejects/` writes it, so the reader can find the rows.
enum RejectWording {
    /// `bad_number:amount` → "unreadable number in amount" (zh "amount 的数字无法识别"); a code this
    /// table does not know is shown as it is.
    static func reason(_ code: String, strings: ReportStrings) -> String {
        let parts = code.split(separator: ":", maxSplits: 1).map(String.init)
        let key = "reason_" + parts[0]
        guard strings.keys.contains(key) else { return code }
        return strings.format(key, ["column": parts.count > 1 ? parts[1] : ""])
    }

    /// `"1.429999948" at line 17: more than 4 decimals; cleaning.round_money rounds it`.
    static func example(_ example: RejectExample, strings: ReportStrings) -> String {
        let location = example.manyFiles
            ? strings.format("reject_example_location_file", ["line": String(example.line), "file": example.file])
            : strings.format("reject_example_location", ["line": String(example.line)])
        var text: String
        if let value = example.value {
            text = strings.format("reject_example_value", ["value": RejectExample.quote(value), "location": location])
        } else if let count = example.rowFieldCount {
            text = strings.format("reject_example_fields", ["count": String(count), "header": String(example.headerFieldCount),
                                                            "location": location])
        } else {
            text = strings.format("reject_example_line", ["location": location])
        }
        if let diagnosis = example.diagnosis {
            text = strings.format("reject_example_diagnosis",
                                  ["example": text, "diagnosis": strings.format(diagnosis.kind.rawValue, diagnosis.values)])
        }
        return text
    }
}
