import WandEngine

/// One model call of a run: what was sent (when the session recorded it) and the reply.
struct RecordedCall: Sendable, Equatable {
    /// The call number.
    var number: Int
    /// Why the model was called.
    var purpose: ModelPurpose
    /// The conversation sent; nil in sessions recorded before `model.started` carried it.
    var messages: [ChatMessage]?
    /// The reply, once the call finished.
    var reply: ModelFinished?
}

/// What one run of a session says about its conversations with the model.
struct RecordedRun: Sendable, Equatable {
    /// The run number.
    var number: Int
    /// Its goal.
    var goal: String
    /// Its strategy.
    var strategy: String
    /// The MCP tools its session offered (`session.started`'s `mcpTools`), which `--tools native`
    /// offered the model beside the built-in tools.
    var mcpTools: [MCPToolInfo] = []
    /// How it ended (nil when the file leaves it open).
    var status: RunStatus?
    /// Its answer, if it gave one.
    var answer: AnswerGiven?
    var calls: [RecordedCall] = []
    /// Attempt number → index in `calls` of the call whose reply held the attempt's code.
    var attemptCalls: [Int: Int] = [:]

    /// The runs of a session's events, in order.
    static func runs(in events: [EventRecord]) -> [RecordedRun] {
        var runs: [RecordedRun] = []
        var mcpTools: [MCPToolInfo] = []
        for record in events {
            switch record.event {
            case .sessionStarted(let started):
                mcpTools = started.mcpTools ?? []
            case .runStarted(let started):
                runs.append(RecordedRun(number: started.run, goal: started.goal, strategy: started.strategy, mcpTools: mcpTools))
            case .modelStarted(let started) where !runs.isEmpty:
                runs[runs.count - 1].calls.append(RecordedCall(number: started.call, purpose: started.purpose,
                                                               messages: started.messages))
            case .modelFinished(let finished) where !runs.isEmpty:
                if let index = runs[runs.count - 1].calls.lastIndex(where: { $0.number == finished.call }) {
                    runs[runs.count - 1].calls[index].reply = finished
                }
            case .codeProposed(let code) where !runs.isEmpty:
                runs[runs.count - 1].attemptCalls[code.attempt] = runs[runs.count - 1].call(proposing: code.source)
            case .answer(let answer) where !runs.isEmpty:
                runs[runs.count - 1].answer = answer
            case .runFinished(let finished) where !runs.isEmpty:
                runs[runs.count - 1].status = finished.status
            default:
                break
            }
        }
        return runs
    }

    /// Whether every model call of the run has its conversation recorded.
    var hasMessages: Bool { calls.allSatisfy { $0.messages != nil } }

    /// The finished call whose reply proposed the code; failing that, the latest finished call.
    private func call(proposing source: String) -> Int? {
        let finished = calls.indices.filter { calls[$0].reply != nil }
        let replies = finished.map { calls[$0].reply?.text ?? "" }
        return ReplyParser.latestReply(proposing: source, among: replies).map { finished[$0] } ?? finished.last
    }

    /// The conversation that produced the run's outcome, as a training example: the one holding the call
    /// that wrote the answer's code (or, for an answer in words or a run without one, the run's last call),
    /// followed to its end, with the last reply as the final assistant turn.
    func example() -> Result<ChatExample, ExampleUnavailable> {
        let candidates = calls.indices.filter { calls[$0].reply != nil && calls[$0].purpose != .reflect }
        guard let anchor = answer?.source?.attempt.flatMap({ attemptCalls[$0] }) ?? candidates.last else {
            return .failure(.noReply)
        }
        var end = anchor
        while let next = calls.indices.first(where: { $0 > end && Self.continues(calls[$0], calls[end]) }) { end = next }
        let last = calls[end]
        guard let messages = last.messages else { return .failure(.notRecorded) }
        guard let reply = last.reply, reply.finishReason != "cancelled", reply.finishReason != "error" else {
            return .failure(.incompleteReply)
        }
        let conversation = messages + [ChatMessage(.assistant, reply.replyText, toolCalls: reply.toolCalls)]
        let usesTools = conversation.contains { $0.toolCalls != nil || $0.role == .tool }
        return .success(ChatExample(messages: conversation, tools: usesTools ? ToolDefinition.nativeActionTools(offering: mcpTools) : nil))
    }

    /// Whether `later` was sent the conversation of `earlier` and its reply, and more.
    private static func continues(_ later: RecordedCall, _ earlier: RecordedCall) -> Bool {
        guard let before = earlier.messages, let after = later.messages, let reply = earlier.reply,
              after.count > before.count, Array(after.prefix(before.count)) == before
        else { return false }
        let next = after[before.count]
        guard next.role == .assistant else { return false }
        if let toolCalls = reply.toolCalls { return next.content == reply.replyText && next.toolCalls == toolCalls }
        // Sessions written before replies kept their native tool calls show them only as `[tool call …]`
        // lines in the text, so such a reply is matched by its role.
        return next.content == reply.text || next.toolCalls != nil
    }
}

/// Why a run gives no training example.
enum ExampleUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    /// No model call of the run finished.
    case noReply
    /// The session does not hold what the model was sent, and it could not be recovered.
    case notRecorded
    /// The conversation's last reply was cancelled or failed.
    case incompleteReply

    /// A short reason.
    var description: String {
        switch self {
        case .noReply: "no model call finished"
        case .notRecorded: "the session does not record what the model was sent"
        case .incompleteReply: "its last reply was cancelled or failed"
        }
    }
}
