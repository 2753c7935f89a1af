import Foundation

/// Lexical path arithmetic for the pipeline file (SPEC §2: relative paths resolve against
/// the pipeline file's folder, not the working directory, so a cron job works anywhere).
///
/// Purely textual on purpose: input paths may be globs (`sales_*.csv`) and the output
/// folder holds placeholders (`{as_of}`), neither of which exists on disk yet, so nothing
/// here touches the file system or resolves symbolic links.
enum PipelinePaths {
    /// `path` made absolute against `base` (itself absolute) and normalised.
    static func absolute(_ path: String, relativeTo base: String) -> String {
        normalized(path.hasPrefix("/") ? path : base + "/" + path)
    }

    /// `path` made absolute against the process's working directory.
    static func absoluteFromWorkingDirectory(_ path: String) -> String {
        absolute(path, relativeTo: FileManager.default.currentDirectoryPath)
    }

    /// Removes empty and `.` components and folds `..` into its parent (`..` at the root
    /// stays at the root). Glob characters and placeholders pass through untouched.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The folder of an absolute, normalised path (`/` for a file at the root).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The last component without its extension: `pipelines/shop.json` → `shop`.
    /// A leading dot is part of the name (`.hidden` stays `.hidden`).
    static func stem(of path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return last }
        return String(last[..<dot])
    }
}
