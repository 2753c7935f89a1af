@testable import OpsETL

/// Test support for Clean/Values: runs a byte-level parser on a string's UTF-8, the way
/// the CSV reader hands fields over.
enum ValueTestBytes {
    static func with<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        // Copy into an exact-size array so a parser reading past `count` would be caught by ASan/bounds.
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { body($0) }
    }

    /// The trimmed bytes as a String (for asserting on `ByteTrim`).
    static func trimmed(_ text: String) -> String {
        with(text) { String(decoding: ByteTrim.trim($0), as: UTF8.self) }
    }
}
