public import Foundation

/// A chunk of output of one stream; consecutive chunks of the same stream are merged.
public struct OutputChunk: Sendable, Equatable {
    /// The stream it came from.
    public var stream: OutputStreamKind
    /// Its text.
    public var text: String

    /// Creates a chunk.
    public init(stream: OutputStreamKind, text: String) {
        self.stream = stream
        self.text = text
    }
}

/// One code attempt as the session has recorded it so far.
public struct AttemptState: Sendable, Equatable {
    /// The attempt number.
    public var number: Int
    /// The run it belongs to.
    public var run: Int
    /// Its language.
    public var language: CodeLanguage
    /// The source (after any edit in `ask` mode).
    public var source: String
    /// The plan step it serves, if any.
    public var step: Int?
    /// Output so far, in order: the latest ``outputKept`` to twice that many bytes of it (see ``appendOutput(_:_:)``).
    public private(set) var output: [OutputChunk] = []
    /// Bytes of output held in ``output``.
    public private(set) var outputBytes = 0
    /// Bytes of the earliest output no longer held here; the session file still has every byte.
    public private(set) var outputDropped = 0
    /// How it ended, once it has.
    public var result: ExecFinished?
    /// Whether it is running now.
    public var isRunning = false
    /// When its execution started.
    public var startedAt: Date?
    /// The user's decision, in `ask` mode.
    public var approval: ApprovalDecision?
    /// Whether it is waiting for the user's approval.
    public var awaitingApproval = false
    /// The model's words around the code in the reply that proposed it (its thought before the code),
    /// when it wrote any.
    public var thought: String?
    /// The MCP tool calls its code made, in order.
    public var toolCalls: [ToolCallState] = []

    /// Creates an attempt.
    public init(number: Int, run: Int, language: CodeLanguage, source: String, step: Int?) {
        self.number = number
        self.run = run
        self.language = language
        self.source = source
        self.step = step
    }

    /// Output held per attempt, in bytes, for display: as much as the executor's default limit lets a
    /// step print, so with default limits nothing is dropped. A program may print far more when its limit
    /// is raised; keeping all of it in the fold made every frame of the workbench wrap all of it.
    public static let outputKept = 64 << 10

    /// Appends output, merging it into the last chunk of the same stream unless a tool call came between.
    /// Once more than twice
    /// ``outputKept`` bytes are held, the oldest are dropped down to ``outputKept`` (from the start of a
    /// line where one is near), so appending costs the same however much came before.
    public mutating func appendOutput(_ stream: OutputStreamKind, _ text: String) {
        // Output after a tool call starts a new chunk, so the call shows between the two.
        if let last = output.indices.last, output[last].stream == stream, toolCalls.last?.outputIndex != output.count {
            output[last].text += text
        } else {
            output.append(OutputChunk(stream: stream, text: text))
        }
        outputBytes += text.utf8.count
        if outputBytes > 2 * Self.outputKept { dropOldestOutput(outputBytes - Self.outputKept) }
    }

    private mutating func dropOldestOutput(_ excess: Int) {
        var excess = excess
        var dropChunks = 0
        while dropChunks < output.count, output[dropChunks].text.utf8.count <= excess {
            excess -= output[dropChunks].text.utf8.count
            outputDropped += output[dropChunks].text.utf8.count
            outputBytes -= output[dropChunks].text.utf8.count
            dropChunks += 1
        }
        output.removeFirst(dropChunks)
        // A tool call stays where it was among the chunks still held; one made among the dropped ones shows first.
        for index in toolCalls.indices { toolCalls[index].outputIndex = max(0, toolCalls[index].outputIndex - dropChunks) }
        guard excess > 0, let first = output.first else { return }
        let bytes = first.text.utf8
        var cut = bytes.index(bytes.startIndex, offsetBy: excess)
        if let newline = bytes[cut...].prefix(4_096).firstIndex(of: 0x0A) {
            cut = bytes.index(after: newline)
        } else {
            while cut < bytes.endIndex, UTF8.isContinuation(bytes[cut]) { cut = bytes.index(after: cut) }
        }
        let dropped = bytes.distance(from: bytes.startIndex, to: cut)
        output[0].text = String(first.text[cut...])
        outputDropped += dropped
        outputBytes -= dropped
    }
}

/// One MCP tool call made by an attempt's code.
public struct ToolCallState: Sendable, Equatable {
    /// The call as recorded.
    public var called: ToolCalled
    /// How it ended, once it has.
    public var result: ToolReturned?
    /// Whether it waits for the user to allow it.
    public var awaitingApproval = false
    /// How many of the attempt's output chunks came before it (where it shows in the output).
    public var outputIndex: Int

    /// Creates the state of a call that has just been made.
    public init(called: ToolCalled, outputIndex: Int) {
        self.called = called
        self.outputIndex = outputIndex
    }
}

