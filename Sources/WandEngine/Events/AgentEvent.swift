/// A domain fact emitted by the engine; a session is the ordered list of these.
///
/// The JSON form (one object per line) is documented in `docs/SESSION_FORMAT.md`.
///
/// Cases whose payload is larger than a few words are `indirect`: an enum is as large as its largest
/// case, and a loaded session holds one per line, most of them small deltas and output chunks
/// (`SessionStarted` inline made every one of 100,000 events 224 bytes).
public enum AgentEvent: Sendable, Equatable {
    indirect case sessionStarted(SessionStarted)
    indirect case runStarted(RunStarted)
    case planUpdated(PlanUpdated)
    case stepUpdated(StepUpdated)
    case modelStarted(ModelStarted)
    case modelDelta(ModelDelta)
    indirect case modelFinished(ModelFinished)
    case codeProposed(CodeProposed)
    case approvalRequested(ApprovalRequested)
    case approvalDecided(ApprovalDecided)
    case execStarted(ExecStarted)
    case execOutput(ExecOutput)
    indirect case execFinished(ExecFinished)
    indirect case toolCalled(ToolCalled)
    indirect case toolResult(ToolReturned)
    indirect case feedbackSent(FeedbackSent)
    indirect case answer(AnswerGiven)
    case notice(Notice)
    indirect case settingsChanged(SettingsChanged)
    indirect case runFinished(RunFinished)
    indirect case sessionFinished(SessionFinished)

    /// The `type` field written for this event.
    public var typeName: String { eventType.name }

    /// This event's row of ``types``.
    public var eventType: EventType {
        guard let type = Self.types.first(where: { $0.matches(self) }) else {
            preconditionFailure("\(self) has no row in AgentEvent.types")
        }
        return type
    }

    /// Every event type of the session format, in the order of `docs/SESSION_FORMAT.md`: the one table
    /// from which the `type` name, encoding and decoding all come. A new event is a case above, its
    /// payload type, and a row here.
    public static let types: [EventType] = [
        EventType("session.started", AgentEvent.sessionStarted) { if case .sessionStarted(let p) = $0 { p } else { nil } },
        EventType("run.started", AgentEvent.runStarted) { if case .runStarted(let p) = $0 { p } else { nil } },
        EventType("plan.updated", AgentEvent.planUpdated) { if case .planUpdated(let p) = $0 { p } else { nil } },
        EventType("step.updated", AgentEvent.stepUpdated) { if case .stepUpdated(let p) = $0 { p } else { nil } },
        EventType("model.started", AgentEvent.modelStarted) { if case .modelStarted(let p) = $0 { p } else { nil } },
        EventType("model.delta", AgentEvent.modelDelta) { if case .modelDelta(let p) = $0 { p } else { nil } },
        EventType("model.finished", AgentEvent.modelFinished) { if case .modelFinished(let p) = $0 { p } else { nil } },
        EventType("code.proposed", AgentEvent.codeProposed) { if case .codeProposed(let p) = $0 { p } else { nil } },
        EventType("approval.requested", AgentEvent.approvalRequested) { if case .approvalRequested(let p) = $0 { p } else { nil } },
        EventType("approval.decided", AgentEvent.approvalDecided) { if case .approvalDecided(let p) = $0 { p } else { nil } },
        EventType("exec.started", AgentEvent.execStarted) { if case .execStarted(let p) = $0 { p } else { nil } },
        EventType("exec.output", AgentEvent.execOutput) { if case .execOutput(let p) = $0 { p } else { nil } },
        EventType("exec.finished", AgentEvent.execFinished) { if case .execFinished(let p) = $0 { p } else { nil } },
        EventType("tool.called", AgentEvent.toolCalled) { if case .toolCalled(let p) = $0 { p } else { nil } },
        EventType("tool.result", AgentEvent.toolResult) { if case .toolResult(let p) = $0 { p } else { nil } },
        EventType("feedback.sent", AgentEvent.feedbackSent) { if case .feedbackSent(let p) = $0 { p } else { nil } },
        EventType("answer", AgentEvent.answer) { if case .answer(let p) = $0 { p } else { nil } },
        EventType("notice", AgentEvent.notice) { if case .notice(let p) = $0 { p } else { nil } },
        EventType("settings.changed", AgentEvent.settingsChanged) { if case .settingsChanged(let p) = $0 { p } else { nil } },
        EventType("run.finished", AgentEvent.runFinished) { if case .runFinished(let p) = $0 { p } else { nil } },
        EventType("session.finished", AgentEvent.sessionFinished) { if case .sessionFinished(let p) = $0 { p } else { nil } },
    ]

