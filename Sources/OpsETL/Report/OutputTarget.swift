import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Report: the folder a run publishes into — `output.dir` (or `--output`) with its placeholders
/// substituted → a checked `OutputTarget`, or exit 2 with nothing touched (SPEC §9 "Output
/// folder safety", §7).
///
/// A run replaces its output folder as a whole, so the folder must be one that holds nothing
/// but a report. It is replaced only when it
/// - does not exist,
/// - is empty, or
/// - is a previous opsetl report: it holds the marker file `.opsetl-report` that every run
///   writes (`OutputFolder.publish`), or — written by an opsetl from before the marker — every
///   name in it is one of opsetl's output files and its `summary.json` says `"tool": {"name":
///   "opsetl"}` or its `data_quality.csv` starts with opsetl's header (a `<dir>.failed`
///   folder has no summary).
///
/// Anything else is a configuration error (exit 2) naming the setting, before anything is
/// written or removed: the root folder; the working directory or a folder that contains it (an
/// empty `--output ""` or `--output .`); a folder that contains the pipeline file or an input
/// file (`"dir": "."`, `".."`, checked on the paths as written and on their real paths, so a
/// symbolic link does not hide it); a file or anything but a folder; a folder holding other
/// files. `PipelineJob` checks before reading any data when `as_of` is known, and
/// `OutputFolder.publish` checks the contents again just before the exchange.
///
/// A symbolic link to a folder is kept: the report is published into the link's target (the
/// exchange happens there), so a web root serving `latest -> 2025-06-30` keeps working.
public struct OutputTarget: Sendable, Equatable {
    /// The folder as named: absolute and normalised. The lock and `<dir>.failed` sit beside it.
    public let path: String
    /// Where the files go: `path`, or the real path of the folder a symbolic link at `path` points to.
    public let publishPath: String
    /// What named the folder, for messages: `<pipeline file>: output.dir` or `--output`.
    public let setting: String

    /// What a run must never replace: the pipeline file, the input files (globs are expanded
    /// here on their own; a glob that matches nothing protects nothing) and the working directory.
    public struct Protected: Sendable {
        public var pipelineFile: String
        /// Absolute input paths or globs (`InputSpec.resolvedPath`).
        public var inputs: [String]
        public var workingDirectory: String

        public init(pipelineFile: String, inputs: [String],
                    workingDirectory: String = FileManager.default.currentDirectoryPath) {
            self.pipelineFile = pipelineFile
            self.inputs = inputs
            self.workingDirectory = workingDirectory
        }
    }

    /// Checks `path` (absolute, placeholders substituted) against every rule of the type's summary.
    ///
    /// - Throws: `OpsError.configuration`, one line: `<setting>: <path> <what is wrong>; nothing was touched`.
    public static func resolve(_ path: String, setting: String, protecting protected: Protected) throws -> OutputTarget {
        let named = PipelinePaths.normalized(path)
        func refuse(_ problem: String) -> OpsError {
            OpsError.configuration("\(setting): \(named) \(problem); nothing was touched")
        }
        // `.` and `..` written in the setting are folded here, so the checks below judge the folder
        // they really name (`reports/..` is the pipeline's folder, which holds the pipeline file).
        guard named != "/" else { throw refuse("is the root folder; give the report its own folder such as reports/{as_of}") }

        var publish = named
        var info = stat()
        if lstat(named, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                break
            case S_IFLNK:
                var target = stat()
                guard stat(named, &target) == 0 else {
                    throw refuse("is a symbolic link to \(linkText(named)), which does not exist; create that folder or remove the link")
                }
                guard target.st_mode & S_IFMT == S_IFDIR else {
                    throw refuse("is a symbolic link to \(linkText(named)), which is not a folder")
                }
                publish = realPath(named) ?? named
            default:
                throw refuse("exists and is not a folder")
            }
        }

        // The folder and everything in it is replaced: nothing the run reads, or the place it runs from, may be inside.
        let real = realPath(publish) ?? publish
        func inside(_ candidate: String) -> Bool {
            let lexical = PipelinePaths.normalized(candidate)
            if contains(named, lexical) || contains(publish, lexical) { return true }
            if let resolved = realPath(lexical) { return contains(real, resolved) }
            return false
        }
        if inside(protected.workingDirectory) {
            throw refuse("is the working directory or contains it; give the report its own folder such as reports/{as_of}")
        }
        if inside(protected.pipelineFile) {
            throw refuse("contains the pipeline file \(protected.pipelineFile)")
        }
        for pattern in protected.inputs {
            for file in expand(pattern) where inside(file) {
                throw refuse("contains the input \(file)")
            }
        }

