import Foundation
import Testing
@testable import OpsETL

/// `DataFacts`' channel sets (SPEC §9 warnings: a channel named in a setting that no user or spend
/// row has): every user's channel is in `allChannels`, and in `roiChannels` when the user signed up
/// in range, whether the shop has a few channels (matched in a short list) or many (hashed).
@Suite struct DataFactsTests {
    @Test(arguments: [1, 5, 32, 33, 200])
    func channelSetsMatchASetOfEveryUser(channels: Int) {
        var rng = SampleRandom(seed: UInt64(channels), stream: 0)   // deterministic, as the sample shop's
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