    /// The rows of ``types`` by `type` name, for decoding.
    static let typesByName: [String: EventType] = Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0) })
}

/// One event type of the session format: its `type` name and how its payload's fields are written into,
/// and read from, the line's object (beside the envelope's `v`, `seq`, `time` and `type`).
public struct EventType: Sendable {
    /// The `type` field.
    public let name: String
    private let isOfType: @Sendable (AgentEvent) -> Bool
    private let writePayload: @Sendable (AgentEvent, any Encoder) throws -> Void
    private let readEvent: @Sendable (any Decoder) throws -> AgentEvent

    /// A row of ``AgentEvent/types``: `wrap` is the event's case, `unwrap` its payload when the event is of this type.
    init<Payload: Codable & Sendable>(_ name: String, _ wrap: @escaping @Sendable (Payload) -> AgentEvent,
                                      unwrap: @escaping @Sendable (AgentEvent) -> Payload?) {
        self.name = name
        isOfType = { unwrap($0) != nil }
        writePayload = { event, encoder in
            guard let payload = unwrap(event) else {
                throw EncodingError.invalidValue(event, EncodingError.Context(
                    codingPath: encoder.codingPath, debugDescription: "a `\(name)` row was asked to encode \(event)"))
            }
            try payload.encode(to: encoder)
        }
        readEvent = { wrap(try Payload(from: $0)) }
    }

    /// Whether `event` is of this type.
    public func matches(_ event: AgentEvent) -> Bool { isOfType(event) }

    /// Writes the payload's fields of `event`, which must be of this type.
    public func encodePayload(of event: AgentEvent, to encoder: any Encoder) throws { try writePayload(event, encoder) }

    /// Reads an event of this type from the payload's fields.
    public func decodeEvent(from decoder: any Decoder) throws -> AgentEvent { try readEvent(decoder) }
}

/// Which model produced a session, without any credential.
public struct ModelDescriptor: Codable, Sendable, Equatable {
    /// The profile name from the configuration (`local` for the embedded model).
    public var profile: String
    /// The model name sent to the server.
    public var name: String
    /// The server's base URL.
    public var baseURL: String

    /// Creates a model descriptor.
    public init(profile: String, name: String, baseURL: String) {
        self.profile = profile
        self.name = name
        self.baseURL = baseURL
    }
}

/// How code execution was confined for a session.
public struct SandboxDescriptor: Codable, Sendable, Equatable {
    /// Whether bubblewrap confines execution or only resource limits apply.
    public var mode: SandboxMode
    /// A human-readable account of what is enforced.
    public var detail: String
    /// Why bubblewrap does not confine the code (a few words), when `mode` is `limits-only`; absent in
    /// files written before Wand probed bubblewrap.
    public var fallbackReason: String?

    /// Creates a sandbox descriptor.
    public init(mode: SandboxMode, detail: String, fallbackReason: String? = nil) {
        self.mode = mode
        self.detail = detail
        self.fallbackReason = fallbackReason
    }
}