        let target = OutputTarget(path: named, publishPath: publish, setting: setting)
        try target.checkReplaceable()
        return target
    }

    /// `<dir>.failed` beside the folder (SPEC §5), checked by the same rules.
    public func failed(protecting protected: Protected) throws -> OutputTarget {
        try OutputTarget.resolve(path + ".failed", setting: setting, protecting: protected)
    }

    /// Throws unless `publishPath` does not exist, is an empty folder or holds a previous report.
    /// Called by `resolve` and again by `OutputFolder.publish` right before the exchange.
    public func checkReplaceable() throws {
        var info = stat()
        guard lstat(publishPath, &info) == 0 else { return }     // gone (or never there): nothing to lose
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw OpsError.configuration("\(setting): \(path) exists and is not a folder; nothing was touched")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: publishPath).sorted()
        } catch {
            throw OpsError.runtime("\(publishPath): cannot list the output folder: \((error as NSError).localizedDescription)")
        }
        guard !names.isEmpty, !OutputTarget.holdsReport(publishPath, names: names) else { return }
        // Name what is foreign first: that is what the user has to look at.
        let foreign = names.filter { !OutputTarget.reportFiles.contains($0) }
        let listed = foreign.isEmpty ? names : foreign
        let shown = listed.prefix(3).map { VisibleText.clipped($0, limit: 60) }.joined(separator: ", ")
            + (listed.count > 3 ? ", … (\(listed.count) in all)" : "")
        throw OpsError.configuration(
            "\(setting): \(path) holds files that are not an opsetl report (\(shown)); opsetl replaces only a folder "
            + "that does not exist, is empty or holds a previous report (marked by \(OutputTarget.markerName)); nothing was touched")
    }

    // MARK: - The marker and earlier reports

    /// The file every published folder holds (SPEC §9 "opsetl's own marker").
    public static let markerName = ".opsetl-report"
    /// Its bytes: the first line is what is recognised; the second tells a person what it means.
    public static let markerContents = Array(
        ("opsetl report\n"
         + "This folder is written by opsetl and replaced, with everything in it, by its next run of the same output folder.\n").utf8)

    /// Every name an opsetl report (or `<dir>.failed`) has held at top level (SPEC §7), and the
    /// names inside `rejects/`.
    static let reportFiles: Set<String> = [
        "cohort_retention.csv", "cohort_retention_matrix.csv", "day_retention.csv", "funnel.csv", "channel_roi.csv",
        "trends.csv", "kpi_changes.csv", "user_lifecycle.csv", "goals.csv", "suggestions.csv", "data_quality.csv",
        "summary.json", "report.md", "report.html", "rejects",
    ]
    static let rejectFiles: Set<String> = Set(InputKind.allCases.map { "\($0.rawValue).csv" })

    /// A folder written by opsetl: the marker, or (before the marker existed) only opsetl's names
    /// plus proof from `summary.json` or `data_quality.csv`.
    static func holdsReport(_ folder: String, names: [String]) -> Bool {
        if let head = firstLine(of: folder + "/" + markerName), head == "opsetl report" { return true }
        guard names.allSatisfy(reportFiles.contains) else { return false }
        if names.contains("rejects") {
            var info = stat()
            guard lstat(folder + "/rejects", &info) == 0, info.st_mode & S_IFMT == S_IFDIR,
                  let inner = try? FileManager.default.contentsOfDirectory(atPath: folder + "/rejects"),
                  inner.allSatisfy(rejectFiles.contains) else { return false }
        }
        if let data = FileManager.default.contents(atPath: folder + "/summary.json"),
           let summary = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let tool = summary["tool"] as? [String: Any], tool["name"] as? String == "opsetl" {
            return true
        }
        return firstLine(of: folder + "/data_quality.csv") == QualityTables.dataQualityHeader.joined(separator: ",")
    }

    /// The first line of a regular file (at most 4 KiB read), or nil.
    private static func firstLine(of path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return nil }
        let bytes = buffer[..<n]
        let end = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    // MARK: - `{name}` and paths

    /// `--output`'s value made absolute against the working directory; an empty value is refused
    /// (SPEC §9: in a cron line an unset `$DIR` would otherwise name the working directory).
    public static func commandLinePath(_ text: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw OpsError.configuration(
                "--output: \"\(text)\" is an empty path, which names the working directory; "
                + "give the report its own folder such as reports/{as_of}; nothing was touched")
        }
        return PipelinePaths.absoluteFromWorkingDirectory(text)
    }

    /// `output.dir` with `{as_of}` and `{name}` substituted; the name is made safe for one path
    /// component first (SPEC §9), so `"name": "../../tmp/x"` cannot leave the folder or nest one.
    public static func substitute(_ template: String, name: String, asOf: LocalDate) -> String {
        template
            .replacingOccurrences(of: "{as_of}", with: asOf.description)
            .replacingOccurrences(of: "{name}", with: safeComponent(name))
    }

    /// `name` as one path component: `/`, `\`, tab, LF, CR and every character `VisibleText`
    /// escapes become `_`, every `..` becomes `__`, and a name left empty or `.` becomes `_`.
    /// `shop/eu` → `shop_eu`, `..` → `__`, `../../tmp/x` → `______tmp_x`, `a..b` → `a__b`.
    public static func safeComponent(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            let unsafe = scalar == "/" || scalar == "\\" || scalar == "\t" || scalar == "\n" || scalar == "\r"
                || VisibleText.needsEscape(scalar)
            out.append(unsafe ? "_" : scalar)
        }
        var text = String(out).replacingOccurrences(of: "..", with: "__")
        if text.isEmpty || text == "." { text = "_" }
        return text
    }

    /// True when `path` is `folder` or lies inside it (both absolute and normalised).
    static func contains(_ folder: String, _ path: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder + "/")
    }

    /// The fully resolved path of an existing file or folder.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What a symbolic link holds, for messages.
    private static func linkText(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "(unreadable)"
    }

    /// The files a pattern names now: a glob's matches, or the path itself.
    private static func expand(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { i in result.gl_pathv[i].map { String(cString: $0) } }
    }
}
