// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Wand",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wand", targets: ["wand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .systemLibrary(name: "CLinuxProcess", path: "Sources/CLinuxProcess"),
        // Rooted at the package root so the top-level Themes/ and Sessions/ folders ship in its bundle.
        .target(
            name: "WandResources",
            path: ".",
            exclude: ["Sources/WandEngine", "Sources/TerminalUI", "Sources/Workbench", "Sources/NcursesBackend",
                      "Sources/wand", "Sources/WandExport", "Sources/WandTestSupport", "Sources/CNcursesw",
                      "Sources/CLinuxProcess", "Tests", "Benchmarks", "docs", "Fuzz"],
            sources: ["Sources/WandResources/BundledResources.swift"],
            resources: [.copy("Themes"), .copy("Sessions"), .copy("Sources/WandResources/Python")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WandEngine",
            dependencies: [
                "WandResources", "CLinuxProcess",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "TerminalUI", swiftSettings: strictSettings),
        .target(
            name: "Workbench",
            dependencies: [
                "WandEngine", "TerminalUI", "WandResources",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "WandExport", dependencies: ["WandEngine", "Workbench", "TerminalUI"], swiftSettings: strictSettings),
        .target(name: "NcursesBackend", dependencies: ["CNcursesw", "TerminalUI"], swiftSettings: strictSettings),
        .executableTarget(
            name: "wand",
            dependencies: [
                "WandEngine", "Workbench", "TerminalUI", "NcursesBackend", "WandExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WandTestSupport",
            dependencies: [
                "WandEngine", "Workbench", "TerminalUI",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "wand-bench",
            dependencies: [
                "WandEngine", "Workbench", "TerminalUI", "WandTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Benchmarks/wand-bench",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "WandEngineTests", dependencies: ["WandEngine", "WandTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "WandTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "WorkbenchTests",
            dependencies: ["Workbench", "WandEngine", "TerminalUI", "WandTestSupport"],
            exclude: ["__Snapshots__"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WandExportTests",
            dependencies: ["WandExport", "WandEngine", "Workbench", "TerminalUI", "WandTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["WandEngine", "WandTestSupport"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer harness (Fuzz/) exists only when Fuzz/run.sh builds it: it must be compiled with
// `-sanitize=fuzzer`, and libFuzzer runs it, so it stays out of the normal build and tests.
if Context.environment["WAND_FUZZ"] == "1" {
    // SwiftPM defines an executable's `main` as `wand_fuzz_main`, which the C driver provides; the Swift
    // harness has no top-level code, only the C entry points libFuzzer calls.
    package.targets += [
        .target(name: "wand-fuzz-driver", path: "Fuzz/wand-fuzz-driver"),
        .executableTarget(name: "wand-fuzz", dependencies: ["WandTestSupport", "wand-fuzz-driver"], path: "Fuzz/wand-fuzz",
                          swiftSettings: strictSettings + [.unsafeFlags(["-parse-as-library"])]),
    ]
}