/// `session.started`: the first event of every session.
public struct SessionStarted: Codable, Sendable, Equatable {
    /// A unique session identifier (also the file's base name).
    public var session: String
    /// The first goal of the session.
    public var goal: String
    /// The model used.
    public var model: ModelDescriptor
    /// The strategy name (`codeact`, `pal`, `plan`, `tdd`, `sample`, …).
    public var strategy: String
    /// Settings in effect (budgets, limits, approval mode), as strings.
    public var settings: [String: String]
    /// What the model's tokens cost, when its profile has prices; absent in files written by Wand 0.1.0,
    /// whose prices (if any) are in `settings` (``ModelPricing/recordedInSettings(_:)``).
    public var pricing: ModelPricing?
    /// Versions of the tools involved (Wand, Python, bubblewrap, model server).
    public var tools: [String: String]
    /// How execution is confined.
    public var sandbox: SandboxDescriptor
    /// For a comparison session (`/compare`, `wand compare`): its sides, one run each, shown side by side.
    public var comparison: [ComparisonLane]?
    /// The MCP tools the code could call (those of the servers that started), when any were configured;
    /// a re-run loads its `tools` module from them.
    public var mcpTools: [MCPToolInfo]?

    /// Creates the payload.
    public init(session: String, goal: String, model: ModelDescriptor, strategy: String,
                settings: [String: String] = [:], pricing: ModelPricing? = nil, tools: [String: String] = [:],
                sandbox: SandboxDescriptor, comparison: [ComparisonLane]? = nil, mcpTools: [MCPToolInfo]? = nil) {
        self.mcpTools = mcpTools
        self.session = session
        self.goal = goal
        self.model = model
        self.strategy = strategy
        self.settings = settings
        self.pricing = pricing
        self.tools = tools
        self.sandbox = sandbox
        self.comparison = comparison
    }
}

/// `run.started`: a goal begins to be worked on (the first follows `session.started`).
public struct RunStarted: Codable, Sendable, Equatable {
    /// The run number within the session, from 1.
    public var run: Int
    /// The goal of this run.
    public var goal: String
    /// The strategy of this run.
    public var strategy: String
    /// The tests given for this run (`--tests`), so a re-run can use them again.
    public var tests: String?

    /// Creates the payload.
    public init(run: Int, goal: String, strategy: String, tests: String? = nil) {
        self.run = run
        self.goal = goal
        self.strategy = strategy
        self.tests = tests
    }
}

/// The life cycle of one plan step.
public enum StepStatus: String, Codable, Sendable, Equatable, CaseIterable {
    case pending, active, done, failed, skipped
}

/// One step of the agent's plan.
public struct PlanStep: Codable, Sendable, Equatable {
    /// What the step does.
    public var title: String
    /// Where the step stands.
    public var status: StepStatus

    /// Creates a plan step.
    public init(title: String, status: StepStatus = .pending) {
        self.title = title
        self.status = status
    }
}

/// `plan.updated`: the whole plan, replacing any earlier one.
public struct PlanUpdated: Codable, Sendable, Equatable {
    /// The steps in order.
    public var steps: [PlanStep]
    /// 1 for the first plan, incremented on each revision.
    public var revision: Int

    /// Creates the payload.
    public init(steps: [PlanStep], revision: Int = 1) {
        self.steps = steps
        self.revision = revision
    }
}

/// `step.updated`: one plan step changes status.
public struct StepUpdated: Codable, Sendable, Equatable {
    /// The step's index in the current plan, from 0.
    public var index: Int
    /// The new status.
    public var status: StepStatus
    /// An optional short note (why it failed, for instance).
    public var note: String?

    /// Creates the payload.
    public init(index: Int, status: StepStatus, note: String? = nil) {
        self.index = index
        self.status = status
        self.note = note
    }
}

/// `model.started`: a request to the model begins.
public struct ModelStarted: Codable, Sendable, Equatable {
    /// The call number within the session, from 1.
    public var call: Int
    /// Why the model is called.
    public var purpose: ModelPurpose
    /// The conversation sent, exactly as the model received it; absent in sessions written before it
    /// was recorded.
    public var messages: [ChatMessage]?

    /// Creates the payload.
    public init(call: Int, purpose: ModelPurpose, messages: [ChatMessage]? = nil) {
        self.call = call
        self.purpose = purpose
        self.messages = messages
    }
}

/// `model.delta`: a piece of streamed model text.
public struct ModelDelta: Codable, Sendable, Equatable {
    /// The call this text belongs to.
    public var call: Int
    /// The new text.
    public var text: String

