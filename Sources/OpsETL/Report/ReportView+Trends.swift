import Foundation

/// Report: the review over time (SPEC §4.4, §4.5, §6, §7) worded for the templates — the
/// scorecard of the latest complete period against the one before (环比) and a year earlier (同比),
/// a time-bound goal's progress from its baseline to its target, one line chart per KPI, the user
/// growth rate and the lifecycle bars.
extension ReportView {
    struct Scorecard {
        /// Which periods are compared, in words.
        let intro: String
        let cards: [Card]
        /// Shown when some card has no year-ago value.
        let noYearAgo: String
        let hasNoYearAgo: Bool
    }

    struct Card {
        let label: String
        let value: String
        let previous: Delta
        let yearAgo: Delta
    }

    /// A change as the scorecard shows it: `▲ 12.5%` in the colour of good or bad news for that
    /// KPI, or a dash when there is nothing to compare with.
    struct Delta {
        let text: String
        /// `good`, `bad`, `flat` or `none`.
        let tone: String
        /// The compared value, for the tooltip and the Markdown table ("2025-06-16: 1,234").
        let basis: String
    }

    /// A time-bound goal's bar: baseline at the left, the target at the right.
    struct Progress {
        /// 0…100, the share of the way from baseline to target already covered.
        let done: String
        /// 0…1, where the projection at the deadline lands (a fraction for the tick's `calc`); empty without one.
        let projected: String
        let hasProjected: Bool
        /// "Progress 45% · projected ¥1,234 by 2025-08-31".
        let label: String
        let tone: String
    }

    struct TrendsView {
        let intro: String
        let charts: [KPIChart]
        let legendThisYear: String
        let legendYearAgo: String
        let legendPartial: String
        /// KPIs left out because they have no value in any period (a note, never an empty chart).
        let missing: String
        let hasMissing: Bool
        let lifecycleIntro: String
        let lifecycleChart: String
        let lifecycleWidth: String
        let lifecycleLegend: [LegendItem]
        let lifecycleRows: [LifecycleRow]
        /// The Markdown and `<details>` table: one row per period, one column per KPI.
        let header: [String]
        let rows: [TrendRow]
        let partialNote: String
    }

    struct KPIChart {
        let title: String
        /// The latest complete period's value (or "n/a").
        let latest: String
        let chart: String
    }

    struct LegendItem {
        let label: String
        let colour: String
    }

    struct LifecycleRow {
        let period: String
        let new: String
        let returning: String
        let resurrecting: String
        let dormant: String
    }

    struct TrendRow {
        let period: String
        let cells: [String]
    }

    /// SPEC §4.4: whether a rise of the KPI is good news. Spend is a cost; everything else the
    /// trends measure (users, orders, revenue, AOV, ARPPU, ROAS, stickiness) is better higher.
    static func risingIsGood(_ kpi: TrendKPI) -> Bool { kpi != .spend }

    /// A KPI value as the report writes it: money with the currency, ROAS as a multiple, stickiness
    /// as a percentage, counts grouped.
    static func kpiValue(_ kpi: TrendKPI, _ v: Decimal?, style f: NumberStyle, strings s: ReportStrings) -> String {
        guard let v else { return s["not_available"] }
        switch kpi {
        case .roas: return f.number(v, decimals: 2)
        case .stickiness: return f.percent(v, decimals: 1)
        default: return kpi.kind == .money ? f.money(v) : f.number(v, decimals: 0)
        }
    }

