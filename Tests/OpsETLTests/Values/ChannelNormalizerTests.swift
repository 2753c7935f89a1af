import Testing
@testable import OpsETL

/// SPEC §3.3 "Channel names" and §9 "Alias values are normalised like keys; aliases apply once, no chains."
@Suite("ChannelNormalizer")
struct ChannelNormalizerTests {
    static func normalize(_ text: String, _ aliases: [String: String] = [:]) -> String {
        let normalizer = ChannelNormalizer(aliases: aliases)
        let viaBytes = ValueTestBytes.with(text) { normalizer.normalize($0) }
        let viaString = normalizer.normalize(text)
        #expect(viaBytes == viaString)
        return viaBytes
    }

    @Test("trim, collapse, lower-case", arguments: [
        ("  Facebook   Ads ", "facebook ads"),
        ("Facebook\tAds", "facebook ads"),
        ("a \t\n b", "a b"),
        ("GOOGLE", "google"),
        ("google", "google"),
        ("A-B_C.D/1", "a-b_c.d/1"),
        ("A very long Channel name over fifteen bytes", "a very long channel name over fifteen bytes"),
        ("\u{00A0}Facebook\u{00A0}\u{00A0}Ads\u{3000}", "facebook ads"),
        ("TikTok\u{2003}\u{2003}Ads", "tiktok ads"),
        ("ÉCOLE  Ads", "école ads"),
        ("微信\u{3000}广告", "微信 广告"),
        ("ÀÉÎ", "àéî"),
        ("x\u{200B}Y", "x\u{200B}y"),             // zero-width space is not whitespace: kept
        ("", "unknown"),
        ("   ", "unknown"),
        ("\u{3000}\u{00A0}\t", "unknown"),
    ] as [(String, String)])
    func plain(_ text: String, _ expected: String) {
        #expect(Self.normalize(text) == expected)
    }

    static let pipelineAliases = ["fb": "Facebook", "Facebook Ads": "facebook"]

    @Test("aliases: keys and values normalised", arguments: [
        ("fb", "facebook"),
        ("FB", "facebook"),
        (" Fb\u{00A0}", "facebook"),
        ("Facebook Ads", "facebook"),
        ("  facebook\u{00A0}  ADS ", "facebook"),
        ("Facebook", "facebook"),
        ("facebook", "facebook"),
        ("Google", "google"),
        ("fbads", "fbads"),
        ("", "unknown"),
    ] as [(String, String)])
    func aliases(_ text: String, _ expected: String) {
        #expect(Self.normalize(text, Self.pipelineAliases) == expected)
    }

    @Test("aliases apply once, no chains", arguments: [
        ("a", "b"), ("A", "b"), ("b", "c"), ("c", "c"),
    ] as [(String, String)])
    func noChains(_ text: String, _ expected: String) {
        #expect(Self.normalize(text, ["a": "B", "b": "C"]) == expected)
    }

    @Test func aliasKeyWithInnerWhitespace() {
        #expect(Self.normalize("paid search", [" Paid   Search ": "SEM"]) == "sem")
    }

    @Test func aliasToNothingIsUnknown() {
        #expect(Self.normalize("N/A", ["n/a": "  "]) == "unknown")
    }

    /// A null channel is `unknown` without an alias lookup; the written name `Unknown` is a name like any other.
    @Test func nullChannelIsNotAliased() {
        let aliases = ["unknown": "organic"]
        #expect(Self.normalize("", aliases) == "unknown")
        #expect(Self.normalize(" Unknown ", aliases) == "organic")
    }

    @Test func collidingKeysResolveByByteOrderAndAreReported() {
        let aliases = ["fb": "Facebook", "FB": "Meta", "Google": "google", "GOOGLE ": "Google"]
        #expect(Self.normalize("fb", aliases) == "meta")                 // "FB" sorts before "fb"
        #expect(Self.normalize("google", aliases) == "google")
        #expect(ChannelNormalizer.collisions(in: aliases) == [["FB", "fb"]])
        #expect(ChannelNormalizer.collisions(in: Self.pipelineAliases).isEmpty)
    }
}
