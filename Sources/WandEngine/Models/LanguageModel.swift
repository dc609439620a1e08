import Foundation

/// Who says a chat message.
public enum ChatRole: String, Codable, Sendable, Equatable, CaseIterable {
    case system, user, assistant, tool
}

/// One message of a chat conversation.
public struct ChatMessage: Codable, Sendable, Equatable {
    /// The speaker.
    public var role: ChatRole
    /// The text.
    public var content: String
    /// Tool calls the assistant made (native tool mode).
    public var toolCalls: [ToolCall]?
    /// The call a `tool` message answers.
    public var toolCallID: String?

    /// Creates a message.
    public init(_ role: ChatRole, _ content: String, toolCalls: [ToolCall]? = nil, toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    enum CodingKeys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }
}

/// A function the model may call in native tool mode.
public struct ToolDefinition: Sendable, Equatable {
    /// The function's name.
    public var name: String
    /// What it does.
    public var description: String
    /// Its parameters: name, description, and whether required (all are strings).
    public var parameters: [(name: String, description: String, required: Bool)]
    /// The parameters' JSON schema as a server gave it (an MCP tool's input schema); sent instead of
    /// `parameters` when set.
    public var inputSchema: JSONValue?

    /// Creates a definition.
    public init(name: String, description: String, parameters: [(name: String, description: String, required: Bool)]) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// Creates a definition whose parameters are a JSON schema.
    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = []
        self.inputSchema = inputSchema
    }

    public static func == (lhs: ToolDefinition, rhs: ToolDefinition) -> Bool {
        lhs.name == rhs.name && lhs.description == rhs.description
            && lhs.parameters.map(\.name) == rhs.parameters.map(\.name) && lhs.inputSchema == rhs.inputSchema
    }
}

/// A call of a tool by the model, in the OpenAI wire shape.
public struct ToolCall: Codable, Sendable, Equatable {
    /// The call's identifier, echoed by the tool message that answers it.
    public var id: String
    /// Always `function`.
    public var type: String
    /// The function and its JSON-encoded arguments.
    public var function: FunctionCall

    /// A function name and its arguments as JSON text.
    public struct FunctionCall: Codable, Sendable, Equatable {
        /// The function name.
        public var name: String
        /// The arguments, a JSON object as text.
        public var arguments: String
    }

    /// Creates a call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.type = "function"
        self.function = FunctionCall(name: name, arguments: arguments)
    }

    /// The arguments decoded as strings (non-string values are given as their JSON text).
    public var stringArguments: [String: String] {
        guard let data = function.arguments.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object {
            result[key] = value as? String ?? String(describing: value)
        }
        return result
    }
}

/// A request for one streamed chat completion.
public struct GenerationRequest: Sendable, Equatable {
    /// The conversation so far.
    public var messages: [ChatMessage]
    /// Sampling temperature; nil uses the profile's.
    public var temperature: Double?
    /// The most tokens to generate; always set, because an uncapped runaway reply can fill a shared
    /// llama.cpp context and fail every later request.
    public var maxTokens: Int
    /// Stop sequences.
    public var stop: [String]
    /// A sampling seed, for reproducible runs where the server supports it.
    public var seed: Int?
    /// Tools offered to the model (native tool mode); empty for plain chat.
    public var tools: [ToolDefinition]

    /// Creates a request.
    public init(messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int = 768, stop: [String] = [],
                seed: Int? = nil, tools: [ToolDefinition] = []) {
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.seed = seed
        self.tools = tools
    }
}

/// The end of a generation.
public struct GenerationResult: Sendable, Equatable {
    /// The whole text.
    public var text: String
    /// Token counts (estimated when the server does not report them).
    public var usage: TokenUsage
    /// Milliseconds to the first content token.
    public var firstTokenMs: Int?
    /// Milliseconds for the whole request.
    public var totalMs: Int
    /// Why generation stopped: `stop`, `length`, `tool_calls`, …
    public var finishReason: String?
    /// Tool calls the model made (native tool mode).
    public var toolCalls: [ToolCall]

    /// Creates a result.
    public init(text: String, usage: TokenUsage, firstTokenMs: Int?, totalMs: Int, finishReason: String?,
                toolCalls: [ToolCall] = []) {
        self.text = text
        self.usage = usage
        self.firstTokenMs = firstTokenMs
        self.totalMs = totalMs
        self.finishReason = finishReason
        self.toolCalls = toolCalls
    }
}

/// What a streaming generation yields.
public enum GenerationEvent: Sendable, Equatable {
    /// New text.
    case delta(String)
    /// Something worth telling the user that did not stop the generation (a skipped bad line, a retry).
    case notice(String)
    /// The generation ended; always the last event unless the stream throws.
    case finished(GenerationResult)
}

/// A chat model that streams its reply. Cancelling the consuming task stops the request at once.
public protocol LanguageModel: Sendable {
    /// Which model this is, for session records (never holds a credential).
    var descriptor: ModelDescriptor { get }
    /// Streams a completion.
    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error>
}

extension LanguageModel {
    /// Runs a generation to its end, passing each delta to `onDelta`.
    public func complete(_ request: GenerationRequest,
                         onDelta: @Sendable (String) async -> Void = { _ in }) async throws -> GenerationResult {
        var result: GenerationResult?
        for try await event in generate(request) {
            switch event {
            case .delta(let text): await onDelta(text)
            case .notice: break
            case .finished(let finished): result = finished
            }
        }
        guard let result else { throw ModelError.incomplete(server: descriptor.baseURL, partial: "") }
        return result
    }
}

extension AsyncThrowingStream where Element == GenerationEvent, Failure == any Error {
    /// A stream of generation events fed by `body` in a task of its own: the stream ends when `body`
    /// returns or throws (a cancellation as ``ModelError/cancelled``), and a consumer that stops
    /// listening cancels the task, and with it the request.
    static func generation(_ body: @escaping @Sendable (Continuation) async throws -> Void) -> Self {
        let (stream, sink) = makeStream()
        let task = Task {
            do {
                try await body(sink)
                sink.finish()
            } catch is CancellationError {
                sink.finish(throwing: ModelError.cancelled)
            } catch {
                sink.finish(throwing: error)
            }
        }
        sink.onTermination = { _ in task.cancel() }
        return stream
    }
}