    /// Creates the payload.
    public init(call: Int, text: String) {
        self.call = call
        self.text = text
    }
}

/// Token counts reported by the server.
public struct TokenUsage: Codable, Sendable, Equatable {
    /// Tokens in the request.
    public var prompt: Int
    /// Tokens generated.
    public var completion: Int

    /// Creates a usage record.
    public init(prompt: Int = 0, completion: Int = 0) {
        self.prompt = prompt
        self.completion = completion
    }

    /// Prompt and completion together.
    public var total: Int { prompt + completion }

    /// Adds two usages.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(prompt: lhs.prompt + rhs.prompt, completion: lhs.completion + rhs.completion)
    }
}

/// `model.finished`: a model call ended with its whole text.
public struct ModelFinished: Codable, Sendable, Equatable {
    /// The call number.
    public var call: Int
    /// The complete reply.
    public var text: String
    /// Token counts.
    public var usage: TokenUsage
    /// Milliseconds from request to first streamed token, when known.
    public var firstTokenMs: Int?
    /// Milliseconds from request to the end of the reply.
    public var totalMs: Int
    /// The server's finish reason (`stop`, `length`, `cancelled`, …).
    public var finishReason: String?
    /// The native tool calls of the reply (`--tools native`), whole: ids, names and arguments as the
    /// model sent them. `text` shows each as a line too; these are what a re-run replays. Absent for a
    /// reply without any, and in sessions written before they were recorded.
    public var toolCalls: [ToolCall]?

    /// Creates the payload.
    public init(call: Int, text: String, usage: TokenUsage, firstTokenMs: Int?, totalMs: Int, finishReason: String?,
                toolCalls: [ToolCall]? = nil) {
        self.call = call
        self.text = text
        self.usage = usage
        self.firstTokenMs = firstTokenMs
        self.totalMs = totalMs
        self.finishReason = finishReason
        self.toolCalls = toolCalls
    }

    /// The payload of a complete reply: `text` is the model's words followed by one
    /// `[tool call NAME ARGS]` line per native tool call, so every reader of `text` shows the calls.
    public init(call: Int, reply: GenerationResult) {
        var text = reply.text
        for toolCall in reply.toolCalls {
            text += (text.isEmpty ? "" : "\n") + Self.line(showing: toolCall)
        }
        self.init(call: call, text: text, usage: reply.usage, firstTokenMs: reply.firstTokenMs, totalMs: reply.totalMs,
                  finishReason: reply.finishReason, toolCalls: reply.toolCalls.isEmpty ? nil : reply.toolCalls)
    }

    /// How `text` shows a native tool call.
    static func line(showing toolCall: ToolCall) -> String {
        "[tool call \(toolCall.function.name) \(toolCall.function.arguments)]"
    }

    /// The model's own words: `text` without the lines that ``init(call:reply:)`` added for `toolCalls`.
    /// Compared as UTF-8, since a reply ending in `\r` would join the separating `\n` into one character.
    public var replyText: String {
        guard let toolCalls, !toolCalls.isEmpty else { return text }
        let shown = Array(toolCalls.map(Self.line(showing:)).joined(separator: "\n").utf8)
        let bytes = Array(text.utf8)
        if bytes == shown { return "" }
        let suffix = [UInt8(ascii: "\n")] + shown
        guard bytes.count > suffix.count, bytes.suffix(suffix.count).elementsEqual(suffix) else { return text }
        return String(decoding: bytes.prefix(bytes.count - suffix.count), as: UTF8.self)
    }
}

/// The language of a code block.
public enum CodeLanguage: String, Codable, Sendable, Equatable, CaseIterable {
    case python, shell
}

/// `code.proposed`: the agent wants to run this code.
public struct CodeProposed: Codable, Sendable, Equatable {
    /// The attempt number within the session, from 1.
    public var attempt: Int
    /// The code's language.
    public var language: CodeLanguage
    /// The code itself.
    public var source: String
    /// The plan step it serves, when there is a plan.
    public var step: Int?

