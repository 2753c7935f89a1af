import Foundation
import Testing
@testable import OpsETL
import OpsETLFuzzTargets

/// Every input the fuzzers found a crash or a broken invariant with (`fuzz/regressions/<target>/`),
/// and every seed (`fuzz/corpus/<target>/`), run through the same checks as under libFuzzer.
@Suite struct FuzzRegressionTests {
    static func inputs(_ folder: String, _ target: FuzzTarget) -> [String] {
        let dir = repositoryRoot.appendingPathComponent("fuzz/\(folder)/\(target.rawValue)")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0).path }
    }

    static let regressions = FuzzTarget.allCases.flatMap { t in inputs("regressions", t).map { FuzzCase(target: t, path: $0) } }
    static let seeds = FuzzTarget.allCases.flatMap { t in inputs("corpus", t).map { FuzzCase(target: t, path: $0) } }

    struct FuzzCase: CustomTestStringConvertible, Sendable {
        let target: FuzzTarget
        let path: String
        var testDescription: String { "\(target.rawValue)/\(URL(fileURLWithPath: path).lastPathComponent)" }
    }

    @Test(arguments: regressions)
    func crashFoundByFuzzingStaysFixed(_ input: FuzzCase) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input.path)))
        #expect(input.target.check(bytes) == [])
    }

    @Test func seedCorpusKeepsEveryInvariant() throws {
        #expect(Self.seeds.count >= 60)
        for input in Self.seeds {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input.path)))
            #expect(input.target.check(bytes) == [], "\(input.testDescription)")
        }
    }

    /// The first fuzz finding: a header cell holding U+0085 (NEL) made the "required column not
    /// found" error two lines. Error messages now escape control characters and line separators.
    @Test func errorMessagesAreOneLine() {
        #expect(OpsError.runtime("a\u{85}b\nc\r\td\u{2028}e\u{7F}").message == #"a\u{85}b\nc\r\td\u{2028}e\u{7F}"#)
        #expect(OpsError.configuration("héllo, 世界").message == "héllo, 世界")
    }
}