/// Everything a session's events say, folded in order. Pure: no I/O, no clock.
///
/// The workbench, the transcript printer and the eval reports all read sessions through this fold,
/// so a replayed session shows exactly what the live one did.
public struct SessionState: Sendable, Equatable {
    /// The `session.started` payload.
    public var started: SessionStarted?
    /// The model in use: `session.started`'s, or the latest `settings.changed` one.
    public var model: ModelDescriptor?
    /// The settings in use: `session.started`'s, updated by each `settings.changed`.
    public var settings: [String: String] = [:]
    /// The current run number (0 before any run).
    public var run = 0
    /// The current run's goal.
    public var goal = ""
    /// The current run's strategy.
    public var strategy = ""
    /// The current plan.
    public var plan: [PlanStep] = []
    /// The current plan's revision.
    public var planRevision = 0
    /// All attempts of the session, in order.
    public var attempts: [AttemptState] = []
    /// The number of the current or last model call.
    public var modelCall = 0
    /// Why the current model call was made.
    public var modelPurpose: ModelPurpose?
    /// Text streamed so far by the current model call, or the last call's full text.
    public var modelText = ""
    /// Model calls streaming now; strategies that vote draw several programs at once.
    public var callsInFlight: Set<Int> = []
    /// Whether a model call is streaming now.
    public var isGenerating: Bool { !callsInFlight.isEmpty }
    /// Model calls that finished.
    public var modelCallsFinished = 0
    /// The replies of the current run's finished model calls, in the order they finished.
    public var runReplies: [String] = []
    /// How many of the run's latest replies are searched for the one that proposed an attempt.
    static let repliesSearchedForThought = 8
    /// Feedback sent to the model, in order.
    public var feedback: [FeedbackSent] = []
    /// The current run's answer, once given.
    public var answer: String?
    /// Where the current run's answer came from, when the session recorded it.
    public var answerSource: AnswerSource?
    /// Notices, in order.
    public var notices: [Notice] = []
    /// Tokens used over the session.
    public var usage = TokenUsage()
    /// Run and session totals and the session's prices.
    public var totals = SessionTotals()
    /// Time of the first event.
    public var startTime: Date?
    /// Time of the latest event.
    public var lastTime: Date?
    /// How the current run ended, once it has.
    public var runStatus: RunStatus?
    /// Why the current run ended without an answer, if it did.
    public var runReason: String?
    /// What the model had streamed when its run was interrupted mid-reply (that call never finished).
    public var interruptedReply: String?
    /// Whether `session.finished` was seen.
    public var isFinished = false
    /// Events folded.
    public var eventCount = 0

    /// An empty state.
    public init() {}

    /// Folds a whole list of events.
    public init(folding records: some Sequence<EventRecord>) {
        for record in records { apply(record) }
    }

    /// Whether a run is under way (started and not finished).
    public var isRunning: Bool { run > 0 && runStatus == nil }

    /// The tool call waiting for the user to allow it, if any.
    public var pendingToolApproval: ToolCallState? {
        attempts.last?.toolCalls.last(where: \.awaitingApproval)
    }

    /// The attempt being run or awaiting approval, if any.
    public var activeAttempt: AttemptState? {
        attempts.last.flatMap { $0.isRunning || $0.awaitingApproval ? $0 : nil }
    }

    /// Executions that finished.
    public var executionsFinished: Int { attempts.count(where: { $0.result != nil }) }

    /// Cost so far in US dollars, when `session.started` has prices; nil (unknown, not 0) otherwise.
    public var costUSD: Double? { totals.session.costUSD }

    /// Seconds from the first to the latest event.
    public var elapsedSeconds: Double {
        guard let startTime, let lastTime else { return 0 }
        return lastTime.timeIntervalSince(startTime)
    }

