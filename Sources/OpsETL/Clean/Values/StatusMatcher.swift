/// Clean/Values: whether a `status` field (trimmed bytes) is one of `exclude_statuses`.
///
/// SPEC §3.3 "Status: compared case-insensitively after trimming" and §3.4 step 5. Rows keep
/// only this one bit, not the status text: exclusion is all any later stage asks of it.
/// ASCII statuses are lower-cased byte by byte; others take `String.lowercased()`.
struct StatusMatcher: Sendable {
    private let excluded: [[UInt8]]
    private let excludedStrings: Set<String>

    init(excludeStatuses: [String]) {
        excludedStrings = Set(excludeStatuses.map { $0.lowercased() })
        excluded = excludedStrings.map { Array($0.utf8) }
    }

    @inline(__always)
    func isExcluded(_ status: UnsafeBufferPointer<UInt8>) -> Bool {
        if status.isEmpty { return false }
        var ascii = true
        for candidate in excluded where candidate.count == status.count {
            var same = true
            for i in 0..<status.count {
                let b = status[i]
                if b >= 0x80 { ascii = false; same = false; break }
                let lower = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
                if lower != candidate[i] { same = false; break }
            }
            if same { return true }
        }
        if !ascii || status.contains(where: { $0 >= 0x80 }) {
            return excludedStrings.contains(String(decoding: status, as: UTF8.self).lowercased())
        }
        return false
    }
}
