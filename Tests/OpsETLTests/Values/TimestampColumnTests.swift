import Testing
@testable import OpsETL

/// Issue 15: `TimestampColumn` (a column's values read with memory of the value before) and
/// `ZoneMemo` give exactly the answers of `TimestampParser.parse` / `ZoneRules`, whatever the order
/// of the values. Goldens worked out by hand from 2025-03-30T00:00Z = 1 743 292 800
/// (2025-01-01T00:00Z = 1 735 689 600, plus 31 + 28 + 29 days).
@Suite("TimestampColumn")
struct TimestampColumnTests {
    static let berlin = ZoneRules(identifier: "Europe/Berlin")!

    /// Values through one column, in order: each instant (nil = bad timestamp) and its local date.
    static func read(_ texts: [String], zone: ZoneRules, values: ValueReader = ValueReader()) -> [(Instant?, LocalDate?)] {
        var column = TimestampColumn(values: values, zone: zone)
        return texts.map { text in
            ValueTestBytes.with(text) { b in
                let instant = column.parse(b)
                return (instant, instant.map { column.localDate(of: $0) })
            }
        }
    }

    @Test("the DST day in Berlin, the date remembered from row to row")
    func berlinSpringForward() {
        let day: Int64 = 1_743_292_800
        let got = Self.read([
            "2025-03-30 01:30:00",      // CET: 00:30Z
            "2025-03-30 02:30:00",      // in the gap: read with the offset before it → 03:30 CEST = 01:30Z
            "2025-03-30 03:30:00",      // CEST: 01:30Z
            "2025-03-30T01:30:00Z",
            "2025-03-30T23:30:00+02:00",  // 21:30Z, local 23:30 on the 30th
            "2025-03-30T23:30:00+0200x", // trailing byte: a reject, date remembered or not
            "2025-03-31T00:30:00Z",     // 02:30 CEST on the 31st
            "1743298200",               // an epoch (10 digits) after a remembered date
            "2025-03-3",                // too short
            "2025-02-30 01:00:00",      // no such date
        ], zone: Self.berlin)
        let date30 = LocalDate(year: 2025, month: 3, day: 30)!, date31 = LocalDate(year: 2025, month: 3, day: 31)!
        let expected: [(Int64?, LocalDate?)] = [
            (day + 1_800, date30), (day + 5_400, date30), (day + 5_400, date30), (day + 5_400, date30),
            (day + 77_400, date30), (nil, nil), (day + 86_400 + 1_800, date31), (day + 5_400, date30), (nil, nil), (nil, nil),
        ]
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            #expect(g.0?.seconds == e.0)
            #expect(g.0?.nanos ?? 0 == 0)
            #expect(g.1 == e.1)
        }
    }

    @Test("random values in random order: the same answers as TimestampParser and ZoneRules", arguments: [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "UTC+8", "America/Sao_Paulo",
    ])
    func sameAsGeneralParser(zoneName: String) {
        let zone = ZoneRules(identifier: zoneName)!
        var rng = SampleRandom(seed: UInt64(zoneName.utf8.count) &* 0x9E37, stream: 0)
        var texts: [String] = []
        var previous = "2025-03-30 02:30:00"
        for _ in 0..<20_000 {
            let text: String
            switch rng.next() % 10 {
            case 0: text = previous                                            // the same value again
            case 1, 2: text = String(previous.prefix(10)) + Self.tail(&rng)   // same date, another time
            case 3: text = Self.mutate(previous, &rng)                       // one byte changed, dropped or added
            case 4: text = String(rng.next() % 10_000_000_000)               // epochs and near-epochs
            default: text = Self.date(&rng) + Self.tail(&rng)
            }
            texts.append(text)
            previous = text
        }
        let got = Self.read(texts, zone: zone)
        for (text, (instant, date)) in zip(texts, got) {
            let expected = ValueTestBytes.with(text) { TimestampParser.parse($0, zone: zone) }
            #expect(instant == expected, "\(text) in \(zoneName)")
            #expect(date == expected.map { zone.localDate(of: $0) }, "\(text) in \(zoneName)")
        }
    }

    @Test("with timestamp_formats the patterns still come first")
    func patternsFirst() throws {
        let values = ValueReader(timestamps: TimestampFormats([try TimestampPattern("DD/MM/YYYY")]))
        let got = Self.read(["2025-03-30", "30/03/2025", "2025-03-30 01:30:00"], zone: Self.berlin, values: values)
        // 30/03/2025 local midnight CET = 2025-03-29T23:00Z.
        #expect(got.map { $0.0?.seconds } == [1_743_289_200, 1_743_289_200, 1_743_294_600])
    }

    @Test("ZoneMemo: the same offsets, local dates and instants as ZoneRules, near and far jumps, before 1800 and after 2500")
    func zoneMemo() {
        for name in ["Europe/Berlin", "Australia/Lord_Howe", "America/New_York", "Europe/Moscow", "UTC"] {
            let zone = ZoneRules(identifier: name)!
            var memo = ZoneMemo(zone)
            var rng = SampleRandom(seed: 7, stream: 0)
            var t: Int64 = 1_743_292_800
            for _ in 0..<50_000 {
                switch rng.next() % 8 {
                case 0: t = Int64(bitPattern: rng.next() % 40_000_000_000) - 12_000_000_000   // 1589 … 2887
                case 1: t += Int64(rng.next() % 7_200) - 3_600
                default: t += Int64(rng.next() % 200_000) - 100_000
                }
                let instant = Instant(seconds: t, nanos: 0)
                #expect(memo.offsetSeconds(atUTC: t) == zone.offsetSeconds(at: instant), "\(name) \(t)")
                #expect(memo.localDate(of: instant) == zone.localDate(of: instant), "\(name) \(t)")
                #expect(memo.instant(fromLocalSeconds: t, nanos: 5) == zone.instant(fromLocalSeconds: t, nanos: 5), "\(name) \(t)")
            }
        }
    }

    @Test("HH:MM:SS read in one word: the same as digit by digit, for every shape and range miss")
    func oneWordTime() {
        /// Reference: nil unless digits and colons are where `HH:MM:SS` has them; then nil inside when out of range.
        func reference(_ b: [UInt8]) -> Int64?? {
            for k in [0, 1, 3, 4, 6, 7] where !(48...57).contains(b[k]) { return nil }
            guard b[2] == 58, b[5] == 58 else { return nil }
            func v(_ k: Int) -> Int64 { Int64(b[k] - 48) * 10 + Int64(b[k + 1] - 48) }
            guard v(0) <= 23, v(3) <= 59, v(6) <= 59 else { return .some(nil) }
            return .some(v(0) * 3_600 + v(3) * 60 + v(6))
        }
        var rng = SampleRandom(seed: 15, stream: 0)
        let alphabet = Array("0123456789:/.9Z\u{00}\u{7F}".utf8) + [0x2F, 0x3A, 0x3B, 0x40, 0xB0, 0xFF]
        var checked = 0
        for h in 0..<30 {
            for m in stride(from: 0, to: 70, by: 7) {
                for sec in [0, 9, 10, 59, 60, 99] {
                    var b = Array("\(Self.two(UInt64(h))):\(Self.two(UInt64(m))):\(Self.two(UInt64(sec)))".utf8)
                    if rng.next() % 3 == 0 { b[Int(rng.next() % 8)] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                    let got = b.withUnsafeBufferPointer { TimestampParser.hhmmss($0, at: 0) }
                    #expect(got == reference(b), "\(b)")
                    checked += 1
                }
            }
        }
        #expect(checked == 1_800)
        // Worked by hand: 23:59:59 is 86 399 s; 24:00:00 has the shape but no such hour; 12-34-56 has not the shape.
        #expect(Array("23:59:59".utf8).withUnsafeBufferPointer { TimestampParser.hhmmss($0, at: 0) } == .some(86_399))
        #expect(Array("24:00:00".utf8).withUnsafeBufferPointer { TimestampParser.hhmmss($0, at: 0) } == .some(nil))
        #expect(Array("12-34-56".utf8).withUnsafeBufferPointer { TimestampParser.hhmmss($0, at: 0) } == nil)
    }

    // MARK: - Random values (SampleRandom: the generator's SplitMix64)

    static func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static func date(_ rng: inout SampleRandom) -> String {
        let years: [UInt64] = [1899, 1900, 1969, 1970, 2024, 2025, 2025, 2025, 2199, 2200, 2600]
        let year = years[Int(rng.next() % UInt64(years.count))]
        let sep = rng.next() % 8 == 0 ? "/" : "-"
        return "\(year)\(sep)\(two(1 + rng.next() % 12))\(sep)\(two(1 + rng.next() % 31))"
    }

    static func tail(_ rng: inout SampleRandom) -> String {
        var s = ""
        switch rng.next() % 6 {
        case 0: return s
        case 1: s = "T"
        default: s = " "
        }
        s += "\(two(rng.next() % 25)):\(two(rng.next() % 60))"
        if rng.next() % 4 != 0 { s += ":\(two(rng.next() % 61))" }
        if rng.next() % 3 == 0 { s += "." + String(rng.next() % 1_000_000).prefix(Int(1 + rng.next() % 6)) }
        switch rng.next() % 5 {
        case 0: s += "Z"
        case 1: s += "+0\(rng.next() % 10):\(rng.next() % 2 == 0 ? "00" : "30")"
        case 2: s += "-0530"
        default: break
        }
        return s
    }

    static func mutate(_ text: String, _ rng: inout SampleRandom) -> String {
        var bytes = Array(text.utf8)
        let alphabet = Array("0123456789-/:.TZ +x".utf8)
        let i = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
        switch rng.next() % 3 {
        case 0 where !bytes.isEmpty: bytes[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
        case 1 where !bytes.isEmpty: bytes.remove(at: i)
        default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
