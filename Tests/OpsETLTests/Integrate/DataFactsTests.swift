import Foundation
import Testing
@testable import OpsETL

/// `DataFacts`' channel sets (SPEC §9 warnings: a channel named in a setting that no user or spend
/// row has): every user's channel is in `allChannels`, and in `roiChannels` when the user signed up
/// in range, whether the shop has a few channels (matched in a short list) or many (hashed).
@Suite struct DataFactsTests {
    @Test(arguments: [1, 5, 32, 33, 200])
    func channelSetsMatchASetOfEveryUser(channels: Int) {
        var rng = SplitMix(seed: UInt64(channels))
        let since = LocalDate(iso: "2025-03-01")!, asOf = LocalDate(iso: "2025-03-31")!
        let users = (0..<5_000).map { i -> IntegratedData.User in
            // Odd channels only ever sign up in February (out of range); the others February to April.
            let c = i < channels ? UInt64(i) : rng.next() % UInt64(channels)
            let date = LocalDate(iso: "2025-02-01")!.advanced(by: Int(rng.next() % (c % 2 == 1 ? 28 : 90)))
            let channel = "ch\(c)"
            return .init(id: "u\(i)", signupAt: Instant(seconds: 0), signupDate: date, channel: channel, country: nil)
        }
        let data = IntegratedData(zone: ZoneRules(identifier: "UTC")!, since: since, asOf: asOf, users: users, sales: [],
                                  spend: [], stream: EventStream(userCount: users.count, names: ["signup", "purchase"], entries: []),
                                  hasEventsInput: false, hasSpendInput: false)
        let facts = DataFacts(data)
        #expect(facts.allChannels == Set(users.map(\.channel)))
        #expect(facts.allChannels.count == channels)
        #expect(facts.roiChannels == Set(users.filter { $0.signupDate >= since && $0.signupDate <= asOf }.map(\.channel)))
        #expect(facts.roiChannels.allSatisfy { Int($0.dropFirst(2))! % 2 == 0 })
        #expect(facts.roiChannels.count == (channels + 1) / 2)
    }
}

/// A small deterministic generator (tests must not depend on the system's).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