    /// "▲ 12.5%" / "▼ 3.0%" / "0.0%", or the absolute change when the earlier value is 0 (no rate,
    /// SPEC §4.4), or a dash when there is no earlier value.
    static func delta(_ kpi: TrendKPI, change: Fraction?, rate: Fraction?, basis: String,
                      style f: NumberStyle, strings s: ReportStrings) -> Delta {
        guard let change else { return Delta(text: "–", tone: "none", basis: basis) }
        let up = !change.isNegative && !change.isZero
        let tone = change.isZero ? "flat" : (up == risingIsGood(kpi) ? "good" : "bad")
        let arrow = change.isZero ? "" : (up ? "▲ " : "▼ ")
        let amount: String
        if let rate {
            amount = f.percent(rate.magnitude.decimal, decimals: 1)
        } else {
            amount = (up ? "+" : "") + kpiValue(kpi, change.decimal, style: f, strings: s)
        }
        return Delta(text: arrow + amount, tone: tone, basis: basis)
    }

    static func scorecard(_ review: Review) -> Scorecard {
        let s = review.strings, f = review.style, t = review.analyses.trends
        let period = s["period_\(t.calendar.unit.rawValue)"]
        guard let latest = t.latestComplete else {
            return Scorecard(intro: s.format("scorecard_none", ["period": period]), cards: [], noYearAgo: "", hasNoYearAgo: false)
        }
        var cards: [Card] = []
        var anyMissing = false
        var previousPeriod = "", yearAgoPeriod = ""
        for kpi in TrendKPI.allCases {
            guard let c = t.change(kpi) else { continue }
            // Spend and ROAS mean nothing without spend data (SPEC §3.1): no card rather than zeros.
            if !review.analyses.roi.hasSpendData && (kpi == .spend || kpi == .roas) { continue }
            previousPeriod = f.date(c.previousPeriod)
            yearAgoPeriod = f.date(c.yearAgoPeriod)
            let yearAgoChange = zip2(c.value, c.yearAgoValue).map { pair in pair.0 - pair.1 }
            if c.yearAgoValue == nil { anyMissing = true }
            cards.append(Card(
                label: s["trend_kpi_\(kpi.rawValue)"],
                value: kpiValue(kpi, c.value?.decimal, style: f, strings: s),
                previous: delta(kpi, change: c.change, rate: c.changeRate,
                                basis: previousPeriod + ": " + kpiValue(kpi, c.previousValue?.decimal, style: f, strings: s),
                                style: f, strings: s),
                yearAgo: delta(kpi, change: yearAgoChange, rate: c.yearAgoChangeRate,
                               basis: yearAgoPeriod + ": " + kpiValue(kpi, c.yearAgoValue?.decimal, style: f, strings: s),
                               style: f, strings: s)))
        }
        return Scorecard(intro: s.format("scorecard_intro", ["period": period, "period_start": f.date(latest.start),
                                                             "previous": previousPeriod, "year_ago": yearAgoPeriod]),
                         cards: cards, noYearAgo: s.format("scorecard_no_year_ago", ["period": period, "year_ago": yearAgoPeriod]),
                         hasNoYearAgo: anyMissing)
    }

    private static func zip2(_ a: Fraction?, _ b: Fraction?) -> (Fraction, Fraction)? {
        guard let a, let b else { return nil }
        return (a, b)
    }

    /// A time-bound goal's progress bar (SPEC §6): 0 % at the baseline, 100 % at the target; nil for
    /// a goal without a baseline or target value (a plain bound has neither a start nor a bar).
    static func progress(_ g: GoalResult, style f: NumberStyle, strings s: ReportStrings) -> Progress? {
        guard let baseline = g.baseline?.decimal, let target = g.targetValue.decimal, target != baseline,
              let actual = g.actual.decimal else { return nil }
        func share(_ v: Decimal) -> Decimal { (v - baseline) / (target - baseline) }
        // Widths are CSS percentages: plain digits and a point, whatever the language's decimal mark.
        func width(_ v: Decimal) -> String {
            String(format: "%.1f", NSDecimalNumber(decimal: min(1, max(0, share(v))) * 100).doubleValue)
        }
        let projected = g.projected?.decimal
        var label = s.format("progress_label", ["share": f.percent(share(actual), decimals: 0)])
        if let projected, let by = g.deadline, let p = g.projected {
            label = s.format("progress_projected", [
                "share": f.percent(share(actual), decimals: 0), "projected": f.metric(p, named: g.target.metric),
                "deadline": f.date(by), "projected_share": f.percent(share(projected), decimals: 0)])
        }
        let tone = switch g.status {
        case .met, .onTrack: "good"
        case .missed, .behind: "bad"
        case .noData: "none"
        }
        let tick = projected.map { String(format: "%.4f", NSDecimalNumber(decimal: min(1, max(0, share($0)))).doubleValue) }
        return Progress(done: width(actual), projected: tick ?? "",
                        hasProjected: projected != nil, label: label, tone: tone)
    }

