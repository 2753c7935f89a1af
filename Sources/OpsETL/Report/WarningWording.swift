/// Report: a warning of SPEC §9 in words — the setting at fault, what it failed to match, and the
/// nearest names that exist (did you mean …?) or, when none is close, the names there are.
///
/// The same words go to stderr (in English), `summary.json` and the report's data-quality section
/// (in the pipeline's language).
public enum WarningWording {
    /// Names listed when none is close enough to suggest.
    static let listed = 12

    public static func message(_ w: DataWarning, strings s: ReportStrings) -> String {
        switch w.subject {
        case .unknownEvent(let setting, let name):
            return s.format("warning_unknown_event", ["setting": setting, "name": quoted(name), "hint": hint(w, s)])
        case .unknownChannel(let setting, let metric, let channel):
            return s.format("warning_unknown_channel", ["setting": setting, "metric": quoted(metric),
                                                        "name": quoted(channel), "hint": hint(w, s)])
        case .unusedAlias(let setting, let key):
            return s.format("warning_unused_alias", ["setting": setting, "name": quoted(key), "hint": hint(w, s)])
        case .noPurchases(let kept):
            return kept == 0 ? s["warning_no_sales_kept"]
                : s.format("warning_no_purchases", ["kept": NumberStyle(strings: s, currency: "USD").count(kept)])
        }
    }

    private static func hint(_ w: DataWarning, _ s: ReportStrings) -> String {
        if !w.nearest.isEmpty {
            return s.format("warning_did_you_mean", ["names": w.nearest.map(quoted).joined(separator: s["warning_or"])])
        }
        if w.known.isEmpty { return s["warning_no_names"] }
        var names = w.known.prefix(listed).map(quoted).joined(separator: ", ")
        if w.known.count > listed { names += ", …" }
        return s.format("warning_names", ["names": names])
    }

    private static func quoted(_ text: String) -> String { PipelineJSON.Path.quoted(text) }
}
