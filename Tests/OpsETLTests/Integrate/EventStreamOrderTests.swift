import Foundation
import Testing
@testable import OpsETL

/// SPEC §4.2: the stream's total order is the instant, then the user's signup, its purchases and its event
/// rows, each in input order — which `EventStream` keeps by sorting each user's placement order stably.
@Suite struct EventStreamOrderTests {
    /// 300 events of one user at three instants given in descending time (event i at base + 2 − i mod 3 s), each
    /// under its own name so its position can be read back: sorted by instant, equal instants keep the order
    /// given (large enough for the standard library's merging sort, not only its insertion sort).
    @Test func equalInstantsKeepTheOrderTheyAreGivenIn() {
        let base = Instant(seconds: 1_736_467_200)
        let count = 300
        let entries = (0..<count).map { i in
            (user: Int32(0), event: EventStream.Event(name: Int32(i), at: base.adding(nanoseconds: Int64(2 - i % 3) * 1_000_000_000)))
        }
        let stream = EventStream(userCount: 1, names: (0..<count).map { "n\($0)" }, entries: entries)
        let expected = (0..<count).filter { $0 % 3 == 2 } + (0..<count).filter { $0 % 3 == 1 } + (0..<count).filter { $0 % 3 == 0 }
        #expect(stream.events(of: 0).map { Int($0.name) } == expected)
    }
}
