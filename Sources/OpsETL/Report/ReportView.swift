import Foundation

/// Report: the view model the report templates render (`Templates/report.*.mustache`) — every
/// value already worded and formatted for the language, so the templates only lay it out.
///
/// Plain structs of strings, booleans and arrays: the template engine reads them by reflection.
/// Values that come from the data stay raw here; the template engine escapes them for HTML or
/// Markdown. Only the SVG charts are pre-rendered markup, and `SVG` escapes their text itself.
struct ReportView {
    let t: [String: String]
    let lang: String
    let subtitle: String
    let generated: String

    let goalsSummary: String
    // Stored, not computed: the template engine reads stored properties only.
    let hasGoals: Bool
    let hasRetention: Bool
    let hasReasons: Bool
    let goals: [Goal]
    let kpis: [KPI]

    /// SPEC §4.4: the latest complete period against the one before and a year earlier.
    let scorecard: Scorecard
    let hasScorecard: Bool
    /// SPEC §4.4, §4.5: one chart per KPI, the user growth rate, the lifecycle.
    let trends: TrendsView

    let retentionIntro: String
    /// Which count the heatmap shows: "in the period" or cumulative "in it or later" (SPEC §4.1).
    let retentionKind: String
    let retentionPartial: String
    let retentionChart: String
    /// The heatmap's natural width in CSS px (its view box), so the day-N curve sits beside it only
    /// when both fit at that size and the heatmap is never shrunk for it.
    let retentionChartWidth: String
    let retentionHeader: [String]
    let retentionRows: [RetentionRow]
    /// Nil without `retention.days` or without a cohort.
    let dayRetention: DayRetention?

    let funnel: Funnel?

    let roiIntro: String
    /// SPEC §3.1: without spend data the report says so instead of showing zeros.
    let noSpendData: Bool
    let roiChart: String
    let roiRows: [ROIRow]

    let suggestions: [SuggestionItem]

    let qualityChart: String
    let qualityRows: [QualityRow]
    let reasons: [Reason]
    /// Kept sales with amount ≤ 0 (not purchases, SPEC §3.5), worded.
    let nonPositiveSales: String
    /// SPEC §9 warnings, worded in the report's language.
    let warnings: [String]
    let hasWarnings: Bool

    struct Goal {
        let name: String
        let metric: String
        let target: String
        let actual: String
        let status: String
        let statusClass: String
        let statusMark: String
        let gap: String
        /// A time-bound goal with a baseline: its bar from baseline to target.
        let progress: Progress?
    }

    struct KPI {
        let label: String
        let value: String
    }

    struct RetentionRow {
        let cohort: String
        let size: String
        let cells: [String]
    }

    struct DayRetention {
        let intro: String
        let chart: String
        let header: [String]
        /// All cohorts pooled first, then each cohort.
        let rows: [RetentionRow]
    }

    struct Funnel {
        let intro: String
        /// How the steps must follow each other (`funnel.order`).
        let order: String
        let chart: String
        let steps: [FunnelStep]
        /// Nil without channel segments.
        let channels: Channels?
    }

    struct FunnelStep {
        let step: String
        let name: String
        /// "2. view_item", or in `any` order "2 of 4 steps" in the report's language.
        let label: String
        let users: String
        let fromPrevious: String
        let fromFirst: String
        let dropOff: String
        let median: String
    }

    struct Channels {
        /// By channel, by country, or both.
        let title: String
        /// One per kind of segment (channels, countries).
        let charts: [SegmentChart]
        let header: [String]
        let rows: [ChannelRow]
    }

    struct SegmentChart {
        let chart: String
        /// HTML, outside the chart's scroll area, so it stays in view.
        let legend: [LegendItem]
    }

    struct ChannelRow {
        let segment: String
        let entrants: String
        let cells: [String]
    }

    struct ROIRow {
        let channel: String
        let spend: String
        let revenue: String
        let roi: String
        let roas: String
        let cac: String
        let signups: String
        let paying: String
        let total: Bool
        let losing: Bool
    }

    struct SuggestionItem {
        let rank: String
        let priority: String
        let priorityClass: String
        let rule: String
        let subject: String
        let finding: String
        let recommendation: String
        let impact: String
        let assumption: String
    }

    struct QualityRow {
        let input: String
        let rowsRead: String
        let kept: String
        let rejected: String
        let duplicates: String
        let afterAsOf: String
        let excluded: String
        let unknownIgnored: String
        let rejectRate: String
    }

    struct Reason {
        let input: String
        /// The reason in the report's words.
        let reason: String
        /// The code as `rejects/` and `data_quality` write it (`missing:user_id`).
        let code: String
        let rows: String
        /// The first row rejected for it, and what would read it (`RejectWording.example`).
        let example: String
    }
}
