// TEMPORARY: stands in for the value layer and pipeline loader until their real files land.
import Foundation
public struct ZoneRules: Sendable {
    public let identifier: String
    public init?(identifier: String) { self.identifier = identifier }
    public func offsetSeconds(at instant: Instant) -> Int32 { 0 }
    public func localDate(of i: Instant) -> LocalDate { LocalDate(days: Int32((i.seconds - (i.seconds % 86400 + 86400) % 86400) / 86400)) }
    public func instant(fromLocalSeconds local: Int64, nanos: Int32) -> Instant { Instant(seconds: local, nanos: nanos) }
}
public enum ByteTrim {
    public static func trim(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == 32 || b[lo] == 9) { lo += 1 }
        while hi > lo && (b[hi-1] == 32 || b[hi-1] == 9) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }
}
public enum TimestampParser {
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneRules) -> Instant? {
        let s = String(decoding: b, as: UTF8.self)
        guard let d = LocalDate(iso: String(s.prefix(10))) else { return nil }
        return Instant(seconds: Int64(d.days) * 86400)
    }
}
public enum MoneyParser { public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? { Int64(String(decoding: b, as: UTF8.self)).map { $0 * 10000 } } }
public enum CountParser { public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? { Int64(String(decoding: b, as: UTF8.self)) } }
public struct ChannelNormalizer: Sendable {
    public init(aliases: [String: String]) {}
    public func normalize(_ b: UnsafeBufferPointer<UInt8>) -> String { let s = String(decoding: b, as: UTF8.self).lowercased(); return s.isEmpty ? "unknown" : s }
}
public enum FixedPoint {
    public static func ratio(_ n: Int64, _ d: Int64, decimals: Int) -> String? { d == 0 ? nil : String(format: "%.\(decimals)f", Double(n) / Double(d)) }
    public static func format(_ v: Decimal, decimals: Int) -> String { "\(v)" }
}
extension Pipeline { public static func load(path: String) throws -> Pipeline { throw OpsError.configuration("stub") } }
