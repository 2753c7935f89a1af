/// Pipeline: the text encoding of an input's files (SPEC §2 `inputs.X.encoding`, §3.2).
///
/// Every encoding but UTF-8 is converted to UTF-8 (with glibc's `iconv`) before parsing, so the
/// stages after Ingest only ever see UTF-8. The last two cases are not settings: `opsetl inspect`
/// uses them to show a UTF-16 file that has no byte-order mark.
public enum InputEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    /// Also reads GBK and GB2312 (its subsets): what Excel writes on a Chinese system.
    case gb18030 = "gb18030"
    /// A byte-order mark (FF FE little-endian, FE FF big-endian) is required and decides the order.
    case utf16 = "utf-16"
    case windows1252 = "windows-1252"
    case utf16LittleEndianWithoutBOM = "utf-16le"
    case utf16BigEndianWithoutBOM = "utf-16be"

    /// The names `inputs.X.encoding` accepts, in the order messages list them.
    public static let settingNames = ["utf-8", "gb18030", "utf-16", "windows-1252"]

    /// The encoding a setting names (matched case-insensitively), or nil.
    public init?(setting: String) {
        let lower = setting.lowercased()
        guard InputEncoding.settingNames.contains(lower), let e = InputEncoding(rawValue: lower) else { return nil }
        self = e
    }

    /// How messages name it.
    public var displayName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .utf16: "UTF-16"
        case .windows1252: "Windows-1252"
        case .utf16LittleEndianWithoutBOM: "UTF-16 LE"
        case .utf16BigEndianWithoutBOM: "UTF-16 BE"
        }
    }
}