    /// An axis label: compact (`12K`, `1.2万`) so it fits the chart's margin.
    static func compact(_ v: Double, kpi: TrendKPI, style f: NumberStyle, strings s: ReportStrings) -> String {
        if kpi == .stickiness { return f.percent(Decimal(v), decimals: 0) }
        if kpi == .roas { return f.number(Decimal(v), decimals: 1) }
        let units = s["compact_units"].split(separator: ",").compactMap { part -> (Double, String)? in
            let kv = part.split(separator: ":", maxSplits: 1)
            guard kv.count == 2, let n = Double(kv[0]) else { return nil }
            return (n, String(kv[1]))
        }.sorted { $0.0 > $1.0 }
        let number: String
        if let unit = units.first(where: { abs(v) >= $0.0 }) {
            let scaled = v / unit.0
            number = f.number(Decimal(scaled), decimals: abs(scaled) < 10 ? 1 : 0) + unit.1
        } else {
            number = f.number(Decimal(v), decimals: abs(v) < 10 && v != v.rounded() ? 1 : 0)
        }
        return kpi.kind == .money ? f.money(0, decimals: 0).replacingOccurrences(of: "0", with: number) : number
    }

    /// A period's short label for an axis: `06-23` for days and weeks, `2025-06` for months.
    static func shortLabel(_ d: LocalDate, unit: PeriodUnit, strings s: ReportStrings) -> String {
        let (y, m, day) = d.components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return s.format(unit == .month ? "format_month" : "format_date_short",
                        ["year": String(y), "month": String(m), "day": String(day), "month2": two(m), "day2": two(day)])
    }

