import Synchronization

/// Clean/Values: `channel` fields (raw UTF-8 bytes or a `String`) → the canonical channel name.
///
/// SPEC §3.3 "Channel names: trimmed, inner whitespace collapsed, lower-cased, then mapped
/// through `channel_aliases` (whose keys are normalised the same way). A null channel is
/// `unknown`." and §9 "Alias values are normalised like keys; aliases apply once, no chains."
/// The result feeds the channels dedupe key (§9) and the ROI rows (§4.3), so `Facebook  Ads`,
/// `facebook ads` and an alias of it must all become one string.
///
/// Cost: ASCII input (the usual case) is normalised in one pass into a stack buffer; names of
/// up to 15 bytes become small `String`s that need no heap allocation. Other input takes the
/// general path with full Unicode lower-casing.
public struct ChannelNormalizer: Sendable {
    /// The name of a null (empty after trimming) channel.
    public static let unknown = "unknown"

    /// Normalised alias key → normalised value, and whether any name met it (SPEC §9 `unused_alias`).
    private let aliases: [String: (value: String, used: AliasUse)]

    /// aliases as written in the pipeline; keys AND values are normalised the same way; aliases apply once, no chains.
    ///
    /// Keys that normalise to nothing are ignored (no name can reach them). When two keys normalise
    /// alike (`"FB"`, `"fb "`), the one first in byte order wins so a run never depends on dictionary
    /// order; `collisions(in:)` lets pipeline validation report such keys instead.
    public init(aliases: [String: String]) {
        var map: [String: (value: String, used: AliasUse)] = [:]
        for key in aliases.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let k = ChannelNormalizer.clean(key)
            guard !k.isEmpty, map[k] == nil else { continue }
            let v = ChannelNormalizer.clean(aliases[key]!)
            map[k] = (v.isEmpty ? ChannelNormalizer.unknown : v, AliasUse())
        }
        self.aliases = map
    }

    /// The normalised alias keys some name has met since this normaliser was made (its copies
    /// share the record). Make a separate normaliser for names that are not data (a target's channel).
    public var usedAliasKeys: Set<String> {
        Set(aliases.filter { $0.value.used.wasUsed }.keys)
    }

    /// The normalised form of an alias key as written (`"Facebook Ads"` → `facebook ads`).
    public static func normalizedKey(_ key: String) -> String { clean(key) }

    /// Groups of alias keys that normalise to the same name but map to different values.
    public static func collisions(in aliases: [String: String]) -> [[String]] {
        var byKey: [String: [String]] = [:]
        for key in aliases.keys { byKey[clean(key), default: []].append(key) }
        return byKey.values
            .filter { keys in Set(keys.map { clean(aliases[$0]!) }).count > 1 }
            .map { $0.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) }
            .sorted(by: { $0[0].utf8.lexicographicallyPrecedes($1[0].utf8) })
    }

    /// SPEC §3.3: trimmed, runs of inner (Unicode) whitespace collapsed to one space, lower-cased, then mapped
    /// through the aliases. Empty → "unknown" (a null channel is not looked up in the aliases).
    public func normalize(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let name = ChannelNormalizer.clean(bytes)
        if name.isEmpty { return ChannelNormalizer.unknown }
        if aliases.isEmpty { return name }
        guard let alias = aliases[name] else { return name }
        alias.used.mark()
        return alias.value
    }

    /// The same as `normalize(_:)` on the string's UTF-8 bytes.
    public func normalize(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { normalize($0) }
    }

    // MARK: - Normalisation without aliases

    static func clean(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { clean($0) }
    }

    /// Trim, collapse whitespace runs to one U+0020, lower-case. Empty input gives "".
    static func clean(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        let t = ByteTrim.trim(raw)
        if t.isEmpty { return "" }
        let ascii: String? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: t.count) { out in
            var k = 0
            var pendingSpace = false
            for b in t {
                guard b < 0x80 else { return nil }
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    pendingSpace = true                      // trimmed, so a space is always followed by text
                    continue
                }
                if pendingSpace {
                    out[k] = 0x20
                    k += 1
                    pendingSpace = false
                }
                out[k] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
                k += 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: out[0..<k]), as: UTF8.self)
        }
        return ascii ?? cleanUnicode(t)
    }

    /// General path: whitespace per Unicode White_Space (`ByteTrim`), lower-casing per Unicode.
    private static func cleanUnicode(_ t: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(t.count)
        var i = 0
        var pendingSpace = false
        while i < t.count {
            let w = ByteTrim.whitespaceLength(at: i, in: t)
            if w > 0 {
                pendingSpace = true
                i += w
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            // Copy one whole scalar so a multi-byte character is never split.
            let lead = t[i]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let stop = min(i + length, t.count)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: t[i..<stop]))
            i = stop
        }
        return String(decoding: out, as: UTF8.self).lowercased()
    }
}

/// Whether an alias was met; set from any cleaning thread. After the first time only a relaxed
/// load per aliased value, so the shared flag costs nothing measurable per row.
final class AliasUse: Sendable {
    private let flag = Atomic<Bool>(false)

    @inline(__always) func mark() {
        if !flag.load(ordering: .relaxed) { flag.store(true, ordering: .relaxed) }
    }

    var wasUsed: Bool { flag.load(ordering: .relaxed) }
}