    /// Creates the payload.
    public init(attempt: Int, language: CodeLanguage, source: String, step: Int? = nil) {
        self.attempt = attempt
        self.language = language
        self.source = source
        self.step = step
    }
}

/// `approval.requested`: in `ask` mode, the agent waits for the user to approve an attempt; or, with
/// `toolCall`, code of that attempt waits for the user to allow a tool call (a tool whose policy is `ask`).
public struct ApprovalRequested: Codable, Sendable, Equatable {
    /// The attempt awaiting approval (or whose code made the tool call).
    public var attempt: Int
    /// The tool call awaiting approval (its `tool.called` number), when it is a tool call.
    public var toolCall: Int?

    /// Creates the payload.
    public init(attempt: Int, toolCall: Int? = nil) {
        self.attempt = attempt
        self.toolCall = toolCall
    }
}

/// What the user decided about proposed code.
public enum ApprovalDecision: String, Codable, Sendable, Equatable, CaseIterable {
    case run, skip, edit, always
}

/// `approval.decided`: the user's decision on an attempt, or on one of its tool calls.
public struct ApprovalDecided: Codable, Sendable, Equatable {
    /// The attempt decided on.
    public var attempt: Int
    /// The decision (for a tool call: `run` allows it, `skip` refuses it, `always` allows every later one).
    public var decision: ApprovalDecision
    /// The edited source, when the decision is `edit`.
    public var source: String?
    /// The tool call decided on, when it is a tool call.
    public var toolCall: Int?

    /// Creates the payload.
    public init(attempt: Int, decision: ApprovalDecision, source: String? = nil, toolCall: Int? = nil) {
        self.attempt = attempt
        self.decision = decision
        self.source = source
        self.toolCall = toolCall
    }
}

/// `tool.called`: code called an MCP tool (through `tools.SERVER.TOOL(…)`).
public struct ToolCalled: Codable, Sendable, Equatable {
    /// The tool call's number within the session, from 1.
    public var call: Int
    /// The attempt whose code made the call.
    public var attempt: Int
    /// The server's configured name, as the code named it.
    public var server: String
    /// The tool's name, as the code named it.
    public var tool: String
    /// The arguments, with the server's secrets replaced; over ``ToolCalled/argumentLimitBytes`` they
    /// are replaced by a string saying how long they were.
    public var arguments: JSONValue
    /// The policy that decided the call.
    public var policy: ToolPolicy

    /// The most bytes of arguments (as compact JSON) recorded.
    public static let argumentLimitBytes = 16_384

    /// Creates the payload.
    public init(call: Int, attempt: Int, server: String, tool: String, arguments: JSONValue, policy: ToolPolicy) {
        self.call = call
        self.attempt = attempt
        self.server = server
        self.tool = tool
        self.arguments = arguments
        self.policy = policy
    }
}

/// How a tool call ended.
public enum ToolOutcome: String, Codable, Sendable, Equatable, CaseIterable {
    /// The tool answered.
    case ok
    /// The tool ran and reported an error.
    case toolError = "tool-error"
    /// The server could not answer (not configured, failed to start, crashed, timed out).
    case failed
    /// The policy `never` refused it.
    case refused
    /// The user did not allow it.
    case declined
}

/// `tool.result`: a tool call ended; its result went back to the code (an error is raised there as `tools.ToolError`).
public struct ToolReturned: Codable, Sendable, Equatable {
    /// The call's number (as in `tool.called`).
    public var call: Int
    /// The server's name.
    public var server: String
    /// The tool's name.
    public var tool: String
    /// How it ended.
    public var outcome: ToolOutcome
    /// What the server returned (capped, secrets replaced), when it answered.
    public var result: ToolCallResult?
    /// Why it failed, when it did (the message the code's `tools.ToolError` carries).
    public var error: String?
    /// Wall-clock milliseconds from the call to its answer (waiting for approval included).
    public var durationMs: Int

