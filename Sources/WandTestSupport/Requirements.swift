import Foundation
import Glibc
public import WandEngine
public import Testing

/// Something a test needs from the machine that the repository cannot provide.
///
/// A test that needs one declares it with the `.requires(_:)` trait: on a developer machine without
/// it the test is reported as skipped, with the reason; with `WAND_REQUIRE_MODEL=1` /
/// `WAND_REQUIRE_SANDBOX=1` (set by `.ci/run`) it fails instead.
public enum Requirement: String, Sendable, CaseIterable {
    /// bubblewrap, installed and able to create its namespaces here (the probe Wand itself runs).
    case sandbox
    /// The embedded model, installed by `wand setup`.
    case model
    /// HumanEval's problems, installed by `wand setup` with the model.
    case humanEval
    /// Tests running as root, so that Wand gives each sandbox a uid of its own, whose processes a test can
    /// count (as CI runs them; mandatory with `WAND_REQUIRE_SANDBOX=1`).
    case root
    /// The `asciinema` player (installed from PyPI by `.ci/run`), which checks exported casts.
    case asciinema
    /// Wand's Python environment for sandboxed code (numpy, pandas, …), installed by `wand setup`.
    case codeEnvironment

    /// Why it is not available here, or nil when it is.
    public var problem: String? {
        switch self {
        case .sandbox: Self.sandboxProblem
        case .model: Self.modelProblem
        case .humanEval: Self.modelProblem ?? Self.humanEvalProblem
        case .root:
            geteuid() == 0 ? nil : "the tests run as uid \(geteuid()), not root, so no uid of its own holds the sandbox's processes"
        case .asciinema:
            Self.executable(named: "asciinema") == nil ? "asciinema is not on PATH (pip install asciinema)" : nil
        case .codeEnvironment:
            Self.codeEnvironmentProblem
        }
    }

    /// The environment variable that makes the requirement mandatory.
    public var mandatoryVariable: String {
        switch self {
        case .sandbox, .root: "WAND_REQUIRE_SANDBOX"
        case .model, .humanEval: "WAND_REQUIRE_MODEL"
        case .asciinema: "WAND_REQUIRE_ASCIINEMA"
        case .codeEnvironment: "WAND_REQUIRE_CODE_PYTHON"
        }
    }

    /// The path of an executable found on `PATH`.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether a missing requirement fails the test instead of skipping it.
    public var isMandatory: Bool {
        ProcessInfo.processInfo.environment[mandatoryVariable] == "1"
    }

    /// True when available; false (skip) when missing; throws (failure) when missing but mandatory.
    func check() throws -> Bool {
        guard let problem else { return true }
        if isMandatory { throw RequirementMissing(requirement: self, problem: problem) }
        return false
    }

    // Found once per test process: the probe starts bubblewrap, and every test using the trait asks.
    private static let sandboxProblem: String? = {
        let capabilities = SandboxCapabilities.detect()
        guard capabilities.bubblewrap == nil else { return nil }
        return capabilities.bubblewrapProblem?.detail ?? "bubblewrap is not usable here"
    }()

    private static let modelProblem: String? = {
        let layout = EmbeddedModelLayout(paths: WandPaths())
        return layout.isInstalled ? nil : "the embedded model is not installed under \(layout.paths.data.path); run `wand setup --yes`"
    }()

    private static let codeEnvironmentProblem: String? = {
        let layout = CodeEnvironmentLayout(paths: WandPaths())
        return layout.installed == nil
            ? "the code environment is not installed at \(layout.venv.path); run `wand setup --python-only`" : nil
    }()

    private static let humanEvalProblem: String? = {
        EmbeddedModelLayout(paths: WandPaths()).humanEvalData == nil
            ? "HumanEval's problems are not installed; run `wand setup --yes`" : nil
    }()
}

/// A requirement is missing where it was declared mandatory.
struct RequirementMissing: Error, CustomStringConvertible {
    var requirement: Requirement
    var problem: String

    var description: String {
        "\(requirement.mandatoryVariable)=1 but \(problem)"
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where `requirement` is available; skipped (with the reason) where it is not,
    /// and failed where it is not but its `WAND_REQUIRE_…` variable is 1.
    public static func requires(_ requirement: Requirement, sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        let reason = requirement.problem.map { "needs \(requirement.rawValue): \($0)" } ?? "needs \(requirement.rawValue)"
        return .enabled(Comment(rawValue: reason), sourceLocation: sourceLocation) { try requirement.check() }
    }
}

extension Requirement {
    /// The installed model's layout, for a test declared with `.requires(.model)`.
    public static var modelLayout: EmbeddedModelLayout { EmbeddedModelLayout(paths: WandPaths()) }
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
    /// The living processes of `uid`, polled until at most `allowed` are left or `seconds` have passed
    /// (processes killed a moment ago take a little while to go).
    public static func livingProcesses(ownedBy uid: UInt32, atMost allowed: Int = 0, within seconds: Double) async throws -> [Int32] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let alive = ProcessTable.pids(ownedBy: uid, living: true)
            if alive.count <= allowed || Date() > deadline { return alive }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Whether the host can still start a process.
    public static func canFork() async throws -> Bool {
        try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/true")
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }
}
