import Testing
@testable import OpsETL

/// Ids become exact 16-byte keys: equal exactly when the bytes are, long ids interned, and a
/// tuple key never equal to an id key (SPEC §9).
@Suite struct IdKeyTests {
    func key(_ s: String, _ ids: LongIds) -> IdKey {
        var copy = s
        return copy.withUTF8 { IdKey($0, longIds: ids) }
    }

    @Test(arguments: [("u1", "u1", true), ("u1", "U1", false), ("u1", "u10", false), ("", "", true),
                      ("abcdefghijklmno", "abcdefghijklmno", true), ("abcdefghijklmno", "abcdefghijklmnp", false),
                      ("a", "a\u{0}", false),
                      ("a-very-long-order-identifier-1", "a-very-long-order-identifier-1", true),
                      ("a-very-long-order-identifier-1", "a-very-long-order-identifier-2", false),
                      ("abcdefghijklmnop", "abcdefghijklmno", false)])
    func keysAreEqualExactlyWhenTheIdsAre(_ a: String, _ b: String, _ equal: Bool) {
        let ids = LongIds()
        #expect((key(a, ids) == key(b, ids)) == equal)
    }

    @Test func aTupleKeyNeverEqualsAnIdKey() {
        let ids = LongIds()
        #expect(key("e1", ids).asTuple != key("e1", ids))
        #expect(key("e1", ids).asTuple == key("e1", ids).asTuple)
        #expect(key("e1", ids).asTuple.isTuple && !key("e1", ids).isTuple)
    }

    @Test func knownUsersFindsEveryKeptIdAndNothingElse() {
        let ids = LongIds()
        let names = (0..<5_000).map { "user-\($0)" } + ["a-rather-long-user-identifier-x"]
        let known = KnownUsers(keys: names.map { key($0, ids) })
        for (i, n) in names.enumerated() { #expect(known.index(of: key(n, ids)) == Int32(i)) }
        #expect(known.index(of: key("user-5000", ids)) == nil)
        #expect(known.index(of: key("a-rather-long-user-identifier-y", ids)) == nil)
    }
}
