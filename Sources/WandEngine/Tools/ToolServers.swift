public import Foundation

/// A server's configuration, state and tools, as `wand tools` shows them.
public struct MCPServerStatus: Sendable, Equatable {
    /// The server's configured name.
    public var name: String
    /// How it is reached: its command line or URL (secrets replaced).
    public var endpoint: String
    /// Where it is in its life.
    public var state: MCPServerState
    /// Its tools, once it has started.
    public var tools: [MCPToolInfo]
}

/// The MCP servers of one session: each starts at its first use and all stop with ``shutdown()``.
///
/// A server that fails to start, crashes, hangs or cannot be reached is reported (``MCPServerFailure``)
/// and left out; the others go on. Owned by the session that uses it; `shutdown()` must be called
/// when the session ends (the servers also die with Wand's process if it is killed).
public actor ToolServers {
    /// The configuration it was made from.
    public nonisolated let config: MCPConfig
    private let connections: [String: MCPServerConnection]
    private nonisolated let redactors: [String: SecretRedactor]

    /// Creates the set; nothing starts until a tool is asked for. `environment` supplies the
    /// variables stdio servers inherit and HTTP header values.
    public init(config: MCPConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
                resultLimitBytes: Int = ToolCallResult.defaultLimitBytes) {
        self.config = config
        var connections: [String: MCPServerConnection] = [:]
        redactors = Dictionary(config.servers.map { ($0.name, MCPServerConnection.redactor(for: $0, environment: environment)) }) { first, _ in first }
        for server in config.servers {
            connections[server.name] = MCPServerConnection(config: server, environment: environment,
                                                           resultLimitBytes: resultLimitBytes)
        }
        self.connections = connections
    }

    /// The configured servers' names, sorted.
    public nonisolated var serverNames: [String] { config.servers.map(\.name) }

    /// One server's tools, starting it if needed.
    public func tools(of server: String) async throws(MCPServerFailure) -> [MCPToolInfo] {
        let connection = try self.connection(server)
        do {
            return try await connection.tools()
        } catch {
            throw MCPServerFailure(server: server, error: error)
        }
    }

    /// Starts every server (at once) and returns the tools of those that started, and why the others did not.
    public func startAll() async -> (tools: [MCPToolInfo], failures: [MCPServerFailure]) {
        let outcomes = await withTaskGroup(of: (String, Result<[MCPToolInfo], MCPServerError>).self) { group in
            for (name, connection) in connections {
                group.addTask {
                    do throws(MCPServerError) { return (name, .success(try await connection.tools())) } catch { return (name, .failure(error)) }
                }
            }
            var outcomes: [(String, Result<[MCPToolInfo], MCPServerError>)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.0 < $1.0 }
        }
        var tools: [MCPToolInfo] = []
        var failures: [MCPServerFailure] = []
        for (name, outcome) in outcomes {
            switch outcome {
            case .success(let serverTools): tools += serverTools
            case .failure(let error): failures.append(MCPServerFailure(server: name, error: error))
            }
        }
        return (tools, failures)
    }

    /// Calls a tool on a server, starting the server if needed. A result with `isError` means the
    /// tool ran and reported a failure; a thrown failure means the server could not answer.
    public func call(server: String, tool: String, arguments: [String: JSONValue]) async throws(MCPServerFailure) -> ToolCallResult {
        let connection = try self.connection(server)
        do {
            return try await connection.call(tool, arguments: arguments)
        } catch {
            throw MCPServerFailure(server: server, error: error)
        }
    }

    /// `value` with the secrets of `server` replaced in every string and key (every configured
    /// server's, when `server` names none of them: code can name any server).
    public nonisolated func redact(_ value: JSONValue, server: String) -> JSONValue {
        if let redactor = redactors[server] { return value.redacted(by: redactor) }
        return redactors.keys.sorted().reduce(value) { $0.redacted(by: redactors[$1] ?? SecretRedactor(secrets: [])) }
    }

    /// Every server's state and tools, without starting any.
    public func status() async -> [MCPServerStatus] {
        var statuses: [MCPServerStatus] = []
        for server in config.servers {
            guard let connection = connections[server.name] else { continue }
            let state = await connection.state
            let tools = state == .running ? ((try? await connection.tools()) ?? []) : []
            statuses.append(MCPServerStatus(name: server.name, endpoint: Self.endpoint(of: server, environment: [:]), state: state,
                                            tools: tools))
        }
        return statuses
    }

    /// Stops every server and what it started.
    public func shutdown() async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections.values { group.addTask { await connection.stop() } }
        }
    }

    private func connection(_ server: String) throws(MCPServerFailure) -> MCPServerConnection {
        guard let connection = connections[server] else {
            let known = serverNames.isEmpty ? "none is configured ([mcp.servers.NAME] in config.toml)"
                : "configured servers are " + serverNames.joined(separator: ", ")
            throw MCPServerFailure(server: server, error: .configuration("is not configured; \(known)"))
        }
        return connection
    }

    /// The command line or URL of a server, with its secrets replaced.
    static func endpoint(of server: MCPServerConfig, environment: [String: String]) -> String {
        let redactor = MCPServerConnection.redactor(for: server, environment: environment)
        switch server.transport {
        case .stdio(let command, let arguments, let variables):
            let prefix = variables.keys.sorted().map { "\($0)=…" }
            return redactor.redact((prefix + [command] + arguments).joined(separator: " "))
        case .http(let url, let headers, let bearer):
            var parts = [url.absoluteString]
            parts += headers.sorted { $0.key < $1.key }.map { "\($0.key): $\($0.value)" }
            if let bearer { parts.append("Authorization: Bearer $\(bearer)") }
            return redactor.redact(parts.joined(separator: ", "))
        }
    }
}
