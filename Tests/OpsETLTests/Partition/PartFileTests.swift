import Foundation
import Testing
@testable import OpsETL

/// docs/partitioned.md, "The intermediate format": rows survive a round trip exactly, block by
/// block; a damaged, truncated or foreign file is refused naming it; and the partition of a key is
/// the same in every process.
@Suite struct PartFileTests {
    static func temp(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("partfile-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// A field list as `RawFieldLog` writes it.
    static func list(_ fields: [String]) -> [UInt8] {
        var inner = PartWriter()
        inner.u32(UInt32(fields.count))
        for f in fields { inner.string(f) }
        var w = PartWriter()
        w.u32(UInt32(inner.count))
        w.append(inner.bytes)
        return w.bytes
    }

    @Test func rowsRoundTripExactlyAcrossBlocks() throws {
        let path = Self.temp("part-3.bin")
        // Blocks of 64 bytes: every few rows start a new block.
        var w = try PartRowsWriter(path: path, kind: .mapPartition, source: 7, target: 3, partitions: 16, flushBytes: 64)
        let ghostFields = ["o1", " ghost ", "", "-1.2345"]
        for i in 0..<40 {
            try w.row(.users) {
                PartRows.writeUser(&$0, ordinal: PartRows.ordinal(file: 1, index: Int32(i)), id: "u-é\(i)",
                                   signupAt: Instant(seconds: 1_700_000_000 + Int64(i), nanos: 5), signupDate: LocalDate(days: 19_676),
                                   channel: "facebook", country: i % 2 == 0 ? nil : "DE")
            }
        }
        try w.row(.sales) { w in
            w.i64(PartRows.ordinal(file: 0, index: 2))
            w.i32(4)
            var order = "o1", user = "ghost"
            order.withUTF8 { w.bytes($0) }
            user.withUTF8 { w.bytes($0) }
            w.instant(Instant(seconds: -3))
            w.date(LocalDate(days: -1))
            w.i64(-12_345)
            w.bool(false)
            w.bool(true)
            w.bool(true)   // the fields follow (an unknown user's row)
            w.append(Self.list(ghostFields))
        }
        try w.row(.spend) {
            PartRows.writeSpend(&$0, ordinal: PartRows.ordinal(file: 0, index: 0),
                                row: SpendRow(date: LocalDate(days: 3), channel: "google", campaign: "C,1", spend: 10_000, impressions: nil, clicks: 5))
        }
        try w.finish()

        var r = try PartRowsReader(path: path, kind: .mapPartition)
        #expect(r.source == 7 && r.target == 3 && r.partitions == 16)
        var users: [(Int64, String, String?)] = [], blocks = 0
        var sale: PartRows.Sale?, fields: [String] = [], spend: SpendRow?
        try r.forEachBlock { kind, n, b in
            blocks += 1
            for _ in 0..<n {
                switch kind {
                case .users:
                    let u = try PartRows.readUser(&b)
                    users.append((u.ordinal, PartRows.string(u.id, in: b.bytes), u.country.map { PartRows.string($0, in: b.bytes) }))
                case .sales:
                    sale = try PartRows.readSale(&b)
                    fields = try PartRows.fields(try #require(sale!.fields), in: b.bytes, name: path)
                    #expect(PartRows.string(sale!.userId, in: b.bytes) == "ghost")
                case .spend: spend = try PartRows.readSpend(&b).row
                case .events: Issue.record("no events were written")
                }
            }
        }
        #expect(blocks > 3)
        #expect(users.count == 40 && users[39].0 == PartRows.ordinal(file: 1, index: 39) && users[39].1 == "u-é39" && users[39].2 == "DE")
        #expect(users[0].2 == nil)
        #expect(sale?.amount == -12_345 && sale?.updatedAt == nil && sale?.excluded == true && sale?.line == 4 && fields == ghostFields)
        #expect(spend == SpendRow(date: LocalDate(days: 3), channel: "google", campaign: "C,1", spend: 10_000, impressions: nil, clicks: 5))
        #expect(PartRows.fileOf(PartRows.ordinal(file: 5, index: -1)) == 5)
        #expect(PartRows.ordinal(file: 0, index: Int32.max) < PartRows.ordinal(file: 1, index: 0))
    }

    @Test func aOneBlockFileHasTheDocumentedLayout() throws {
        let file = PartFile.encode(.context, payload: [1, 2, 3])
        // magic 11, version 2, kind 1, block length 4, payload 3, end mark 4, counts 16, XXH64 8.
        #expect(file.count == 14 + 4 + 3 + 4 + 16 + 8)
        #expect(Array(file[0..<11]) == Array("OPSETL-PART".utf8) && file[11] == 2 && file[12] == 0 && file[13] == 3)
        let (kind, r) = try PartFile.decode(file, name: "c.bin", expecting: .context)
        #expect(kind == .context && Array(r.bytes[r.offset..<r.end]) == [1, 2, 3])
    }

    @Test func damagedFilesAreRefusedNamingThem() throws {
        let good = PartFile.encode(.context, payload: [1, 2, 3])
        var flipped = good
        flipped[18] ^= 0x80   // a payload byte
        #expect(throws: OpsError.runtime("c.bin: intermediate file is corrupt (checksum mismatch)")) {
            try PartFile.decode(flipped, name: "c.bin")
        }
        #expect(throws: OpsError.runtime("c.bin: is a context file, not a file of kind analyze partial")) {
            try PartFile.decode(good, name: "c.bin", expecting: .partial)
        }
        var older = good
        older[11] = 1
        #expect(throws: OpsError.runtime("c.bin: intermediate format version 1, this opsetl reads version 2 (re-run the stages with one opsetl binary)")) {
            try PartFile.decode(older, name: "c.bin")
        }
        #expect(throws: OpsError.self) { try PartFile.decode(Array(good.dropLast()), name: "c.bin") }

        // Streaming: a truncated rows file fails at its end, naming it.
        let path = Self.temp("part-0.bin")
        var w = try PartRowsWriter(path: path, kind: .dedupePartition, source: 0, target: 0, partitions: 1, flushBytes: 32)
        for i in 0..<10 {
            try w.row(.users) {
                PartRows.writeUser(&$0, ordinal: Int64(i), id: "u\(i)", signupAt: Instant(seconds: 0), signupDate: LocalDate(days: 0),
                                   channel: "x", country: nil)
            }
        }
        try w.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.dropLast(20).write(to: URL(fileURLWithPath: path))
        #expect(throws: OpsError.runtime("\(path): intermediate file is truncated or corrupt (truncated)")) {
            var r = try PartRowsReader(path: path, kind: .dedupePartition)
            try r.forEachBlock { _, n, b in for _ in 0..<n { _ = try PartRows.readUser(&b) } }
        }
    }

    /// The checksum is XXH64 with seed 0: the published vectors (and Python's `xxhash` on a longer
    /// input), fed whole and in uneven pieces.
    @Test func theChecksumIsXXH64() {
        func hex(_ bytes: [UInt8]) -> UInt64 {
            var c = PartChecksum()
            c.update(bytes)
            return c.finalize()
        }
        #expect(hex([]) == 0xEF46_DB37_51D8_E999)
        #expect(hex(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(hex(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        let long = Array((0..<3).flatMap { _ in (0...255).map { UInt8($0) } }) + Array("xyz".utf8)
        #expect(hex(long) == 0xE921_A1B4_5BD7_79F8)
        var pieces = PartChecksum()
        var at = 0
        for size in [1, 7, 31, 33, 64, 5, 1000] where at < long.count {
            let end = min(long.count, at + size)
            pieces.update(Array(long[at..<end]))
            at = end
        }
        #expect(pieces.finalize() == 0xE921_A1B4_5BD7_79F8)
    }

    /// FNV-1a 64 of "a" is 0xAF63DC4C8601EC8C (the published test vector); mod 16 that is 12.
    @Test func aKeysPartitionIsFNV1aModP() {
        #expect(PartRows.partition(of: "a", partitions: 16) == 12)
        #expect(PartRows.partition(of: "", partitions: 7) == Int(0xCBF2_9CE4_8422_2325 % UInt64(7)))
        #expect(PartRows.partition(of: "anything", partitions: 1) == 0)
    }
}