    /// Applies one event.
    public mutating func apply(_ record: EventRecord) {
        eventCount += 1
        totals.apply(record)
        if startTime == nil { startTime = record.time }
        lastTime = record.time
        switch record.event {
        case .sessionStarted(let payload):
            started = payload
            model = payload.model
            settings = payload.settings
            goal = payload.goal
            strategy = payload.strategy
        case .runStarted(let payload):
            run = payload.run
            goal = payload.goal
            strategy = payload.strategy
            plan = []
            planRevision = 0
            answer = nil
            answerSource = nil
            runReplies = []
            runStatus = nil
            runReason = nil
            interruptedReply = nil
            isFinished = false
        case .planUpdated(let payload):
            plan = payload.steps
            planRevision = payload.revision
        case .stepUpdated(let payload):
            if plan.indices.contains(payload.index) { plan[payload.index].status = payload.status }
        case .modelStarted(let payload):
            modelCall = payload.call
            modelPurpose = payload.purpose
            modelText = ""
            callsInFlight.insert(payload.call)
        case .modelDelta(let payload):
            if payload.call == modelCall { modelText += payload.text }
        case .modelFinished(let payload):
            callsInFlight.remove(payload.call)
            // While other calls still stream, the one on show keeps streaming rather than being replaced.
            if payload.call == modelCall || callsInFlight.isEmpty {
                modelCall = payload.call
                modelText = payload.text
            }
            modelCallsFinished += 1
            usage = usage + payload.usage
            runReplies.append(payload.text)
        case .codeProposed(let payload):
            var attempt = AttemptState(number: payload.attempt, run: run, language: payload.language, source: payload.source,
                                       step: payload.step)
            // Only the latest replies can have proposed it (a vote's draws are the most begun at once):
            // code no reply holds (a native tool call, a test harness) must not cost a parse of every
            // reply of a long run at each step.
            let recent = runReplies.suffix(Self.repliesSearchedForThought)
            if let prose = ReplyParser.latestParsedReply(proposing: payload.source, among: Array(recent))?.reply.prose {
                attempt.thought = prose.isEmpty ? nil : prose
            }
            attempts.append(attempt)
        case .approvalRequested(let payload) where payload.toolCall != nil:
            updateToolCall(payload.attempt, payload.toolCall) { $0.awaitingApproval = true }
        case .approvalRequested(let payload):
            updateAttempt(payload.attempt) { $0.awaitingApproval = true }
        case .approvalDecided(let payload) where payload.toolCall != nil:
            updateToolCall(payload.attempt, payload.toolCall) { $0.awaitingApproval = false }
        case .approvalDecided(let payload):
            updateAttempt(payload.attempt) { attempt in
                attempt.awaitingApproval = false
                attempt.approval = payload.decision
                if let source = payload.source { attempt.source = source }
            }
        case .execStarted(let payload):
            updateAttempt(payload.attempt) { attempt in
                attempt.isRunning = true
                attempt.startedAt = record.time
            }
        case .execOutput(let payload):
            updateAttempt(payload.attempt) { $0.appendOutput(payload.stream, payload.chunk) }
        case .execFinished(let payload):
            updateAttempt(payload.attempt) { attempt in
                attempt.isRunning = false
                attempt.result = payload
            }
        case .toolCalled(let payload):
            updateAttempt(payload.attempt) { attempt in
                attempt.toolCalls.append(ToolCallState(called: payload, outputIndex: attempt.output.count))
            }
        case .toolResult(let payload):
            for index in attempts.indices.reversed() {
                guard let call = attempts[index].toolCalls.lastIndex(where: { $0.called.call == payload.call }) else { continue }
                attempts[index].toolCalls[call].result = payload
                attempts[index].toolCalls[call].awaitingApproval = false
                break
            }
        case .feedbackSent(let payload):
            feedback.append(payload)
        case .answer(let payload):
            answer = payload.text
            answerSource = payload.source
        case .notice(let payload):
            notices.append(payload)
        case .settingsChanged(let payload):
            settings.merge(payload.settings) { $1 }
            if let changed = payload.model { model = changed }
        case .runFinished(let payload):
            finishRun(payload.status, reason: payload.reason)
        case .sessionFinished(let payload):
            isFinished = true
            if runStatus == nil { runStatus = payload.status }
            callsInFlight = []
        }
    }

    /// Closes a run that has no `run.finished` as interrupted, exactly as the event that
    /// ``InterruptedRun/closing(_:)`` writes would: a loaded file's end means nothing is working on it any more.
    public mutating func closeInterruptedRun() {
        guard isRunning else { return }
        totals.finishOpenRun(.interrupted)
        finishRun(.interrupted, reason: InterruptedRun.reason)
    }

    private mutating func finishRun(_ status: RunStatus, reason: String?) {
        if status == .interrupted, isGenerating { interruptedReply = modelText }
        runStatus = status
        runReason = reason
        callsInFlight = []
        for index in attempts.indices where attempts[index].isRunning || attempts[index].awaitingApproval {
            attempts[index].isRunning = false
            attempts[index].awaitingApproval = false
            for call in attempts[index].toolCalls.indices { attempts[index].toolCalls[call].awaitingApproval = false }
        }
    }

    private mutating func updateToolCall(_ attempt: Int, _ call: Int?, _ change: (inout ToolCallState) -> Void) {
        updateAttempt(attempt) { attempt in
            guard let index = attempt.toolCalls.lastIndex(where: { $0.called.call == call }) else { return }
            change(&attempt.toolCalls[index])
        }
    }

    private mutating func updateAttempt(_ number: Int, _ change: (inout AttemptState) -> Void) {
        guard let index = attempts.lastIndex(where: { $0.number == number }) else { return }
        change(&attempts[index])
    }
}
