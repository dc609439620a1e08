/// What happens when code calls an MCP tool: run it, ask the user first, or refuse.
public enum ToolPolicy: String, Sendable, Equatable, CaseIterable, Codable {
    /// The call goes to the server without asking.
    case auto
    /// The call waits for the user's approval, like code in `ask` mode.
    case ask
    /// The call is refused; the code gets an error saying so.
    case never

    /// The policy when the configuration names none: a tool reaches outside the sandbox, so the
    /// user is asked.
    public static let fallback = ToolPolicy.ask
}

/// The policies written in `config.toml`, from the most general to the most specific.
public struct ToolPolicies: Sendable, Equatable {
    /// `[mcp] policy`: for every server that names none.
    public var global: ToolPolicy?
    /// `[mcp.servers.NAME] policy`, by server.
    public var servers: [String: ToolPolicy]
    /// `[mcp.servers.NAME.tools] TOOL = "…"`, by server, then by tool name as the server spells it.
    public var tools: [String: [String: ToolPolicy]]

    /// Creates a set of policies.
    public init(global: ToolPolicy? = nil, servers: [String: ToolPolicy] = [:], tools: [String: [String: ToolPolicy]] = [:]) {
        self.global = global
        self.servers = servers
        self.tools = tools
    }

    /// The policy for one tool: its own, else its server's, else the global one, else ``ToolPolicy/fallback``.
    public func resolve(server: String, tool: String) -> ToolPolicy {
        tools[server]?[tool] ?? servers[server] ?? global ?? .fallback
    }

    /// Where the resolved policy came from, for `wand tools`.
    public func source(server: String, tool: String) -> String {
        if tools[server]?[tool] != nil { return "mcp.servers.\(server).tools.\(tool)" }
        if servers[server] != nil { return "mcp.servers.\(server).policy" }
        if global != nil { return "mcp.policy" }
        return "default"
    }
}