    /// Creates the payload.
    public init(call: Int, server: String, tool: String, outcome: ToolOutcome, result: ToolCallResult? = nil,
                error: String? = nil, durationMs: Int) {
        self.call = call
        self.server = server
        self.tool = tool
        self.outcome = outcome
        self.result = result
        self.error = error
        self.durationMs = durationMs
    }

    /// What the code gets back: the structured result when there is one, else the text; an error otherwise.
    public var reply: ToolCallReply {
        if outcome == .ok, let result { return .value(result.structured ?? .string(result.text)) }
        return .error(error ?? result?.text ?? "the tool call failed")
    }
}

/// `exec.started`: an attempt begins to run.
public struct ExecStarted: Codable, Sendable, Equatable {
    /// The attempt being run.
    public var attempt: Int
    /// Its language.
    public var language: CodeLanguage
    /// Where it runs.
    public var runner: ExecutionRunner

    /// Creates the payload.
    public init(attempt: Int, language: CodeLanguage, runner: ExecutionRunner) {
        self.attempt = attempt
        self.language = language
        self.runner = runner
    }
}

/// An output stream of executed code.
public enum OutputStreamKind: String, Codable, Sendable, Equatable, CaseIterable {
    case stdout, stderr
}

/// `exec.output`: a chunk of output, in the order it was produced.
public struct ExecOutput: Codable, Sendable, Equatable {
    /// The attempt producing it.
    public var attempt: Int
    /// Which stream.
    public var stream: OutputStreamKind
    /// The text (invalid UTF-8 replaced by U+FFFD).
    public var chunk: String

    /// Creates the payload.
    public init(attempt: Int, stream: OutputStreamKind, chunk: String) {
        self.attempt = attempt
        self.stream = stream
        self.chunk = chunk
    }
}

/// Which per-step limit stopped an execution.
public enum ExecutionLimit: String, Codable, Sendable, Equatable, CaseIterable {
    case timeout, cpu, memory, processes, fileSize = "file-size", output, cancelled
}

/// `exec.finished`: an attempt ended.
public struct ExecFinished: Codable, Sendable, Equatable {
    /// The attempt that ended.
    public var attempt: Int
    /// The exit status (0 for success), when the code exited.
    public var exitStatus: Int?
    /// The signal that ended it, when it was killed.
    public var signal: Int?
    /// The value of a final bare expression (persistent kernel).
    public var value: String?
    /// An exception summary, `Type: message`, when the code raised.
    public var error: String?
    /// The traceback trimmed to the user's code, when the code raised.
    public var traceback: String?
    /// Wall-clock duration in milliseconds.
    public var durationMs: Int
    /// Whether captured output was cut to its head and tail.
    public var truncated: Bool
    /// The limit that stopped it, if any.
    public var limit: ExecutionLimit?
    /// Whether the persistent kernel had to be restarted, losing its variables.
    public var stateLost: Bool
    /// Test results, when the code ran Wand's test harness.
    public var tests: [TestCaseResult]?
    /// The files the step created or changed in the workspace (which ones count: ``WorkspaceSnapshot``), in
    /// path order, at most ``WorkspaceSnapshot/listedLimit`` of them; absent when it wrote none.
    public var files: [WorkspaceFile]?
    /// How many more files it created or changed than `files` lists; absent when `files` lists them all.
    public var moreFiles: Int?

    /// Creates the payload.
    public init(attempt: Int, exitStatus: Int?, signal: Int? = nil, value: String? = nil, error: String? = nil,
                traceback: String? = nil, durationMs: Int, truncated: Bool = false, limit: ExecutionLimit? = nil,
                stateLost: Bool = false, tests: [TestCaseResult]? = nil, files: [WorkspaceFile]? = nil,
                moreFiles: Int? = nil) {
        self.attempt = attempt
        self.exitStatus = exitStatus
        self.signal = signal
        self.value = value
        self.error = error
        self.traceback = traceback
        self.durationMs = durationMs
        self.truncated = truncated
        self.limit = limit
        self.stateLost = stateLost
        self.tests = tests
        self.files = files
        self.moreFiles = moreFiles
    }

