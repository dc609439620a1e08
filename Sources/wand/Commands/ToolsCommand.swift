import ArgumentParser
import Foundation
import WandEngine

/// `wand tools`: the configured MCP servers, started once to list their tools.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "List the MCP servers in config.toml, whether each started, and their tools as Python signatures with policies.",
        discussion: "Every server is started, asked for its tools, and stopped. Exit status 1 when a server did not start. "
            + "See docs/TOOLS.md for configuring servers."
    )

    @Flag(help: "One JSON object per server, with the full input schemas.")
    var json = false

    func run() async throws {
        let paths = WandPaths()
        let config = try WandConfig.load(from: paths.configFile)
        let mcp = config.mcp
        guard !mcp.servers.isEmpty else {
            if json { return }
            TerminalOutput.line("No MCP servers are configured in \(paths.configFile.path).")
            TerminalOutput.line("Add one, for example:")
            TerminalOutput.line("  [mcp.servers.time]")
            TerminalOutput.line("  command = \"python3\"")
            TerminalOutput.line("  args = [\"-m\", \"mcp_server_time\"]")
            TerminalOutput.line("See docs/TOOLS.md.")
            return
        }
        let servers = ToolServers(config: mcp)
        let (_, failures) = await servers.startAll()
        let statuses = await servers.status()
        await servers.shutdown()
        if json {
            for status in statuses { try printJSON(status, policies: mcp.policies) }
        } else {
            TerminalOutput.line("MCP servers (config: \(paths.configFile.path)):")
            for status in statuses { printText(status, policies: mcp.policies) }
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func printText(_ status: MCPServerStatus, policies: ToolPolicies) {
        TerminalOutput.line()
        switch status.state {
        case .running:
            TerminalOutput.line("✓ \(status.name) — \(status.endpoint) — \(status.tools.count) tool\(status.tools.count == 1 ? "" : "s")")
        case .failed(let error):
            TerminalOutput.line("✗ \(status.name) — \(status.endpoint) — not started (\(error.kind)):")
            for line in error.description.split(separator: "\n") { TerminalOutput.line("    \(line)") }
        case .notStarted, .stopped:
            TerminalOutput.line("? \(status.name) — \(status.endpoint) — not started")
        }
        for tool in status.tools {
            let policy = policies.resolve(server: status.name, tool: tool.name)
            TerminalOutput.line("    \(PythonToolModule.signature(of: tool, typed: true))")
            var detail = "policy \(policy.rawValue) (\(policies.source(server: status.name, tool: tool.name)))"
            if let summary = tool.description?.split(separator: "\n").first.map(String.init), !summary.isEmpty {
                detail = summary + " · " + detail
            }
            TerminalOutput.line("        \(detail)")
        }
        if case .running = status.state {
            let offered = Set(status.tools.map(\.name))
            for name in (policies.tools[status.name] ?? [:]).keys.sorted() where !offered.contains(name) {
                TerminalOutput.line("    ! [mcp.servers.\(status.name).tools] names `\(name)`, which this server does not offer")
            }
        }
    }

    private struct ServerReport: Encodable {
        struct ToolReport: Encodable {
            var name: String
            var python: String
            var description: String?
            var policy: String
            var inputSchema: JSONValue

            enum CodingKeys: String, CodingKey {
                case name, python, description, policy
                case inputSchema = "input_schema"
            }
        }

        var name: String
        var endpoint: String
        var started: Bool
        var error: String?
        var tools: [ToolReport]
    }

    private func printJSON(_ status: MCPServerStatus, policies: ToolPolicies) throws {
        var error: String?
        if case .failed(let failure) = status.state { error = failure.description }
        let report = ServerReport(
            name: status.name, endpoint: status.endpoint, started: status.state == .running, error: error,
            tools: status.tools.map { tool in
                ServerReport.ToolReport(name: tool.name, python: PythonToolModule.signature(of: tool), description: tool.description,
                                        policy: policies.resolve(server: status.name, tool: tool.name).rawValue,
                                        inputSchema: tool.inputSchema)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = TerminalOutput.escapingControls(json: try encoder.encode(report))
        line.append(0x0A)
        FileHandle.standardOutput.write(line)
    }
}
