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

    /// The installed code environment (`wand setup`), or nil (test skipped) when absent and not required
    /// (`WAND_REQUIRE_CODE_PYTHON=1`, as in CI).
    public static func codeEnvironment(sourceLocation: SourceLocation = #_sourceLocation) -> CodeEnvironmentRecord? {
        let layout = CodeEnvironmentLayout(paths: WandPaths())
        if let record = layout.installed { return record }
        if ProcessInfo.processInfo.environment["WAND_REQUIRE_CODE_PYTHON"] == "1" {
            Issue.record("WAND_REQUIRE_CODE_PYTHON=1 but the code environment is not installed at \(layout.venv.path); run `wand setup --python-only`",
                         sourceLocation: sourceLocation)
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

/// The Python MCP packages the tool tests run real servers from (`mcp`, `mcp-server-time`,
/// `mcp-server-git`; `.ci/run` installs them in a venv and names its Python in `WAND_MCP_PYTHON`).
/// Tests needing them are skipped, visibly, on a machine without them, unless `WAND_REQUIRE_MCP=1`
/// (CI), where they run and fail.
public enum MCPRequirements {
    /// `$WAND_MCP_PYTHON`, else the `python3` on PATH, when it can import `mcp`, `mcp_server_time` and `mcp_server_git`.
    public static let python: String? = {
        let environment = ProcessInfo.processInfo.environment
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let python = environment["WAND_MCP_PYTHON"]
            ?? path.map({ "\($0)/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import mcp, mcp_server_time, mcp_server_git"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? python : nil
    }()

    /// Whether `WAND_REQUIRE_MCP=1` makes the MCP tests mandatory.
    public static var required: Bool { ProcessInfo.processInfo.environment["WAND_REQUIRE_MCP"] == "1" }

    /// For `.enabled(if:)`: the packages are there, or they are required (and the test will say they are missing).
    public static var testable: Bool { python != nil || required }

    /// The Python to run servers with; records a failure and throws when the packages are missing.
    public static func requirePython(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let python { return python }
        Issue.record("WAND_REQUIRE_MCP=1 but neither $WAND_MCP_PYTHON nor python3 can import mcp, mcp_server_time and mcp_server_git; run `python3 -m pip install mcp mcp-server-time mcp-server-git`",
                     sourceLocation: sourceLocation)
        throw MCPRequirementMissing()
    }

    /// The fault server fixture, `Tests/Fixtures/mcp_fault_server.py`.
    public static var faultServer: String {
        var script = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { script.deleteLastPathComponent() }
        return script.appendingPathComponent("Tests/Fixtures/mcp_fault_server.py").path
    }
}

/// The MCP packages are missing where they are required.
public struct MCPRequirementMissing: Error {}

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
