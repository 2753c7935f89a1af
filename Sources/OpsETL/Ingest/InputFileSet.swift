import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ingest: turns an `inputs.X.path` (a file or a glob) into the ordered list of files to read.
///
/// SPEC §2/§9: matched files are read in sorted path order, where sorted means byte
/// order (`sales_10.csv` before `sales_2.csv`); a glob matching nothing is a runtime error.
public struct InputFileSet: Sendable {
    public struct File: Sendable {
        /// Absolute path.
        public let path: String
        /// The path relative to the pipeline folder, as written into `rejects/` (SPEC §9).
        public let displayPath: String
    }

    public let kind: InputKind
    public let files: [File]

    /// Expands `spec.resolvedPath`; errors name the input and the pattern.
    public init(kind: InputKind, spec: InputSpec, baseDirectory: String) throws {
        self.kind = kind
        let pattern = spec.resolvedPath
        var paths: [String]
        if pattern.contains(where: { "*?[".contains($0) }) {
            paths = try InputFileSet.glob(pattern)
            guard !paths.isEmpty else {
                throw OpsError.runtime("\(spec.path): inputs.\(kind.rawValue).path matches no file")
            }
        } else {
            paths = [pattern]
        }
        paths.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        files = paths.map { File(path: $0, displayPath: InputFileSet.relative($0, to: baseDirectory)) }
    }

    public init(kind: InputKind, files: [File]) {
        self.kind = kind
        self.files = files
    }

    private static func glob(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let rc = Glibc.glob(pattern, 0, nil, &result)
        if rc == GLOB_NOMATCH { return [] }
        guard rc == 0 else { throw OpsError.runtime("\(pattern): cannot expand the glob (error \(rc))") }
        var out: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            if let p = result.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out
    }

    /// `path` relative to `base` when it lies inside it, else `..` segments, else absolute.
    static func relative(_ path: String, to base: String) -> String {
        let p = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let b = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        var common = 0
        while common < min(p.count, b.count) && p[common] == b[common] { common += 1 }
        guard common > 1 || (common == 1 && b.count == 1) else { return path }
        let ups = Array(repeating: "..", count: b.count - common)
        return (ups + p[common...]).joined(separator: "/")
    }
}
