import Foundation
public import WandEngine
public import Testing

/// Tests that need real outside pieces (the installed model, bubblewrap) skip on a developer machine
/// without them, but fail when `WAND_REQUIRE_MODEL=1` / `WAND_REQUIRE_SANDBOX=1` are set, as `.ci/run` does.
public enum Requirements {
    /// The installed embedded model, or nil (test skipped) when absent and not required.
    public static func embeddedModel(sourceLocation: SourceLocation = #_sourceLocation) throws -> EmbeddedModelLayout? {
        let layout = EmbeddedModelLayout(paths: WandPaths())
        if layout.isInstalled { return layout }
        if ProcessInfo.processInfo.environment["WAND_REQUIRE_MODEL"] == "1" {
            Issue.record("WAND_REQUIRE_MODEL=1 but the embedded model is not installed under \(layout.paths.data.path); run `wand setup --yes`",
                         sourceLocation: sourceLocation)
        }
        return nil
    }

    /// The `asciinema` player's path, or nil (test skipped) when absent and not required by
    /// `WAND_REQUIRE_ASCIINEMA=1`, as `.ci/run` sets after installing it from PyPI.
    public static func asciinema(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let path = executable(named: "asciinema") { return path }
        if asciinemaRequired {
            Issue.record("WAND_REQUIRE_ASCIINEMA=1 but asciinema is not on PATH; pip install asciinema", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// Whether a test needing `asciinema` runs: when it is installed, or when it is required (and then fails).
    public static var asciinemaTestable: Bool { asciinemaRequired || executable(named: "asciinema") != nil }

    private static var asciinemaRequired: Bool { ProcessInfo.processInfo.environment["WAND_REQUIRE_ASCIINEMA"] == "1" }

    /// The path of an executable found on `PATH`.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether bubblewrap is usable; records a failure when required but missing.
    public static func sandbox(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")
        if !available, ProcessInfo.processInfo.environment["WAND_REQUIRE_SANDBOX"] == "1" {
            Issue.record("WAND_REQUIRE_SANDBOX=1 but /usr/bin/bwrap is missing; apt-get install bubblewrap",
                         sourceLocation: sourceLocation)
        }
        return available
    }
}

/// Checks on the health of the machine after hostile code ran.
public enum HostCheck {
    /// Whether the host can still start a process.
    public static func canFork() throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
