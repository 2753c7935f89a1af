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

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func runtime(_ message: String) -> OpsError { OpsError(.runtime, message) }
    public static func configuration(_ message: String) -> OpsError { OpsError(.configuration, message) }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }
}
