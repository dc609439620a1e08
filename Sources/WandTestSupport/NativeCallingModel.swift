import Synchronization
public import WandEngine

/// A model that answers with native tool calls or text, turn by turn (the last turn repeats), as a
/// server does in `--tools native` mode; records what it was asked.
public final class NativeCallingModel: LanguageModel {
    /// One reply.
    public enum Turn: Sendable {
        /// Tool calls, after the words `saying` (often none).
        case calls([ToolCall], saying: String = "")
        /// Words only: the model's answer.
        case text(String)
    }

    /// Describes the scripted model.
    public let descriptor = ModelDescriptor(profile: "scripted", name: "native-calls", baseURL: "memory")
    private let turns: [Turn]
    private let state = Mutex([GenerationRequest]())

    /// Creates a model answering with `turns`, which must not be empty.
    public init(turns: [Turn]) { self.turns = turns }

    /// Every request received, in order.
    public var requests: [GenerationRequest] { state.withLock { $0 } }

    /// Streams the next turn's words as one delta, then finishes with its tool calls.
    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let index = state.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        let result: GenerationResult
        switch turns[min(index, turns.count - 1)] {
        case .calls(let calls, let text):
            result = GenerationResult(text: text, usage: TokenUsage(prompt: 10, completion: 5), firstTokenMs: 1, totalMs: 2,
                                      finishReason: "tool_calls", toolCalls: calls)
        case .text(let text):
            result = GenerationResult(text: text, usage: TokenUsage(prompt: 10, completion: 5), firstTokenMs: 1, totalMs: 2,
                                      finishReason: "stop")
        }
        return AsyncThrowingStream { continuation in
            if !result.text.isEmpty { continuation.yield(.delta(result.text)) }
            continuation.yield(.finished(result))
            continuation.finish()
        }
    }
}
