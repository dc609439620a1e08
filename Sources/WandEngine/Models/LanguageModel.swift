/// Who says a chat message.
public enum ChatRole: String, Codable, Sendable, Equatable {
    case system, user, assistant, tool
}

/// One message of a chat conversation.
public struct ChatMessage: Codable, Sendable, Equatable {
    /// The speaker.
    public var role: ChatRole
    /// The text.
    public var content: String

    /// Creates a message.
    public init(_ role: ChatRole, _ content: String) {
        self.role = role
        self.content = content
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

    /// Creates a request.
    public init(messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int = 768, stop: [String] = [],
                seed: Int? = nil) {
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.seed = seed
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
    /// Why generation stopped: `stop`, `length`, …
    public var finishReason: String?

    /// Creates a result.
    public init(text: String, usage: TokenUsage, firstTokenMs: Int?, totalMs: Int, finishReason: String?) {
        self.text = text
        self.usage = usage
        self.firstTokenMs = firstTokenMs
        self.totalMs = totalMs
        self.finishReason = finishReason
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
