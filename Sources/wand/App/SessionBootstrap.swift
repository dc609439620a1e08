import Foundation
import ArgumentParser
import WandEngine

/// Builds what a live session needs: the model runtime, the sandboxed executor, the session file.
struct SessionBootstrap {
    let paths: WandPaths
    let config: WandConfig
    let profile: ModelProfile
    let runtime: ModelRuntime
    let capabilities: SandboxCapabilities
    let limits: ExecutionLimits

    /// Resolves the profile and prepares (but does not start) the model.
    init(options: AgentOptions, parallel: Int = 4) throws {
        paths = WandPaths()
        config = try WandConfig.load(from: paths.configFile)
        profile = try options.profile(config: config)
        runtime = ModelRuntime(profile: profile, paths: paths, parallel: parallel)
        capabilities = SandboxCapabilities.detect()
        limits = options.limits
    }

    /// Whether the model can be used at all (the embedded one must be installed).
    var modelAvailable: Bool {
        !profile.isEmbedded || EmbeddedModelLayout(paths: paths).isInstalled
    }

    /// Why the model cannot be used, with the fix.
    var modelUnavailableReason: String {
        "the embedded model is not installed: run `wand setup` (or pick another model with --model / --base-url; see `wand models`)"
    }

    /// A new executor for a session, or for one side of a comparison; throws for an id (read from a
    /// session file, when resuming) that cannot name a directory.
    func executor(sessionID: String, side: Int? = nil) throws -> SandboxExecutor {
        guard let name = SandboxExecutor.workspaceName(session: sessionID, side: side) else {
            throw ValidationError("the session id \"\(sessionID)\" cannot name a workspace directory")
        }
        let root = SandboxExecutor.workspaceRoot(paths: paths, capabilities: capabilities)
        return try SandboxExecutor(capabilities: capabilities, limits: limits,
                                   workspace: root.appendingPathComponent(name, isDirectory: true))
    }

    /// Versions recorded in `session.started`.
    func toolVersions(executor: SandboxExecutor) async -> [String: String] {
        var tools = ["wand": WandVersion.current]
        if let python = await executor.pythonVersion { tools["python"] = python }
        if let bubblewrap = capabilities.bubblewrap {
            tools["bubblewrap"] = await Self.firstLine(of: bubblewrap, ["--version"]) ?? "present"
        }
        if profile.isEmbedded, let record = InstallRecord.load(from: EmbeddedModelLayout(paths: paths).marker) {
            tools["llama-server"] = record.serverVersion
        }
        return tools
    }

    /// A new session, writing to `<data>/sessions/<id>.jsonl`. Its code gets the tools of the MCP
    /// servers in the configuration (started now; those that fail are reported in the session), or,
    /// re-running `rerunOf`, the tools that session had, answered from its recording.
    func newSession(id: String = SessionDirectory.newSessionID(), model: (any LanguageModel)? = nil,
                    rerunOf: LoadedSession? = nil) async throws -> AgentSession {
        let executor = try executor(sessionID: id)
        try? await executor.warmUp()
        let writer = try SessionWriter(url: SessionDirectory(url: paths.sessions).file(for: id))
        let recorder = EventRecorder(writer: writer)
        let (toolbox, failures) = await toolbox(rerunOf: rerunOf)
        return AgentSession(id: id, recorder: recorder, model: model ?? runtime.model, executor: executor, limits: limits,
                            tools: await toolVersions(executor: executor), settings: profile.sessionSettings,
                            pricing: profile.pricing, toolbox: toolbox,
                            notices: Self.notices(for: failures))
    }

    /// The tools for a new session, and the servers that failed to start.
    private func toolbox(rerunOf: LoadedSession?) async -> (Toolbox?, [MCPServerFailure]) {
        if let rerunOf { return (Toolbox.recorded(from: rerunOf.events), []) }
        return await Toolbox.start(ToolServers(config: config.mcp))
    }

    /// Continues a saved session (resumed, or a fork written to its own file). Its code gets the tools
    /// of the MCP servers configured now, started now; those that fail are said in the session.
    func resumedSession(_ loaded: LoadedSession, model: (any LanguageModel)? = nil) async throws -> AgentSession {
        let id = loaded.started?.session ?? loaded.url.deletingPathExtension().lastPathComponent
        let executor = try executor(sessionID: id)
        try? await executor.warmUp()
        let (toolbox, failures) = await toolbox(rerunOf: nil)
        return AgentSession(resuming: loaded, recorder: try EventRecorder(continuing: loaded),
                            model: model ?? runtime.model, executor: executor, limits: limits,
                            tools: await toolVersions(executor: executor), settings: profile.sessionSettings,
                            toolbox: toolbox, notices: Self.notices(for: failures))
    }

    private static func notices(for failures: [MCPServerFailure]) -> [Notice] {
        failures.map { Notice(level: .warning, message: "\($0) — its tools are not offered.") }
    }

    private static func firstLine(of executable: String, _ arguments: [String]) async -> String? {
        let output = try? await ChildProcess.collect(ChildCommand(executable: executable, arguments: arguments,
                                                                  environment: ["PATH": "/usr/bin:/bin"]))
        return output?.stdout.split(separator: "\n").first.map(String.init)
    }
}
