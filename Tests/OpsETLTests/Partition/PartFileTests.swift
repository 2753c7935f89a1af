import Foundation
import Testing
@testable import OpsETL

/// docs/partitioned.md, "The intermediate format": rows survive a round trip exactly, a
/// damaged file is refused naming it, and the partition of a key is the same in every process.
@Suite struct PartFileTests {
    static func sampleBatch() -> PartBatch {
        var b = PartBatch()
        b.users = [.init(ordinal: .init(file: 1, index: 7), id: "u-é", signupAt: Instant(seconds: 1_700_000_000, nanos: 5),
                         signupDate: LocalDate(days: 19_676), channel: "facebook", country: nil)]
        b.sales = [.init(ordinal: .init(file: 0, index: 2), orderId: "o1", userId: "ghost", orderedAt: Instant(seconds: -3),
                         orderedDate: LocalDate(days: -1), amount: -12_345, updatedAt: nil, excluded: true, line: 4,
                         fields: ["o1", " ghost ", "", "-1.2345"])]
        b.events = [.init(ordinal: .init(file: 2, index: 0), eventId: nil, userId: "u-é", name: "view_item",
                          at: Instant(seconds: 42, nanos: 999_999_999), line: 2, fields: nil)]
        b.spend = [.init(ordinal: .init(file: 0, index: 0),
                         row: SpendRow(date: LocalDate(days: 3), channel: "google", campaign: "C,1", spend: 10_000, impressions: nil, clicks: 5))]
        return b
    }

    @Test func aBatchRoundTripsExactly() throws {
        var w = PartWriter()
        Self.sampleBatch().encode(into: &w)
        let file = PartFile.encode(.partial, payload: w.bytes)
        // 22 header bytes (magic 11, version 2, kind 1, length 8) + payload + 32 checksum bytes.
        #expect(file.count == 22 + w.bytes.count + 32)
        #expect(Array(file[0..<11]) == Array("OPSETL-PART".utf8) && file[11] == 1 && file[12] == 0 && file[13] == 6)
        var r = try PartFile.decode(file, name: "x.bin", expecting: .partial).reader
        let b = try PartBatch.decode(from: &r)
        #expect(r.atEnd)
        let a = Self.sampleBatch()
        #expect(b.users.count == 1 && b.users[0].id == "u-é" && b.users[0].signupAt == a.users[0].signupAt && b.users[0].country == nil)
        #expect(b.sales[0].amount == -12_345 && b.sales[0].updatedAt == nil && b.sales[0].excluded && b.sales[0].fields! == a.sales[0].fields!)
        #expect(b.events[0].eventId == nil && b.events[0].at == a.events[0].at && b.events[0].fields == nil)
        #expect(b.spend[0].row == a.spend[0].row)
    }

    @Test func damagedFilesAreRefusedNamingThem() throws {
        let good = PartFile.encode(.context, payload: [1, 2, 3])
        #expect(throws: Never.self) { try PartFile.decode(good, name: "c.bin", expecting: .context) }
        var flipped = good
        flipped[23] ^= 0x80   // a payload byte
        #expect(throws: OpsError.runtime("c.bin: intermediate file is corrupt (SHA-256 checksum mismatch)")) {
            try PartFile.decode(flipped, name: "c.bin")
        }
        #expect(throws: OpsError.runtime("c.bin: is a context file, not a file of kind analyze partial")) {
            try PartFile.decode(good, name: "c.bin", expecting: .partial)
        }
        #expect(throws: OpsError.self) { try PartFile.decode(Array(good.dropLast()), name: "c.bin") }
    }

    /// FNV-1a 64 of "a" is 0xAF63DC4C8601EC8C (the published test vector); mod 16 that is 12.
    @Test func aKeysPartitionIsFNV1aModP() {
        #expect(PartBatch.partition(of: "a", partitions: 16) == 12)
        #expect(PartBatch.partition(of: "", partitions: 7) == Int(0xCBF2_9CE4_8422_2325 % UInt64(7)))
        #expect(PartBatch.partition(of: "anything", partitions: 1) == 0)
    }
}
