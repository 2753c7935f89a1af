import Foundation

/// Integrate: the quality ledger of one input (SPEC §5; one row of `data_quality.csv`).
///
/// Every row read lands in exactly one bucket, so
/// `rowsRead == rowsKept + rejected + duplicates + afterAsOf + excludedStatus + unknownUserIgnored`.
public struct InputQuality: Sendable, Equatable {
    public let kind: InputKind
    public let rowsRead: Int
    /// Reject counts by reason, sorted by reason.
    public let rejectedByReason: [String: Int]
    public let duplicates: Int
    public let afterAsOf: Int
    public let excludedStatus: Int
    public let unknownUserIgnored: Int

    public var rejected: Int { rejectedByReason.values.reduce(0, +) }

    /// Reject reasons, most frequent first, ties in name order: the order a reader (and the
    /// `quality.rejects` suggestion) ranks them in.
    public var reasonsByFrequency: [(reason: String, rows: Int)] {
        rejectedByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }
    public var rowsKept: Int { rowsRead - rejected - duplicates - afterAsOf - excludedStatus - unknownUserIgnored }

    /// `rejected / rows_read` rounded once to `decimals` places; 0 for an empty input (SPEC §5).
    public func formattedRejectRate(decimals: Int = 6) -> String {
        FixedPoint.ratio(Int64(rejected), Int64(rowsRead), decimals: decimals) ?? FixedPoint.format(0, scale: 0, decimals: decimals)
    }

    /// SPEC §9: the gate fails when the rate is strictly greater than the limit, compared
    /// exactly — `rejected > limit × rows_read` in decimal arithmetic, no division.
    public func exceeds(_ limit: Decimal) -> Bool {
        rowsRead > 0 && Decimal(rejected) > limit * Decimal(rowsRead)
    }
}
