import Foundation

/// Everything under a folder — each file's bytes, each symbolic link's destination, each folder —
/// so a test can assert that a refused run left every file in place (SPEC §9 "nothing is touched").
struct WorkspaceSnapshot: Equatable, CustomStringConvertible {
    enum Entry: Equatable {
        case folder
        case file(Data)
        case link(String)
    }

    let entries: [String: Entry]

    init(_ root: URL) {
        var entries: [String: Entry] = [:]
        let fm = FileManager.default
        let base = root.standardizedFileURL.path
        func walk(_ path: String, relative: String) {
            guard let names = try? fm.contentsOfDirectory(atPath: path) else { return }
            for name in names {
                let full = path + "/" + name
                let rel = relative.isEmpty ? name : relative + "/" + name
                if let destination = try? fm.destinationOfSymbolicLink(atPath: full) {
                    entries[rel] = .link(destination)
                    continue
                }
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: full, isDirectory: &isDir) else { continue }
                if isDir.boolValue {
                    entries[rel] = .folder
                    walk(full, relative: rel)
                } else {
                    entries[rel] = .file(fm.contents(atPath: full) ?? Data())
                }
            }
        }
        walk(base, relative: "")
        self.entries = entries
    }

    var description: String { entries.keys.sorted().joined(separator: ", ") }
}

extension Workspace {
    var snapshot: WorkspaceSnapshot { WorkspaceSnapshot(url) }

    /// Runs `opsetl` with `arguments` from `directory` (default: the workspace itself).
    func run(_ arguments: [String], from directory: URL? = nil) throws -> CLIResult {
        try CLI.run(arguments, in: directory ?? url)
    }

    /// The workspace's absolute path, as opsetl prints it.
    var path: String { url.standardizedFileURL.path }
}
