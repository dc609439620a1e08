public import WandEngine

/// One training example in the OpenAI chat format: a JSON Lines line `{"messages": […]}`, with `tools`
/// when the conversation used the server's native tool calls.
public struct ChatExample: Encodable, Sendable, Equatable {
    /// The conversation: the system prompt, the goal, the model's replies and what it was told after each,
    /// ending with the model's last reply.
    public var messages: [ChatMessage]
    /// The tools the model was offered, in the request's wire shape; nil for plain chat.
    public var tools: [ToolDefinition]?

    /// Creates an example.
    public init(messages: [ChatMessage], tools: [ToolDefinition]? = nil) {
        self.messages = messages
        self.tools = tools
    }
}
