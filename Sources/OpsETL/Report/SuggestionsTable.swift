/// Report: `suggestions.csv` (SPEC §7) — one row per suggestion, by rank.
///
/// `step` is the funnel step number (as in `funnel.csv`); `cohort` the cohort's label date;
/// `estimated_impact` is written like its unit (money 2 decimals, rates 6, users and rows whole)
/// and `impact_unit` is the pipeline's currency code, `users`, `orders`, `rate` or `rows`;
/// `impact_value` is the same impact in money with 2 decimals, empty when no money stands for it (SPEC §6).
public enum SuggestionsTable {
    public static let header = [
        "rank", "priority", "rule", "channel", "step", "cohort", "finding", "recommendation",
        "estimated_impact", "impact_unit", "impact_value",
    ]

    /// The `recommendation` cell also states the assumption behind the estimate, so a reader of
    /// the CSV alone sees what the number rests on.
    public static func csv(_ suggestions: [Suggestion], wordings: [SuggestionWording], strings: ReportStrings,
                           currency: String) -> CSVTable {
        var table = CSVTable(header: header)
        for (s, w) in zip(suggestions, wordings) {
            table.append([
                String(s.rank), s.priority.name, s.rule.rawValue, s.channel, s.step.map(String.init),
                s.cohort?.description, w.finding,
                strings.format("recommendation_with_assumption", ["recommendation": w.recommendation, "assumption": w.assumption]),
                s.impact.formatted,
                unit(s.impact.unit, currency: currency),
                s.impact.formattedMoney,
            ])
        }
        return table
    }

    /// The machine-readable unit: the currency code for money.
    public static func unit(_ unit: Suggestion.Impact.Unit, currency: String) -> String {
        unit == .money ? currency : unit.rawValue
    }
}
