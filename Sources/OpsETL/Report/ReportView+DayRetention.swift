import Foundation

/// Report: the day-N retention part of the report (SPEC §4.1.1, §7) — the curve beside the heatmap
/// and the table behind it, worded for the report's language, from `RetentionResult.dayCells`.
extension ReportView {
    /// Nil when `retention.days` is empty or no cohort has users: the report then shows no day-N part.
    static func dayRetention(_ review: Review) -> DayRetention? {
        let r = review.analyses.retention
        guard !r.days.isEmpty, !r.dayCells.isEmpty else { return nil }
        let s = review.strings
        let f = review.style
        let p = review.pipeline
        let header = r.days.flatMap { n in [s.format("day_n", ["n": String(n)]), s.format("day_n_or_after", ["n": String(n)])] }
        // A rate per day and kind; "–" where nobody is eligible yet (day N after as_of).
        func cells(_ eligible: [Int], _ onDay: [Int], _ orAfter: [Int]) -> [String] {
            r.days.indices.flatMap { i -> [String] in
                guard eligible[i] > 0 else { return ["–", "–"] }
                return [f.percent(Decimal(onDay[i]) / Decimal(eligible[i])), f.percent(Decimal(orAfter[i]) / Decimal(eligible[i]))]
            }
        }
        var rows: [RetentionRow] = []
        var total = (eligible: [Int](repeating: 0, count: r.days.count), onDay: [Int](repeating: 0, count: r.days.count),
                     orAfter: [Int](repeating: 0, count: r.days.count))
        var users = 0
        var i = r.dayCells.startIndex
        while i < r.dayCells.endIndex {
            let cohort = r.dayCells[i].cohort
            let size = r.dayCells[i].cohortSize
            var row = (eligible: [Int](repeating: 0, count: r.days.count), onDay: [Int](repeating: 0, count: r.days.count),
                       orAfter: [Int](repeating: 0, count: r.days.count))
            while i < r.dayCells.endIndex, r.dayCells[i].cohort == cohort {
                let c = r.dayCells[i]
                if let d = r.days.firstIndex(of: c.day) {
                    row.eligible[d] += c.eligibleUsers
                    row.onDay[d] += c.activeOnDay
                    row.orAfter[d] += c.activeOnOrAfter
                }
                i += 1
            }
            for d in r.days.indices {
                total.eligible[d] += row.eligible[d]
                total.onDay[d] += row.onDay[d]
                total.orAfter[d] += row.orAfter[d]
            }
            users += size
            rows.append(RetentionRow(cohort: cohort.description, size: f.count(size), cells: cells(row.eligible, row.onDay, row.orAfter)))
        }
        rows.insert(RetentionRow(cohort: s["cohorts_pooled"], size: f.count(users),
                                 cells: cells(total.eligible, total.onDay, total.orAfter)), at: 0)
        let intro = s.format("day_retention_intro", [
            "cohort_by": s["cohort_by_\(p.retention.cohortBy.rawValue)"], "activity": p.retention.activity.joined(separator: ", "),
            "as_of": f.date(review.asOf),
        ])
        return DayRetention(intro: intro, chart: DayRetentionChart.svg(r, style: f, strings: s, title: s["day_retention_chart"]),
                            header: header, rows: rows)
    }
}
