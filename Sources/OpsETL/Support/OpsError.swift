/// The one error type that leaves the library, carrying the exit category of SPEC §8.
///
/// Stages throw it with a message that already names the file (and line, or JSON
/// path) at fault, so the CLI prints `message` as one line and exits with `kind`'s code.
public struct OpsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Which exit code the failure maps to (SPEC §8).
    public enum Kind: Int32, Sendable {
        /// Unreadable input, I/O error, non-UTF-8 data, a glob matching nothing: exit 1.
        case runtime = 1
        /// A usage or pipeline error, a missing required column: exit 2.
        case configuration = 2
        /// An input's reject rate exceeded `max_reject_rate`: exit 3.
        case qualityGate = 3
    }

    public var kind: Kind
    public var message: String
    /// Further lines printed after `message`, one error line each (the quality gate's one line
    /// per failing input, SPEC §5); each already one line.
    public var details: [String] = []

    /// `message` is made one line: control characters, bidirectional overrides and line
    /// separators that came from the data (a header name, a file name) are written as escapes
    /// such as `\n` or `\u{85}` (SPEC §9: they never reach a terminal raw).
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = OpsError.oneLine(message)
    }

    /// `VisibleText`'s escapes, plus tab, LF, CR, U+2028 and U+2029, which would break the line
    /// (found by fuzzing: a header cell holding U+0085 NEL split the error line).
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            let escaped: String
            switch scalar {
            case "\n": escaped = "\\n"
            case "\r": escaped = "\\r"
            case "\t": escaped = "\\t"
            default: escaped = VisibleText.escape(scalar)
            }
            out.append(contentsOf: escaped.unicodeScalars)
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        VisibleText.needsEscape(scalar) || scalar == "\n" || scalar == "\r" || scalar == "\t"
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    public static func runtime(_ message: String) -> OpsError { OpsError(.runtime, message) }
    public static func configuration(_ message: String) -> OpsError { OpsError(.configuration, message) }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }
}