    /// Whether the code ran to completion without error or limit.
    public var succeeded: Bool { exitStatus == 0 && error == nil && limit == nil }

    /// The result with the files a step wrote, as two snapshots of its workspace tell them.
    public func recordingFiles(from before: WorkspaceSnapshot, to after: WorkspaceSnapshot) -> ExecFinished {
        var result = self
        let (files, more) = after.changes(since: before)
        result.files = files.isEmpty ? nil : files
        result.moreFiles = more > 0 ? more : nil
        return result
    }
}

/// A file a code step created or changed in its workspace.
public struct WorkspaceFile: Codable, Sendable, Equatable {
    /// Its path relative to the workspace, `/` between directories; bytes of the name that are not
    /// UTF-8 read as U+FFFD. It may hold any other character, newlines and escapes included, so it is
    /// shown through `TranscriptPrinter.describe(_:)` and inert text.
    public var path: String
    /// Its size in bytes when the step ended.
    public var size: Int

    /// Creates a record.
    public init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    /// Whether its name ends like an image's (`.png`, `.jpg`, `.svg`, …), as plots saved by code do.
    public var isImage: Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return Self.imageExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    private static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "tif", "tiff"]
}

/// One test case's outcome, as reported by the kernel's test harness.
public struct TestCaseResult: Codable, Sendable, Equatable {
    /// The case: `line N: assert …` or a `test_*` function's name.
    public var name: String
    /// Why it failed, or nil when it passed.
    public var error: String?

    /// Creates a result.
    public init(name: String, error: String?) {
        self.name = name
        self.error = error
    }
}

/// `feedback.sent`: what the agent told the model about an execution.
public struct FeedbackSent: Codable, Sendable, Equatable {
    /// The attempt the feedback is about, if any.
    public var attempt: Int?
    /// What the model is told about.
    public var kind: FeedbackKind
    /// The exact text sent.
    public var text: String

    /// Creates the payload.
    public init(attempt: Int?, kind: FeedbackKind, text: String) {
        self.attempt = attempt
        self.kind = kind
        self.text = text
    }
}

/// `answer`: the agent's final answer for the run.
public struct AnswerGiven: Codable, Sendable, Equatable {
    /// The answer text.
    public var text: String
    /// Where the answer came from; absent in sessions written before provenance was recorded.
    public var source: AnswerSource?

    /// Creates the payload.
    public init(text: String, source: AnswerSource? = nil) {
        self.text = text
        self.source = source
    }
}

/// Where an answer came from, so a reader can tell a program's output from the model's words, and
/// never mistake Wand's own text for an answer.
public struct AnswerSource: Codable, Sendable, Equatable {
    /// The kinds of origin.
    public enum Kind: String, Codable, Sendable, Equatable, CaseIterable {
        /// The model's own words (`Final Answer: …`, or its closing sentence).
        case model
        /// What one program printed.
        case program
        /// The answer most of several programs printed.
        case vote
        /// The candidate (code) that passed the tests.
        case tests
    }

    /// The kind of origin.
    public var kind: Kind
    /// The attempt whose output (or code) the answer is.
    public var attempt: Int?
    /// For a vote: how many programs printed this answer.
    public var agreeing: Int?
    /// For a vote: how many programs printed any answer.
    public var voters: Int?
    /// Every answer the programs printed with its count, most votes first (for a vote).
    public var tally: [VoteCount]?

    /// Creates a source.
    public init(kind: Kind, attempt: Int? = nil, agreeing: Int? = nil, voters: Int? = nil, tally: [VoteCount]? = nil) {
        self.kind = kind
        self.attempt = attempt
        self.agreeing = agreeing
        self.voters = voters
        self.tally = tally
    }

    /// A short phrase for the Plan pane and transcripts: "4 of 5 programs agree", "printed by attempt 3".
    public var summary: String {
        switch kind {
        case .vote:
            let agreeing = agreeing ?? 0
            let voters = voters ?? 0
            return voters == 1 ? "the only program that printed an answer" : "\(agreeing) of \(voters) programs agree"
        case .program: return attempt.map { "printed by attempt \($0)" } ?? "printed by a program"
        case .model: return "the model's final words"
        case .tests: return attempt.map { "attempt \($0) passes the tests" } ?? "passes the tests"
        }
    }
}

