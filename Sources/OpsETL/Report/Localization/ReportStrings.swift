import Foundation

/// Report: the words of the report and of the suggestion texts in one language — one string
/// table per language (`Report/Strings/<language>.json`, compiled into the binary).
///
/// Code never branches on the language: it asks the table for a key and fills `{placeholders}`.
/// A test checks that every table has the same keys and the same placeholders per key, so a
/// missing translation fails the build's tests rather than a report at night.
public struct ReportStrings: Sendable {
    public let language: ReportLanguage
    private let table: [String: String]

    public init(_ language: ReportLanguage) {
        self.language = language
        self.table = Self.load(Self.bytes(language))
    }

    /// The text for `key`; a missing key is a programming error (the tables are checked by tests).
    public subscript(_ key: String) -> String {
        guard let text = table[key] else { preconditionFailure("string table \(language.rawValue) has no key \(key)") }
        return text
    }

    /// The text for `key` with each `{name}` replaced by `values[name]`.
    public func format(_ key: String, _ values: [String: String]) -> String {
        Self.fill(self[key], values)
    }

    /// Every key, for tests.
    public var keys: Set<String> { Set(table.keys) }

    /// The whole table, for the templates (`{{t.section_goals}}`).
    var all: [String: String] { table }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                out += rest[open...]
                return out
            }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] {
                out += value
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private static func bytes(_ language: ReportLanguage) -> [UInt8] {
        switch language {
        case .en: PackageResources.en_json
        case .zh: PackageResources.zh_json
        }
    }

    private static func load(_ bytes: [UInt8]) -> [String: String] {
        guard let table = try? JSONDecoder().decode([String: String].self, from: Data(bytes)) else {
            preconditionFailure("a built-in string table is not a JSON object of strings")
        }
        return table
    }
}
