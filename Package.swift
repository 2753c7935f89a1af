// swift-tools-version:6.1
import PackageDescription

/// opsetl: ingest → clean → dedupe → integrate → analyze → report.
/// CLibCSV wraps the system libcsv, CZlib the system zlib; OpsETL holds every stage as a library;
/// OpsETLCLI is the `opsetl` executable (a thin argument-parser front end).
let package = Package(
    name: "opsetl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "opsetl", targets: ["OpsETLCLI"]),
        .library(name: "OpsETL", targets: ["OpsETL"]),
        .executable(name: "opsetl-fuzz", targets: ["OpsETLFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Exact rationals for the SMART goals' least-squares projection (SPEC §6: computed exactly).
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        // Debian ships no pkg-config file for libcsv, so the module map names
        // the header and the library itself; `providers` tells SwiftPM what to suggest.
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // zlib decompresses `.gz` inputs while they are read (SPEC §3.2).
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "OpsETL",
            dependencies: [
                "CLibCSV",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "BigInt", package: "BigInt"),
            ],
            // The report's layout and its words live in files, compiled into the binary so a
            // copied `opsetl` needs no resource bundle beside it.
            resources: [
                .embedInCode("Report/Templates/report.html.mustache"),
                .embedInCode("Report/Templates/report.md.mustache"),
                .embedInCode("Report/Strings/en.json"),
                .embedInCode("Report/Strings/zh.json"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "OpsETLCLI",
            dependencies: [
                "OpsETL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        // Fuzzing (issue 5): the targets as plain functions (also replayed by the unit tests), and
        // `opsetl-fuzz`, which replays files in any build and runs libFuzzer in the build of scripts/fuzz.sh.
        .target(
            name: "OpsETLFuzzTargets",
            dependencies: ["OpsETL", .product(name: "Logging", package: "swift-log")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "OpsETLFuzz",
            dependencies: ["OpsETLFuzzTargets"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .testTarget(
            name: "OpsETLTests",
            dependencies: [
                "OpsETL", "OpsETLFuzzTargets",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "OpsETLEndToEndTests",
            dependencies: ["OpsETLCLI", "OpsETL"]
        ),
    ]
)
