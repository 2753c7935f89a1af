import Foundation

/// Integrate: the quality gate of SPEC §5 — the quality ledger, the inputs' settings and the
/// analysed night → pass, or one line per failing input naming each condition it fails.
///
/// Every condition lives here, so `run` (exit 3 and `<dir>.failed`) and `validate --data` (the
/// verdict, nothing written) decide alike:
/// - `min_rows` (default 1): fewer data rows read — an empty, header-only or truncated export
///   must never replace last night's good report;
/// - no input has a valid row, so `since`/`as_of` cannot default and there is nothing to analyse:
///   each input's most frequent reject reason with an example value and its line;
/// - `max_reject_rate`: `rejected > limit × rows_read`, exactly (SPEC §9);
/// - `max_age_days`: the input's latest valid row is more than that many days before `as_of`
///   (an export that stopped updating).
public struct QualityGate: Sendable, Equatable {
    public enum Condition: String, Sendable, Equatable {
        case minRows = "min_rows"
        case noValidRow = "no_valid_row"
        case maxRejectRate = "max_reject_rate"
        case maxAgeDays = "max_age_days"
    }

    /// One failing input: its conditions in the order above, worded as one line.
    public struct Failure: Sendable, Equatable {
        public let kind: InputKind
        public let conditions: [Condition]
        /// `sales: 0 data rows read (a header only), below inputs.sales.min_rows 1: …`
        public let line: String
    }

    /// In input order (users, sales, channels, events).
    public let failures: [Failure]
    /// True when not one row of any input parsed (SPEC §5: a gate failure, not a runtime error).
    public let noValidRow: Bool

    public var passed: Bool { failures.isEmpty }

    /// - Parameter latest: each input's latest local date among the rows that parsed (absent: none did).
    public static func evaluate(_ quality: QualityReport, pipeline: Pipeline, asOf: LocalDate,
                                latest: [InputKind: LocalDate]) -> QualityGate {
        let noValidRow = latest.isEmpty
        let limit = pipeline.cleaning.maxRejectRate
        var failures: [Failure] = []
        for q in quality.inputs {
            let spec = pipeline.inputs.spec(q.kind)
            let name = q.kind.rawValue
            var conditions: [Condition] = []
            var parts: [String] = []
            let minRows = spec?.minRows ?? 1
            if q.rowsRead < minRows {
                let what = q.rowsRead > 0 ? "" : quality.headers[q.kind] == nil ? " (an empty file)" : " (a header only)"
                conditions.append(.minRows)
                parts.append("\(q.rowsRead) data row\(q.rowsRead == 1 ? "" : "s") read\(what), fewer than "
                             + "inputs.\(name).min_rows \(minRows): an empty or truncated export?")
            }
            if noValidRow && q.rowsRead > 0 {
                conditions.append(.noValidRow)
                parts.append(rejectLine(q, quality: quality, pipeline: pipeline, limit: nil))
            } else if q.exceeds(limit) {
                conditions.append(.maxRejectRate)
                parts.append(rejectLine(q, quality: quality, pipeline: pipeline, limit: limit))
            }
            if !noValidRow, let days = spec?.maxAgeDays {
                if let last = latest[q.kind] {
                    let age = last.distance(to: asOf)
                    if age > days {
                        conditions.append(.maxAgeDays)
                        parts.append("the latest valid row is dated \(last), \(age) days before as_of \(asOf), more than "
                                     + "inputs.\(name).max_age_days \(days): a stale export?")
                    }
                } else {
                    conditions.append(.maxAgeDays)
                    parts.append("no valid row, so nothing shows the export is at most inputs.\(name).max_age_days \(days) "
                                 + "days old")
                }
            }
            if !conditions.isEmpty {
                failures.append(Failure(kind: q.kind, conditions: conditions, line: "\(name): " + parts.joined(separator: "; ")))
            }
        }
        return QualityGate(failures: failures, noValidRow: noValidRow)
    }

    /// The reject line, built in this one place: `2 of 20 rows rejected (0.1000), above
    /// cleaning.max_reject_rate 0.05; most often bad_timestamp:signup_at (2), e.g. "x" at line 3: not a
    /// timestamp form opsetl reads; …` — the example's diagnosis says what would read it.
    /// Without `limit` (no input has a valid row) the rate is left out: every row was rejected.
    static func rejectLine(_ q: InputQuality, quality: QualityReport, pipeline: Pipeline, limit: Decimal?) -> String {
        var text = "\(q.rejected) of \(q.rowsRead) rows rejected"
        if let limit {
            text += " (\(q.formattedRejectRate(decimals: 4))), above cleaning.max_reject_rate \(limit);"
        } else {
            text += ","
        }
        if let example = RejectExample.mostFrequent(quality, kind: q.kind, pipeline: pipeline) {
            text += " most often \(example.described)"
        }
        return text
    }

    /// The error a run ends with (exit 3): a first line saying what happened and where the
    /// details are, then the failing inputs' lines (`OpsError.details`, one line each).
    /// - Parameter failedDirectory: `<dir>.failed`; nil for `validate --data`, which writes nothing.
    public func error(failedDirectory: String?) -> OpsError {
        let inputs = failures.map(\.kind.rawValue).joined(separator: ", ")
        var head = noValidRow
            ? "quality gate failed: no input has a valid row, so there is nothing to analyse"
            : "quality gate failed for \(inputs)"
        if let failedDirectory {
            head += "; the previous report is left untouched, data_quality.csv and rejects/ are in \(failedDirectory)"
        } else {
            head += "; validate --data wrote nothing"
        }
        var error = OpsError(.qualityGate, head)
        error.details = failures.map { OpsError.oneLine($0.line) }
        return error
    }
}

extension Inputs {
    /// The settings of one input; nil for an optional input the pipeline leaves out.
    public func spec(_ kind: InputKind) -> InputSpec? {
        switch kind {
        case .users: users
        case .sales: sales
        case .channels: channels
        case .events: events
        }
    }
}
