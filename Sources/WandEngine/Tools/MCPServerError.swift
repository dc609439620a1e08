/// Why an MCP server could not do what was asked. Every message is plain and already has secrets
/// replaced; the server's name is added by ``MCPServerFailure``.
public enum MCPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration cannot be used as it is (an unset variable, a missing program).
    case configuration(String)
    /// The server did not start, or its handshake failed.
    case startFailed(String)
    /// The server did not answer in time; it was stopped.
    case timedOut(String)
    /// The server ended or was stopped (crashed, killed, unreachable); it is not used again this session.
    case stopped(String)
    /// The server answered a request with a protocol error.
    case server(String)
    /// The server has no tool of that name.
    case unknownTool(String)

    /// The message.
    public var description: String {
        switch self {
        case .configuration(let message), .startFailed(let message), .timedOut(let message), .stopped(let message),
             .server(let message), .unknownTool(let message):
            message
        }
    }

    /// A short name of the kind of failure, for tables and the Python exception's type.
    public var kind: String {
        switch self {
        case .configuration: "configuration"
        case .startFailed: "start failed"
        case .timedOut: "timed out"
        case .stopped: "stopped"
        case .server: "server error"
        case .unknownTool: "unknown tool"
        }
    }
}

/// An MCP server's failure, with the server's name: what callers and the user see.
public struct MCPServerFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server's configured name.
    public var server: String
    /// What went wrong.
    public var error: MCPServerError

    /// Creates a failure.
    public init(server: String, error: MCPServerError) {
        self.server = server
        self.error = error
    }

    /// `MCP server `NAME`: message`.
    public var description: String { "MCP server `\(server)`: \(error)" }
}
