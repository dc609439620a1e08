import Synchronization

/// The MCP tools of a session as the agent's code gets them: the `tools` module, the lines that list
/// them in prompts, and what answers calls — the live servers under their policies, or, for a re-run,
/// the recorded results (so a re-run is deterministic and needs no server).
public final class Toolbox: Sendable {
    /// The tools offered, in the order the module and prompts list them.
    public let tools: [MCPToolInfo]
    let answers: Answers

    enum Answers: Sendable {
        case live(ToolServers)
        case recorded(RecordedToolResults)
    }

    private init(tools: [MCPToolInfo], answers: Answers) {
        self.tools = tools
        self.answers = answers
    }

    /// Starts every configured server and offers the tools of those that started; the others are
    /// returned as failures, to be reported. Nil when no server is configured.
    public static func start(_ servers: ToolServers) async -> (toolbox: Toolbox?, failures: [MCPServerFailure]) {
        guard !servers.serverNames.isEmpty else { return (nil, []) }
        let (tools, failures) = await servers.startAll()
        return (Toolbox(tools: tools, answers: .live(servers)), failures)
    }

    /// The tools a recorded session offered, answering each call with the next recorded result; nil
    /// when the recording offered none.
    public static func recorded(from events: [EventRecord]) -> Toolbox? {
        var tools: [MCPToolInfo]?
        for record in events {
            if case .sessionStarted(let started) = record.event { tools = started.mcpTools }
        }
        guard let tools else { return nil }
        return Toolbox(tools: tools, answers: .recorded(RecordedToolResults(events: events)))
    }

    /// The source of the Python `tools` module.
    public var moduleSource: String { PythonToolModule.source(for: tools) }

    /// One line per tool, for prompts: `tools.time.convert_time(source_timezone, time, target_timezone)`.
    public var signatures: [String] { tools.map { PythonToolModule.signature(of: $0) } }

    /// Whether a call can wait for the user's approval (a live tool whose policy is `ask`; code can
    /// also name a tool that was not offered, which gets the server's or the global policy).
    public var asksForApproval: Bool {
        guard case .live(let servers) = answers else { return false }
        let policies = servers.config.policies
        return tools.contains { policies.resolve(server: $0.server, tool: $0.name) == .ask }
            || servers.serverNames.contains { policies.resolve(server: $0, tool: "") == .ask }
    }

    /// Stops the live servers.
    public func shutdown() async {
        if case .live(let servers) = answers { await servers.shutdown() }
    }
}

/// The tool calls of a recording, answered in order.
final class RecordedToolResults: Sendable {
    private let calls: [(called: ToolCalled, returned: ToolReturned)]
    private let next = Mutex(0)

    init(events: [EventRecord]) {
        var called: [Int: ToolCalled] = [:]
        var calls: [(called: ToolCalled, returned: ToolReturned)] = []
        for record in SessionRerun.rerunnable(events) {
            switch record.event {
            case .toolCalled(let call): called[call.call] = call
            case .toolResult(let returned):
                if let call = called.removeValue(forKey: returned.call) { calls.append((call, returned)) }
            default: break
            }
        }
        self.calls = calls
    }

    /// The recorded call and result for the next call, or why there is none (the re-run called
    /// something else, or more than the recording did).
    func answer(server: String, tool: String) -> Result<(called: ToolCalled, returned: ToolReturned), RerunMismatch> {
        let index = next.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        guard index < calls.count else {
            return .failure(RerunMismatch(message: "the recording has only \(calls.count) tool calls"))
        }
        let recorded = calls[index]
        guard recorded.called.server == server, recorded.called.tool == tool else {
            return .failure(RerunMismatch(message: "the re-run called tools.\(server).\(tool) where the recording called "
                + "tools.\(recorded.called.server).\(recorded.called.tool)"))
        }
        return .success(recorded)
    }
}

/// A re-run's tool call that the recording cannot answer.
struct RerunMismatch: Error {
    var message: String
}
