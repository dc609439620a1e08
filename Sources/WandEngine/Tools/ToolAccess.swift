/// A call of an MCP tool made by sandboxed code, as it arrived over the kernel's channel. Nothing in
/// it is trusted: code can forge one, so whoever answers it applies the tool's policy.
public struct ToolCallRequest: Sendable, Equatable {
    /// The server's configured name.
    public var server: String
    /// The tool's name as the server spells it.
    public var tool: String
    /// The arguments as the code sent them.
    public var arguments: [String: JSONValue]
    /// The attempt whose code made the call.
    public var attempt: Int

    /// Creates a request.
    public init(server: String, tool: String, arguments: [String: JSONValue], attempt: Int) {
        self.server = server
        self.tool = tool
        self.arguments = arguments
        self.attempt = attempt
    }
}

/// What the code gets back from a tool call.
public enum ToolCallReply: Sendable, Equatable {
    /// The result: the structured content when the server sent one, else the text.
    case value(JSONValue)
    /// Why the call failed (the tool's error, the server's failure, or a refusal); raised in the code
    /// as `tools.ToolError`.
    case error(String)
}

/// The tools a piece of code may call: the Python `tools` module it imports, and who answers its calls.
public struct ToolAccess: Sendable {
    /// The source of the `tools` module (``PythonToolModule/source(for:)``).
    public var moduleSource: String
    /// Answers one call; runs while the code waits, concurrently with its output.
    public var handle: @Sendable (ToolCallRequest) async -> ToolCallReply

    /// Creates access to tools.
    public init(moduleSource: String, handle: @escaping @Sendable (ToolCallRequest) async -> ToolCallReply) {
        self.moduleSource = moduleSource
        self.handle = handle
    }
}
