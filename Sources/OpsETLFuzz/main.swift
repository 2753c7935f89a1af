/// `opsetl-fuzz`: runs the fuzz targets of `OpsETLFuzzTargets` (issue 5).
///
///     opsetl-fuzz TARGET FILE|DIR ...      replay inputs (any build): exit 1 on a broken invariant
///     opsetl-fuzz TARGET [libFuzzer flags] [CORPUS ...]   fuzz (built by scripts/fuzz.sh with
///                                          -sanitize=fuzzer,address and -DOPSETL_LIBFUZZER)
///
/// TARGET is `ingest` or `values`. Under libFuzzer a broken invariant is turned into a crash so
/// the input is saved as `crash-…`; `fuzz/README.md` explains the workflow.
import Foundation
import OpsETLFuzzTargets

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
    FileHandle.standardError.write(Data("usage: opsetl-fuzz \(names) [libFuzzer flags | FILE|DIR ...]\n".utf8))
    exit(2)
}

#if OPSETL_LIBFUZZER
typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzCallback) -> Int32

nonisolated(unsafe) var selected = target

/// libFuzzer's own `main` is linked but never runs (SwiftPM points `main` at this file); it still
/// needs the symbol, so it forwards to the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let violations = selected.check(UnsafeRawBufferPointer(start: data, count: size))
    if !violations.isEmpty {
        FileHandle.standardError.write(Data(("invariant broken:\n" + violations.joined(separator: "\n") + "\n").utf8))
        abort()
    }
    return 0
}

// libFuzzer sees argv without the target name.
var argv = [CommandLine.unsafeArgv[0]] + (2..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0] }
var argc = Int32(argv.count)
argv.append(nil)
let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var base = buffer.baseAddress!
    return LLVMFuzzerRunDriver(&argc, &base) { fuzzOne($0, $1) }
}
exit(status)
#else
var files: [URL] = []
for path in arguments.dropFirst(2) {
    let url = URL(fileURLWithPath: path)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        FileHandle.standardError.write(Data("opsetl-fuzz: \(path): no such file\n".utf8))
        exit(2)
    }
    if isDir.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        files += names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }
    } else {
        files.append(url)
    }
}
var broken = 0
for file in files {
    let bytes = [UInt8]((try? Data(contentsOf: file)) ?? Data())
    let violations = target.check(bytes)
    if !violations.isEmpty {
        broken += 1
        print("\(file.path):\n  " + violations.joined(separator: "\n  "))
    }
}
print("\(target.rawValue): \(files.count) input(s), \(broken) with a broken invariant")
exit(broken == 0 ? 0 : 1)
#endif
