import Foundation
public import WandEngine
import Synchronization

/// A model that answers with scripted replies, in order, streamed in small pieces; records what it was asked.
public final class ScriptedModel: LanguageModel {
    /// Describes the scripted model.
    public let descriptor = ModelDescriptor(profile: "scripted", name: "scripted", baseURL: "memory")
    private let respond: @Sendable (GenerationRequest, Int) -> String
    private let pieceDelay: Duration
    private let state = Mutex((next: 0, requests: [GenerationRequest]()))

    /// Creates a model; `pieceDelay` slows streaming so tests can cancel mid-generation.
    public init(_ replies: [String], pieceDelay: Duration = .zero) {
        respond = { _, index in replies.isEmpty ? "" : replies[min(index, replies.count - 1)] }
        self.pieceDelay = pieceDelay
    }

    /// Creates a model that answers each request by a rule (given the request and its number from 0),
    /// for strategies that ask several things at once, where arrival order is not fixed.
    public init(pieceDelay: Duration = .zero, respond: @escaping @Sendable (GenerationRequest, Int) -> String) {
        self.respond = respond
        self.pieceDelay = pieceDelay
    }

    /// Every request received, in order.
    public var requests: [GenerationRequest] { state.withLock { $0.requests } }

    /// Streams the next reply in pieces of eight characters; after the last reply it repeats the last.
    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let index = state.withLock { state -> Int in
            state.requests.append(request)
            defer { state.next += 1 }
            return state.next
        }
        let reply = respond(request, index)
        let delay = pieceDelay
        return AsyncThrowingStream { continuation in
            let task = Task {
                var index = reply.startIndex
                while index < reply.endIndex {
                    if delay > .zero { try await Task.sleep(for: delay) }
                    let end = reply.index(index, offsetBy: 8, limitedBy: reply.endIndex) ?? reply.endIndex
                    continuation.yield(.delta(String(reply[index..<end])))
                    index = end
                }
                continuation.yield(.finished(GenerationResult(text: reply, usage: TokenUsage(prompt: 10, completion: max(1, reply.count / 4)),
                                                              firstTokenMs: 1, totalMs: 2, finishReason: "stop")))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
