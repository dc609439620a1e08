public import Foundation

/// How Wand reaches one MCP server.
public enum MCPTransportConfig: Sendable, Equatable {
    /// A program Wand starts, speaking JSON-RPC on its standard input and output.
    /// `environment` is added to a small inherited set (see ``MCPServerConfig/inheritedVariables``);
    /// its values are treated as secrets.
    case stdio(command: String, arguments: [String], environment: [String: String])
    /// A streamable HTTP endpoint; `headerVariables` maps a header name to the environment variable
    /// holding its value, `bearerTokenVariable` names the variable holding a bearer token (both are
    /// read when the server starts, never stored).
    case http(url: URL, headerVariables: [String: String], bearerTokenVariable: String?)
}

/// One `[mcp.servers.NAME]` section of `config.toml`.
public struct MCPServerConfig: Sendable, Equatable {
    /// The server's name: the `NAME` of its section, and `tools.NAME` on the Python side.
    public var name: String
    /// How to reach it.
    public var transport: MCPTransportConfig
    /// Seconds allowed for starting, the handshake and listing tools.
    public var startupTimeout: Double
    /// Seconds allowed for one tool call.
    public var callTimeout: Double

    /// The default for ``startupTimeout``.
    public static let defaultStartupTimeout = 30.0
    /// The default for ``callTimeout``.
    public static let defaultCallTimeout = 60.0
    /// Variables a stdio server inherits from Wand's environment; nothing else is passed on (Wand's
    /// own API keys stay with Wand) unless the section's `env` names it.
    public static let inheritedVariables = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE",
                                            "TERM", "TMPDIR", "TZ", "VIRTUAL_ENV", "PYENV_ROOT", "PYENV_VERSION"]

    /// Creates a server configuration.
    public init(name: String, transport: MCPTransportConfig, startupTimeout: Double = MCPServerConfig.defaultStartupTimeout,
                callTimeout: Double = MCPServerConfig.defaultCallTimeout) {
        self.name = name
        self.transport = transport
        self.startupTimeout = startupTimeout
        self.callTimeout = callTimeout
    }
}

/// The `[mcp]` part of `config.toml`: the servers and their tool policies.
public struct MCPConfig: Sendable, Equatable {
    /// The servers, sorted by name.
    public var servers: [MCPServerConfig]
    /// The policies for their tools.
    public var policies: ToolPolicies

    /// No servers.
    public static let empty = MCPConfig(servers: [], policies: ToolPolicies())

    /// Creates a configuration.
    public init(servers: [MCPServerConfig], policies: ToolPolicies) {
        self.servers = servers
        self.policies = policies
    }

    private static let topKeys: Set<String> = ["servers", "policy"]
    private static let serverKeys: Set<String> = ["command", "args", "env", "url", "bearer_token_env", "env_headers",
                                                  "policy", "tools", "startup_timeout", "call_timeout"]

