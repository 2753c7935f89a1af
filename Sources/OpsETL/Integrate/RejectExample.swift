/// Integrate: one reject reason of one input with an example of it — the first row (in input
/// order: file, then line) rejected for that reason and the value at fault (SPEC §5: the gate's
/// message names an input's most frequent reason "with an example value and its line").
///
/// The value is the field of the column the reason names (`bad_timestamp:signup_at` → the
/// `signup_at` field; `negative_spend` → `spend`; `unknown_user` → `user_id`), as it was read.
/// `malformed_row` and `missing:` rows have no value to show; their line is the example.
/// A value comes with its `RejectDiagnosis` where one can be given (issue 11 §7): what is wrong
/// with it and the setting that would read it.
public struct RejectExample: Sendable, Equatable {
    public let reason: String
    /// Rows rejected for this reason.
    public let rows: Int
    /// The example row's file, relative to the pipeline folder.
    public let file: String
    public let line: Int
    /// The field at fault as read (untrimmed); nil when the reason names no value.
    public let value: String?
    /// For `malformed_row`: the example row's field count (the header's is `headerFieldCount`).
    public let rowFieldCount: Int?
    public let headerFieldCount: Int
    /// True when the input has more than one file (the line alone would not say where).
    public let manyFiles: Bool
    /// What is wrong with `value` and what would read it; nil when nothing plainer can be said.
    public let diagnosis: RejectDiagnosis?

    /// The input's most frequent reason (ties in name order, like `InputQuality.reasonsByFrequency`);
    /// nil when nothing was rejected.
    public static func mostFrequent(_ quality: QualityReport, kind: InputKind, pipeline: Pipeline) -> RejectExample? {
        guard let q = quality.inputs.first(where: { $0.kind == kind }), let top = q.reasonsByFrequency.first else { return nil }
        return RejectExample(quality, kind: kind, reason: top.reason, rows: top.rows, pipeline: pipeline)
    }

    /// The example of one reason (the first row rejected for it); nil when no row was.
    public init?(_ quality: QualityReport, kind: InputKind, reason: String, rows: Int, pipeline: Pipeline) {
        let spec = pipeline.inputs.spec(kind)
        guard let reject = quality.rejects[kind]?.first(where: { $0.reason == reason }) else { return nil }
        let files = quality.files[kind] ?? []
        let header = quality.headers[kind] ?? []
        self.reason = reason
        self.rows = rows
        file = reject.file < files.count ? files[reject.file].displayPath : ""
        line = reject.line
        manyFiles = files.count > 1
        headerFieldCount = header.count
        if reason == "malformed_row" {
            value = nil
            rowFieldCount = reject.fields.count
            diagnosis = nil
            return
        }
        rowFieldCount = nil
        let column: String? = switch reason {
        case "negative_spend": "spend"
        case "unknown_user": "user_id"
        case _ where reason.hasPrefix("missing:"): nil
        default: reason.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init)
        }
        // The header every file of the input shares (SharedHeader), mapped as the cleaner mapped it.
        if let column, let map = try? ColumnMap(kind: kind, columns: spec?.columns ?? [:], header: header, file: ""),
           let position = map.position(of: column), position < reject.fields.count {
            value = reject.fields[position]
        } else {
            value = nil
        }
        diagnosis = value.flatMap { RejectDiagnosis.diagnose(reason: reason, value: $0, kind: kind, pipeline: pipeline) }
    }

    /// `bad_timestamp:signup_at (1000), e.g. "19970101" at line 2` — the words of the gate's lines.
    public var described: String {
        var text = "\(reason) (\(rows)), e.g. "
        if let value {
            text += "\(RejectExample.quote(value)) at "
        } else if let n = rowFieldCount {
            text += "\(n) field\(n == 1 ? "" : "s") where the header has \(headerFieldCount), at "
        }
        text += location
        if let diagnosis { text += ": " + diagnosis.englishText }
        return text
    }

    /// `line 17`, or `line 17 of data/sales_2.csv` when the input has several files.
    public var location: String {
        manyFiles ? "line \(line) of \(file)" : "line \(line)"
    }

    /// A value for a one-line message: JSON-style quoting (control characters visible), at most
    /// 200 characters (SPEC §9 "Error lines quote at most 200 characters of a value").
    static func quote(_ value: String) -> String {
        let cut = value.count > 200 ? String(value.prefix(200)) + "…" : value
        return PipelineJSON.Path.quoted(cut)
    }
}
