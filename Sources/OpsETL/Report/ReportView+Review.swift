import Foundation

/// Report: words and formats a `Review` into the `ReportView` the templates lay out.
extension ReportView {
    init(_ review: Review) {
        let s = review.strings
        let f = review.style
        let p = review.pipeline
        t = s.all
        lang = s["lang"]
        subtitle = s.format("subtitle", ["name": p.name, "since": f.date(review.since), "as_of": f.date(review.asOf),
                                         "timezone": p.timezone])
        generated = s.format("generated", ["version": OpsETLVersion.string])

        // Goals and the headline numbers.
        let goals = review.advice.goals
        goalsSummary = s.format("goals_summary", ["met": f.count(goals.filter { $0.status == .met }.count),
                                                  "total": f.count(goals.count)])
        self.goals = goals.map { g in
            let metric = g.target.metric
            let (mark, cls): (String, String) = switch g.status {
            case .met: ("✓", "met")
            case .missed: ("✗", "missed")
            case .onTrack: ("↗", "met")
            case .behind: ("↘", "missed")
            case .noData: ("–", "nodata")
            }
            // A time-bound goal's target cell also carries its deadline, baseline and projection.
            var target = s["kind_\(g.target.kind.rawValue)"] + " " + f.metric(g.targetValue, named: metric)
            var notes: [String] = []
            if let by = g.deadline { target += " " + s.format("goal_by", ["deadline": f.date(by)]) }
            if let b = g.baseline, !b.isNull { notes.append(s.format("goal_baseline", ["baseline": f.metric(b, named: metric)])) }
            if let p = g.projected, !p.isNull { notes.append(s.format("goal_projected", ["projected": f.metric(p, named: metric)])) }
            if !notes.isEmpty { target += " (" + notes.joined(separator: s["list_separator"]) + ")" }
            return Goal(name: g.target.label ?? metric, metric: metric, target: target,
                        actual: f.metric(g.actual, named: metric), status: s["status_\(g.status.rawValue)"],
                        statusClass: cls, statusMark: mark,
                        gap: g.status == .noData ? "" : f.difference(g.gapValue, named: metric),
                        progress: Self.progress(g, style: f, strings: s))
        }
        let metrics = Dictionary(review.analyses.headlineMetrics.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        var kpis: [KPI] = []
        for (key, name) in [("kpi_revenue", "revenue.total"), ("kpi_signups", "signups.total"), ("kpi_roi", "roi.total"),
                            ("kpi_roas", "roas.total"), ("kpi_cac", "cac.total"), ("kpi_funnel", "funnel.conversion"),
                            ("kpi_retention", "retention.p1")] {
            guard let value = metrics[name] else { continue }
            // The ROI's revenue is attributed (signups in range, within the window); the scorecard has the period's.
            let window = p.roi.revenueWindowDays
            let label = s.format(key, ["window": f.number(window, decimals: window.isWhole ? 0 : 2)])
            kpis.append(KPI(label: label, value: f.metric(value, named: name)))
        }
        self.kpis = kpis
        hasGoals = !goals.isEmpty
        scorecard = Self.scorecard(review)
        hasScorecard = !scorecard.cards.isEmpty
        trends = Self.trends(review)

        // Retention.
        let r = review.analyses.retention
        let period = s["period_\(p.retention.period.rawValue)"]
        retentionIntro = s.format("retention_intro", [
            "cohort_by": s["cohort_by_\(p.retention.cohortBy.rawValue)"], "period": period,
            "activity": p.retention.activity.joined(separator: ", "),
        ])
        retentionKind = s.format(p.retention.cumulative ? "retention_kind_cumulative" : "retention_kind_on",
                                 ["period": period, "as_of": f.date(review.asOf)])
        retentionPartial = s.format("retention_partial", ["period": period, "as_of": f.date(review.asOf)])
        // "Week 0 … 8", not the CSV's p0 … p8 (SPEC §7 names the columns; a reader needs words).
        let columns = (0...max(0, r.periods)).map { s.format("period_col_\(p.retention.period.rawValue)", ["n": String($0)]) }
        retentionChart = r.cells.isEmpty ? "" : RetentionHeatmap.svg(r, style: f, title: s["retention_chart"], columns: columns,
                                                                     cohortHeading: s["col_cohort"], sizeHeading: s["col_cohort_size"])
        retentionChartWidth = SVG.n(RetentionHeatmap.width(periods: r.periods))
        retentionHeader = columns
        retentionRows = Dictionary(grouping: r.cells, by: \.cohort).sorted { $0.key < $1.key }.map { cohort, cells in
            var row = [String](repeating: "", count: r.periods + 1)
            for c in cells where c.period <= r.periods {
                row[c.period] = f.percent(Decimal(c.activeUsers) / Decimal(c.cohortSize)) + (c.partial ? "*" : "")
            }
            return RetentionRow(cohort: cohort.description, size: f.count(cells.first?.cohortSize ?? 0), cells: row)
        }

        hasRetention = !retentionRows.isEmpty
        dayRetention = Self.dayRetention(review)

        // Funnel.
        funnel = review.analyses.funnel.map { Self.funnel($0, review: review) }

        // ROI.
        roiIntro = s.format("roi_intro", ["window": f.number(p.roi.revenueWindowDays, decimals: p.roi.revenueWindowDays.isWhole ? 0 : 2),
                                          "margin": f.percent(p.roi.grossMargin, decimals: 0)])
        let rows = review.analyses.roi.rows
        let hasSpend = review.analyses.roi.hasSpendData
        noSpendData = !hasSpend
        roiChart = SpendRevenueChart.html(Array(review.analyses.roi.channelRows), style: f, strings: s, title: s["roi_chart"],
                                          spendKnown: hasSpend)
        roiRows = rows.enumerated().map { i, row in
            let isTotal = i >= rows.count - 2
            let name = !isTotal ? row.channel : (row.channel == ROIResult.total ? s["row_total"] : s["row_total_paid"])
            let na = s["not_available"]
            return ROIRow(channel: name, spend: hasSpend ? f.money(ROIResult.money(row.spend)) : s["no_spend_data"],
                          revenue: f.money(ROIResult.money(row.revenue)),
                          roi: row.roi.map { f.percent($0) } ?? na, roas: row.roas.map { f.number($0, decimals: 2) } ?? na,
                          cac: row.cac.map { f.money($0) } ?? na, signups: f.count(row.signups), paying: f.count(row.payingUsers),
                          total: isTotal, losing: (row.roi ?? 0) < 0)
        }

        // Suggestions.
        suggestions = zip(review.advice.suggestions, review.wordings).map { sug, w in
            var subject: [String] = []
            if let c = sug.channel { subject.append(c) }
            if let step = sug.step { subject.append(s["col_step"] + " " + String(step)) }
            if let cohort = sug.cohort { subject.append(s["col_cohort"] + " " + cohort.description) }
            switch sug.evidence {
            case .goalMissed(let goal, _, _), .goalBehind(let goal): subject.insert(goal.target.label ?? goal.target.metric, at: 0)
            case .qualityRejects(let q): subject.append(s["input_\(q.input.rawValue)"])
            default: break
            }
            return SuggestionItem(rank: String(sug.rank), priority: s["priority_\(sug.priority.name)"],
                                  priorityClass: sug.priority.name, rule: sug.rule.rawValue,
                                  subject: subject.joined(separator: " · "), finding: w.finding,
                                  recommendation: w.recommendation, impact: w.impact, assumption: w.assumption)
        }

        // Data quality.
        let inputs = review.quality.inputs
        qualityChart = QualityChart.html(inputs, strings: s, style: f, title: s["quality_chart"])
        qualityRows = inputs.map { q in
            QualityRow(input: s["input_\(q.kind.rawValue)"], rowsRead: f.count(q.rowsRead), kept: f.count(q.rowsKept),
                       rejected: f.count(q.rejected), duplicates: f.count(q.duplicates), afterAsOf: f.count(q.afterAsOf),
                       excluded: f.count(q.excludedStatus), unknownIgnored: f.count(q.unknownUserIgnored),
                       rejectRate: q.rowsRead == 0 ? f.percent(0, decimals: 2)
                           : f.percent(Decimal(q.rejected) / Decimal(q.rowsRead), decimals: 2))
        }
        reasons = inputs.flatMap { q in
            q.reasonsByFrequency.map {
                let example = RejectExample(review.quality, kind: q.kind, reason: $0.reason, rows: $0.rows, pipeline: review.pipeline)
                return Reason(input: s["input_\(q.kind.rawValue)"], reason: RejectWording.reason($0.reason, strings: s), code: $0.reason,
                              rows: f.count($0.rows), example: example.map { RejectWording.example($0, strings: s) } ?? "")
            }
        }
        hasReasons = !reasons.isEmpty
        nonPositiveSales = s.format("quality_non_positive", ["count": f.count(review.quality.nonPositiveSales)])
        warnings = review.warnings.map { WarningWording.message($0, strings: s) }
        hasWarnings = !warnings.isEmpty
    }

    private static func funnel(_ funnel: FunnelResult, review: Review) -> Funnel {
        let s = review.strings
        let f = review.style
        let na = s["not_available"]
        let window = review.pipeline.funnel?.windowDays ?? 0
        let all = funnel.segment("all")
        let labels = stepLabels(funnel, strings: s)
        let steps = all.map { st in
            FunnelStep(step: String(st.step), name: st.name, label: labels[st.step - 1], users: f.count(st.users),
                       fromPrevious: st.conversionFromPrevious.map { f.percent($0) } ?? na,
                       fromFirst: st.conversionFromFirst.map { f.percent($0) } ?? na,
                       dropOff: f.count(st.dropOff), median: st.medianSecondsFromPrevious.map { f.duration(seconds: $0) } ?? "")
        }
        var channels: Channels?
        if funnel.segments.count > 1 {
            let names = segmentLabels(funnel, strings: s)
            let rows = funnel.segments.indices.map { i in
                let seg = funnel.steps(ofSegmentAt: i)
                return ChannelRow(segment: names[i], entrants: f.count(seg.first?.users ?? 0),
                                  cells: seg.map { $0.conversionFromFirst.map { f.percent($0) } ?? na })
            }
            // The heading says what the segments are: channels, countries, or both (SPEC §4.2).
            let kinds = Set(funnel.kinds.dropFirst())
            let key = kinds == [.country] ? "funnel_countries" : kinds.contains(.country) ? "funnel_segments" : "funnel_channels"
            // One chart per kind of segment: all, the largest few, the ones a suggestion names, "other".
            let flagged = Set(review.advice.suggestions.compactMap { $0.rule == .funnelChannelGap ? $0.channel : nil })
            var charts: [SegmentChart] = []
            let perKind: [(FunnelResult.SegmentKind, String)] = [(.channel, "funnel_channels_chart"), (.country, "funnel_countries_chart")]
            for (kind, chartKey) in perKind {
                let indices = funnel.kinds.indices.filter { funnel.kinds[$0] == kind }
                guard !indices.isEmpty else { continue }
                let series = FunnelCharts.series(funnel, indices: indices, labels: names, flagged: flagged,
                                                 otherLabel: { s.format("legend_other", ["count": String($0)]) })
                charts.append(SegmentChart(chart: FunnelCharts.bySegment(series, stepLabels: labels, style: f, title: s[chartKey]),
                                           legend: FunnelCharts.legend(series, style: f)))
            }
            channels = Channels(title: s[key], charts: charts, header: labels, rows: rows)
        }
        let configured = review.pipeline.funnel?.steps ?? funnel.stepNames
        let order = s.format("funnel_order_\(funnel.order.rawValue)",
                             ["n": String(configured.count), "steps": configured.joined(separator: ", ")])
        return Funnel(intro: s.format("funnel_intro", ["window": f.number(window, decimals: window.isWhole ? 0 : 2)]),
                      order: order, chart: FunnelCharts.overall(all, labels: labels, style: f, title: s["funnel_chart"]),
                      steps: steps, channels: channels)
    }

    /// "1. signup", or in `any` order "1 of 4 steps" in the report's language (SPEC §4.2).
    static func stepLabels(_ funnel: FunnelResult, strings s: ReportStrings) -> [String] {
        let n = funnel.stepNames.count
        return funnel.stepNames.enumerated().map { i, name in
            funnel.order == .any ? s.format("funnel_any_step", ["k": String(i + 1), "n": String(n)]) : "\(i + 1). \(name)"
        }
    }

    /// `all` in words, channels as they are, `country:<c>` as "Country: c" (`country:unknown`: "unknown").
    static func segmentLabels(_ funnel: FunnelResult, strings s: ReportStrings) -> [String] {
        funnel.segments.enumerated().map { i, name in
            switch funnel.kinds[i] {
            case .all: s["segment_all"]
            case .channel: name
            case .country:
                // A null country is `country:unknown`; so is a country literally called "unknown".
                s.format("segment_country", ["country": name == FunnelAnalysis.countrySegment(nil) ? s["country_unknown"]
                                                 : String(name.dropFirst("country:".count))])
            }
        }
    }
}

extension Decimal {
    /// True for an integral value (`14`, not `0.5`).
    var isWhole: Bool { self == FixedPoint.rounded(self, decimals: 0) }
}