/// One distinct answer in a vote and how many programs printed it.
public struct VoteCount: Codable, Sendable, Equatable {
    /// The answer as printed (by the first program that printed it).
    public var answer: String
    /// How many programs printed it.
    public var count: Int

    /// Creates a count.
    public init(answer: String, count: Int) {
        self.answer = answer
        self.count = count
    }
}

/// How serious a notice is.
public enum NoticeLevel: String, Codable, Sendable, Equatable, CaseIterable {
    case info, warning, error
}

/// `notice`: something the user should know that is not an agent step (a retry, a restart, an error).
public struct Notice: Codable, Sendable, Equatable {
    /// The severity.
    public var level: NoticeLevel
    /// The message.
    public var message: String

    /// Creates the payload.
    public init(level: NoticeLevel, message: String) {
        self.level = level
        self.message = message
    }
}

/// How a run ended.
public enum RunStatus: String, Codable, Sendable, Equatable, CaseIterable {
    /// A final answer was given (for `tdd`: all tests pass).
    case answered
    /// The agent gave up or the attempts were spent without success.
    case failed
    /// A step, token or time budget ran out.
    case budgetExhausted = "budget-exhausted"
    /// The user cancelled.
    case cancelled
    /// An error outside the agent's control (model server unreachable, …).
    case error
    /// Wand stopped before the run finished (killed, crashed, terminal closed); recorded when the session
    /// is resumed, since nothing can write it at the moment of a SIGKILL.
    case interrupted
}

/// Counters over a run or a session.
public struct RunTotals: Codable, Sendable, Equatable {
    /// Model calls.
    public var modelCalls: Int
    /// Code executions.
    public var executions: Int
    /// Token usage.
    public var usage: TokenUsage
    /// Wall-clock milliseconds.
    public var durationMs: Int
    /// Cost in US dollars, when `session.started` has prices (``SessionTotals/priced(_:)``); unknown otherwise.
    public var costUSD: Double?

    /// Creates totals.
    public init(modelCalls: Int = 0, executions: Int = 0, usage: TokenUsage = TokenUsage(), durationMs: Int = 0,
                costUSD: Double? = nil) {
        self.modelCalls = modelCalls
        self.executions = executions
        self.usage = usage
        self.durationMs = durationMs
        self.costUSD = costUSD
    }
}

extension RunTotals {
    /// The counts of two spans of work together (cost is left out: ``SessionTotals`` prices the usage).
    public static func + (lhs: RunTotals, rhs: RunTotals) -> RunTotals {
        RunTotals(modelCalls: lhs.modelCalls + rhs.modelCalls, executions: lhs.executions + rhs.executions,
                  usage: lhs.usage + rhs.usage, durationMs: lhs.durationMs + rhs.durationMs)
    }
}

/// `run.finished`: a run ended.
public struct RunFinished: Codable, Sendable, Equatable {
    /// The run number.
    public var run: Int
    /// How it ended.
    public var status: RunStatus
    /// Its counters.
    public var totals: RunTotals
    /// A short reason when it did not end with an answer.
    public var reason: String?
    /// The best candidate found when the run ended without an answer (the code passing most tests).
    public var candidate: String?

    /// Creates the payload.
    public init(run: Int, status: RunStatus, totals: RunTotals, reason: String? = nil, candidate: String? = nil) {
        self.run = run
        self.status = status
        self.totals = totals
        self.reason = reason
        self.candidate = candidate
    }
}

/// `session.finished`: the session was closed; the last event of a complete session.
public struct SessionFinished: Codable, Sendable, Equatable {
    /// The status of the last run.
    public var status: RunStatus
    /// Counters over all runs.
    public var totals: RunTotals

    /// Creates the payload.
    public init(status: RunStatus, totals: RunTotals) {
        self.status = status
        self.totals = totals
    }
}