    /// Parses the `mcp` table of a configuration document; problems name their line.
    static func parse(_ node: TOMLNode, document: TOMLDocument) throws(ConfigFileError) -> MCPConfig {
        guard let table = node.table else { throw document.error(at: ["mcp"], "`mcp` must be a table ([mcp] or [mcp.servers.NAME])") }
        for key in table.keys.sorted() where !topKeys.contains(key) {
            throw document.error(at: ["mcp", key], "unknown key `\(key)` in [mcp]; known keys are \(topKeys.sorted().joined(separator: ", "))")
        }
        var config = MCPConfig.empty
        if let policy = table["policy"] {
            config.policies.global = try parsePolicy(policy, at: ["mcp", "policy"], document: document)
        }
        guard let serversNode = table["servers"] else { return config }
        guard let servers = serversNode.table else {
            throw document.error(at: ["mcp", "servers"], "`mcp.servers` must be a table of [mcp.servers.NAME] sections")
        }
        var pythonNames: [String: String] = [:]
        for (name, serverNode) in servers.sorted(by: { $0.key < $1.key }) {
            let path = ["mcp", "servers", name]
            guard name.first?.isASCII == true, name.first?.isLetter == true,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw document.error(at: path, "server name `\(name)` must start with a letter and hold only letters, digits, `_` and `-` "
                    + "(it becomes `tools.\(PythonToolModule.identifier(name))` in Python)")
            }
            let pythonName = PythonToolModule.identifier(name)
            if let other = pythonNames[pythonName] {
                throw document.error(at: path, "servers `\(other)` and `\(name)` would both be `tools.\(pythonName)` in Python; rename one")
            }
            pythonNames[pythonName] = name
            let (server, serverPolicy, toolPolicies) = try parseServer(name, serverNode, document: document)
            config.servers.append(server)
            if let serverPolicy { config.policies.servers[name] = serverPolicy }
            if !toolPolicies.isEmpty { config.policies.tools[name] = toolPolicies }
        }
        return config
    }

    private static func parseServer(_ name: String, _ node: TOMLNode, document: TOMLDocument)
        throws(ConfigFileError) -> (MCPServerConfig, ToolPolicy?, [String: ToolPolicy]) {
        let path = ["mcp", "servers", name]
        guard let table = node.table else { throw document.error(at: path, "server `\(name)` must be a table") }
        for key in table.keys.sorted() where !serverKeys.contains(key) {
            throw document.error(at: path + [key], "unknown key `\(key)` in server `\(name)`; known keys are "
                + serverKeys.sorted().joined(separator: ", "))
        }
        func string(_ key: String) throws(ConfigFileError) -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string, !text.isEmpty else {
                throw document.error(at: path + [key], "`\(key)` must be a non-empty string")
            }
            return text
        }
        func stringTable(_ key: String, what: String) throws(ConfigFileError) -> [String: String] {
            guard let value = table[key] else { return [:] }
            guard let entries = value.table else {
                throw document.error(at: path + [key], "`\(key)` must be a table of \(what) (for example { NAME = \"…\" })")
            }
            var result: [String: String] = [:]
            for (entryKey, entryValue) in entries {
                // The value may be a secret: the message names only the key.
                guard let text = entryValue.string else {
                    throw document.error(at: path + [key, entryKey], "`\(key).\(entryKey)` must be a string")
                }
                result[entryKey] = text
            }
            return result
        }
        func seconds(_ key: String, default value: Double) throws(ConfigFileError) -> Double {
            guard let node = table[key] else { return value }
            guard let number = node.number, number > 0 else {
                throw document.error(at: path + [key], "`\(key)` must be a positive number of seconds")
            }
            return number
        }

        let command = try string("command")
        let url = try string("url")
        let transport: MCPTransportConfig
        switch (command, url) {
        case (let command?, nil):
            for key in ["bearer_token_env", "env_headers"] where table[key] != nil {
                throw document.error(at: path + [key], "`\(key)` is for servers with a `url`; server `\(name)` has a `command`")
            }
            var arguments: [String] = []
            if let argsNode = table["args"] {
                guard let items = argsNode.array, let strings = Optional(items.compactMap(\.string)), strings.count == items.count else {
                    throw document.error(at: path + ["args"], "`args` must be an array of strings")
                }
                arguments = strings
            }
            transport = .stdio(command: command, arguments: arguments,
                               environment: try stringTable("env", what: "variables and their values"))
        case (nil, let text?):
            for key in ["args", "env"] where table[key] != nil {
                throw document.error(at: path + [key], "`\(key)` is for servers with a `command`; server `\(name)` has a `url`")
            }
            guard let endpoint = URL(string: text), endpoint.scheme == "http" || endpoint.scheme == "https", endpoint.host != nil else {
                throw document.error(at: path + ["url"], "`url` must be an http(s) URL")
            }
            let headers = try stringTable("env_headers", what: "header names and the environment variables holding their values")
            for (header, variable) in headers where variable.isEmpty || header.isEmpty {
                throw document.error(at: path + ["env_headers"], "`env_headers` needs a header name and a variable name in each entry")
            }
            let bearer = try string("bearer_token_env")
            if bearer != nil, headers.keys.contains(where: { $0.lowercased() == "authorization" }) {
                throw document.error(at: path + ["bearer_token_env"], "`bearer_token_env` and an `Authorization` entry in `env_headers` "
                    + "both set the same header; keep one")
            }
            transport = .http(url: endpoint, headerVariables: headers, bearerTokenVariable: bearer)
        case (nil, nil):
            throw document.error(at: path, "server `\(name)` needs a `command` (a program speaking MCP on stdio) or a `url` (streamable HTTP)")
        case (_?, _?):
            throw document.error(at: path + ["url"], "server `\(name)` has both a `command` and a `url`; keep one")
        }

        let serverPolicy = try table["policy"].map { node throws(ConfigFileError) in
            try parsePolicy(node, at: path + ["policy"], document: document)
        }
        var toolPolicies: [String: ToolPolicy] = [:]
        if let toolsNode = table["tools"] {
            guard let tools = toolsNode.table else {
                throw document.error(at: path + ["tools"], "`tools` must be a table of tool names and policies, "
                    + "for example [mcp.servers.\(name).tools] convert_time = \"auto\"")
            }
            for (tool, policyNode) in tools {
                toolPolicies[tool] = try parsePolicy(policyNode, at: path + ["tools", tool], document: document)
            }
        }
        let server = MCPServerConfig(name: name, transport: transport,
                                     startupTimeout: try seconds("startup_timeout", default: MCPServerConfig.defaultStartupTimeout),
                                     callTimeout: try seconds("call_timeout", default: MCPServerConfig.defaultCallTimeout))
        return (server, serverPolicy, toolPolicies)
    }

    private static func parsePolicy(_ node: TOMLNode, at path: [String], document: TOMLDocument) throws(ConfigFileError) -> ToolPolicy {
        let allowed = ToolPolicy.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = node.string else {
            throw document.error(at: path, "`\(path.joined(separator: "."))` must be one of \(allowed) (a string)")
        }
        guard let policy = ToolPolicy(rawValue: text) else {
            throw document.error(at: path, "`\(path.joined(separator: "."))` is `\(text)`; it must be one of \(allowed)")
        }
        return policy
    }
}

/// Header values of HTTP servers, read from the environment when the server starts.
enum MCPHeaderValue {
    /// The header values; throws naming the variable (never a value) when one is unset.
    static func resolve(_ headerVariables: [String: String], bearerTokenVariable: String?,
                        environment: [String: String]) throws(MCPServerError) -> [String: String] {
        var headers: [String: String] = [:]
        for (header, variable) in headerVariables.sorted(by: { $0.key < $1.key }) {
            guard let value = environment[variable], !value.isEmpty else {
                throw .configuration("header `\(header)` takes its value from $\(variable), which is not set")
            }
            headers[header] = value
        }
        if let variable = bearerTokenVariable {
            guard let token = environment[variable], !token.isEmpty else {
                throw .configuration("the bearer token comes from $\(variable), which is not set")
            }
            headers["Authorization"] = "Bearer \(token)"
        }
        return headers
    }
}
