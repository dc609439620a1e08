import Synchronization

/// A model that answers with the replies recorded in a session, in order: re-runs a session against
/// the live executor without any model server (replay's re-run, and tests).
public final class RecordedModel: LanguageModel {
    /// The recorded session's model.
    public let descriptor: ModelDescriptor
    private let replies: [ModelFinished]
    private let next = Mutex(0)

    /// Creates a model from a session's events. Replies are served in the order their calls began
    /// (by call number): a voting strategy's replies finish in any order, but it begins its calls in
    /// the same order on a re-run.
    public init(events: [EventRecord]) {
        replies = events.compactMap { if case .modelFinished(let finished) = $0.event { finished } else { nil } }
            .enumerated().sorted { ($0.element.call, $0.offset) < ($1.element.call, $1.offset) }.map(\.element)
        let started = events.lazy.compactMap { if case .sessionStarted(let started) = $0.event { started } else { nil } }.first
        descriptor = ModelDescriptor(profile: "recorded", name: started?.model.name ?? "recorded",
                                     baseURL: "recording of \(started?.session ?? "a session")")
    }

    /// How many recorded replies have been used.
    public var used: Int { next.withLock { $0 } }

    /// Answers with the next recorded reply, streamed as one delta, with its native tool calls (so a
    /// `--tools native` run reaches the same tool steps).
    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let index = next.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        return AsyncThrowingStream { continuation in
            guard index < replies.count else {
                continuation.finish(throwing: ModelError.configuration(
                    "the recording has only \(replies.count) model replies; the re-run asked for reply \(index + 1)"))
                return
            }
            let reply = replies[index]
            let text = reply.replyText
            continuation.yield(.delta(text))
            continuation.yield(.finished(GenerationResult(text: text, usage: reply.usage, firstTokenMs: 0, totalMs: 0,
                                                          finishReason: reply.finishReason, toolCalls: reply.toolCalls ?? [])))
            continuation.finish()
        }
    }
}
