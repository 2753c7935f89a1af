import Dispatch
import Testing
@testable import OpsETL

/// `parallelMap` and `concurrently`: results and errors in the order given, whatever finishes
/// first, and `concurrently`'s two jobs really run side by side (each waits for the other).
@Suite struct ParallelTests {
    struct Failure: Error, Equatable { let which: String }

    @Test func parallelMapKeepsIndexOrder() throws {
        #expect(try parallelMap(0) { $0 } == [])
        #expect(try parallelMap(1) { $0 * 3 } == [0])
        #expect(try parallelMap(100) { $0 * $0 } == (0..<100).map { $0 * $0 })
    }

    @Test func parallelMapRethrowsTheLowestFailingIndex() {
        #expect(throws: Failure(which: "3")) {
            _ = try parallelMap(10) { i -> Int in
                if i == 3 || i == 7 { throw Failure(which: "\(i)") }
                return i
            }
        }
    }

    @Test func concurrentlyReturnsBothResultsInOrder() throws {
        let (a, b) = try concurrently({ "first" }, { [1, 2, 3] })
        #expect(a == "first")
        #expect(b == [1, 2, 3])
    }

    @Test func concurrentlyRunsTheJobsSideBySide() throws {
        // Each job signals, then waits for the other's signal: run one after the other, the first
        // would wait in vain (bounded, so a regression fails instead of hanging).
        let fromA = DispatchSemaphore(value: 0), fromB = DispatchSemaphore(value: 0)
        let (a, b) = try concurrently({ () -> Bool in
            fromA.signal()
            return fromB.wait(timeout: .now() + 30) == .success
        }, { () -> Bool in
            fromB.signal()
            return fromA.wait(timeout: .now() + 30) == .success
        })
        #expect(a && b)
    }

    @Test func concurrentlyRethrowsTheFirstJobsErrorFirst() {
        var secondRan = false
        #expect(throws: Failure(which: "a")) {
            _ = try concurrently({ () throws -> Int in throw Failure(which: "a") },
                                 { () throws -> Int in secondRan = true; throw Failure(which: "b") })
        }
        #expect(secondRan)   // joined before returning: no job is left running behind the caller
        #expect(throws: Failure(which: "b")) {
            _ = try concurrently({ 1 }, { () throws -> Int in throw Failure(which: "b") })
        }
    }

    @Test func concurrentlyLetsGoOfItsClosures() throws {
        // The second job's closure must not outlive the call (it is not escaping): many calls in a
        // row, each capturing a fresh object, and every object is freed when its call returns.
        final class Token { nonisolated(unsafe) static var alive = 0; init() { Token.alive += 1 }; deinit { Token.alive -= 1 } }
        for _ in 0..<200 {
            let token = Token()
            _ = try concurrently({ 0 }, { withExtendedLifetime(token) { 1 } })
        }
        #expect(Token.alive == 0)
    }
}