    static func trends(_ review: Review) -> TrendsView {
        let s = review.strings, f = review.style, t = review.analyses.trends
        let unit = t.calendar.unit
        let period = s["period_\(unit.rawValue)"]
        let rows = Array(t.rows(of: .all))
        let labels = rows.map { shortLabel($0.period.start, unit: unit, strings: s) }
        func double(_ v: Fraction?) -> Double? { v.map { NSDecimalNumber(decimal: $0.decimal).doubleValue } }

        /// The user growth rate of a row: its user base against the period before's (nil when that one
        /// was not computed or had no users).
        func growthRate(_ row: TrendsResult.Row) -> Fraction? {
            let before = t.value(.totalUsers, periodIndex: row.period.index - 1)
            return zip2(row.value(.totalUsers), before).flatMap { pair in (pair.0 - pair.1).divided(by: pair.1) }
        }
        var charts: [KPIChart] = []
        var missing: [String] = []
        let latestIndex = t.latestComplete?.index
        let spendKnown = review.analyses.roi.hasSpendData
        for kpi in TrendKPI.allCases {
            let name = s["trend_kpi_\(kpi.rawValue)"]
            let points = rows.map { TrendCharts.Point(value: double($0.value(kpi)), partial: $0.period.partial) }
            guard points.contains(where: { $0.value != nil }), spendKnown || (kpi != .spend && kpi != .roas) else {
                missing.append(name)
                continue
            }
            let previous = rows.map { double(t.yearAgoValue(kpi, period: $0.period)) }
            let latest = latestIndex.map { kpiValue(kpi, t.value(kpi, periodIndex: $0)?.decimal, style: f, strings: s) } ?? s["not_available"]
            charts.append(KPIChart(title: name, latest: latest,
                                   chart: TrendCharts.kpi(points, previous: previous, labels: labels,
                                                          title: s.format("trend_chart", ["kpi": name, "period": period]),
                                                          format: { compact($0, kpi: kpi, style: f, strings: s) })))
            // SPEC §4.4: growth.total_users is the user growth rate (用户增长率); its own line follows the user base.
            if kpi == .totalUsers {
                let growth = rows.map { TrendCharts.Point(value: double(growthRate($0)), partial: $0.period.partial) }
                if growth.contains(where: { $0.value != nil }) {
                    let latestGrowth = t.change(.totalUsers)?.changeRate.map { f.percent($0.decimal, decimals: 1) } ?? s["not_available"]
                    let title = s["user_growth_rate"]
                    charts.append(KPIChart(title: title, latest: latestGrowth,
                                           chart: TrendCharts.kpi(growth, previous: [], labels: labels,
                                                                  title: s.format("trend_chart", ["kpi": title, "period": period]),
                                                                  format: { f.percent(Decimal($0), decimals: 1) })))
                }
            }
        }

        let lifecycle = t.lifecycle
        let bars = lifecycle.map {
            TrendCharts.Bar(label: shortLabel($0.period.start, unit: unit, strings: s), new: $0.new, returning: $0.returning,
                            resurrecting: $0.resurrecting, dormant: $0.dormant, partial: $0.period.partial)
        }
        let c = TrendCharts.lifecycleColours
        let partialMark = { (p: TrendsResult.Period) in p.partial ? "*" : "" }
        let kpis = TrendKPI.allCases.filter { spendKnown || ($0 != .spend && $0 != .roas) }
        return TrendsView(
            intro: s.format("trends_intro", ["period": period, "activity": review.pipeline.trends.activity.joined(separator: ", ")]),
            charts: charts,
            legendThisYear: s["legend_this_year"], legendYearAgo: s["legend_year_ago"],
            legendPartial: s.format("legend_partial", ["period": period]),
            missing: s.format("trends_missing", ["kpis": missing.joined(separator: s["list_separator"])]),
            hasMissing: !missing.isEmpty,
            lifecycleIntro: s.format("lifecycle_intro", ["period": period]),
            lifecycleChart: bars.isEmpty ? "" : TrendCharts.lifecycle(bars, title: s["lifecycle_chart"], format: { f.count($0) }),
            lifecycleWidth: SVG.n(TrendCharts.lifecycleWidth(periods: bars.count)),
            lifecycleLegend: [LegendItem(label: s["lifecycle_new"], colour: c.new),
                              LegendItem(label: s["lifecycle_returning"], colour: c.returning),
                              LegendItem(label: s["lifecycle_resurrecting"], colour: c.resurrecting),
                              LegendItem(label: s["lifecycle_dormant"], colour: c.dormant)],
            lifecycleRows: lifecycle.map {
                LifecycleRow(period: f.date($0.period.start) + partialMark($0.period), new: f.count($0.new),
                             returning: f.count($0.returning), resurrecting: f.count($0.resurrecting),
                             dormant: $0.dormant == 0 ? "0" : "−" + f.count($0.dormant))
            },
            // The table has the user growth rate right after the user base it is the growth of.
            header: kpis.flatMap { k in [s["trend_kpi_\(k.rawValue)"]] + (k == .totalUsers ? [s["user_growth_rate"]] : []) },
            rows: rows.map { row in
                TrendRow(period: f.date(row.period.start) + partialMark(row.period),
                         cells: kpis.flatMap { k in
                             [kpiValue(k, row.value(k)?.decimal, style: f, strings: s)]
                                 + (k == .totalUsers ? [growthRate(row).map { f.percent($0.decimal, decimals: 1) } ?? s["not_available"]] : [])
                         })
            },
            partialNote: s.format("trends_partial", ["period": period, "since": f.date(review.since), "as_of": f.date(review.asOf)]))
    }
}
