import Foundation
import Synchronization

/// Why a run stopped early.
public enum AgentStop: Error, Sendable, Equatable {
    /// A budget (model calls, tokens, wall time) ran out.
    case budget(String)
    /// The model could not be used.
    case model(String)
}

/// One execution as the strategy sees it.
public struct CodeRun: Sendable, Equatable {
    /// The attempt number.
    public var attempt: Int
    /// The code that ran (after any edit by the user).
    public var source: String
    /// Output chunks.
    public var output: [OutputChunk]
    /// How it ended.
    public var result: ExecFinished
    /// Whether the user (or `--approve never`) kept it from running.
    public var skipped: Bool

    /// All standard output.
    public var stdout: String { output.filter { $0.stream == .stdout }.map(\.text).joined() }
    /// All standard error.
    public var stderr: String { output.filter { $0.stream == .stderr }.map(\.text).joined() }
}

/// What a strategy concluded.
public struct StrategyOutcome: Sendable, Equatable {
    /// How the run ends.
    public var status: RunStatus
    /// The final answer, when there is one.
    public var answer: String?
    /// Why it ended without an answer.
    public var reason: String?
    /// Where the answer came from.
    public var source: AnswerSource?

    /// Creates an outcome.
    public init(status: RunStatus, answer: String? = nil, reason: String? = nil, source: AnswerSource? = nil) {
        self.status = status
        self.answer = answer
        self.reason = reason
        self.source = source
    }
}

/// Counters shared by the runs of one session, so call and attempt numbers never repeat.
public final class SessionCounters: Sendable {
    private let state = Mutex((calls: 0, attempts: 0))

    /// Creates counters, continuing after existing numbers (for resumed sessions).
    public init(calls: Int = 0, attempts: Int = 0) {
        state.withLock { $0 = (calls, attempts) }
    }

    func nextCall() -> Int { state.withLock { $0.calls += 1; return $0.calls } }
    func nextAttempt() -> Int { state.withLock { $0.attempts += 1; return $0.attempts } }
}

/// The loop skeleton every strategy acts through: model calls within budgets, code runs with
/// approvals and limits, feedback, plan updates, all recorded as events.
public final class AgentContext: Sendable {
    /// The run's goal.
    public let goal: String
    /// The run number.
    public let run: Int
    /// Budgets and options.
    public let settings: AgentSettings
    /// Tests the run must pass, when given.
    public let tests: TestSuite?
    /// What earlier runs of the session asked and answered, for context.
    public let earlierRuns: [(goal: String, answer: String)]
    /// A conversation to continue (a fork of a replayed session), if any.
    public let seedMessages: [ChatMessage]
    let model: any LanguageModel
    let executor: any Executor
    let recorder: EventRecorder
    let gate: ApprovalGate
    let limits: ExecutionLimits?
    let counters: SessionCounters
    private let usage = Mutex((calls: 0, tokens: TokenUsage(), executions: 0))
    private let started = ContinuousClock.now
    private let lessons = Mutex<[String]>([])
    private let sentTexts = Mutex<[String]>([])
    private let bestCandidate = Mutex<(passed: Int, code: String)?>(nil)

    /// Creates a context for one run.
    public init(goal: String, run: Int, settings: AgentSettings, tests: TestSuite?, earlierRuns: [(goal: String, answer: String)],
                seedMessages: [ChatMessage] = [], model: any LanguageModel, executor: any Executor, recorder: EventRecorder,
                gate: ApprovalGate, limits: ExecutionLimits?, counters: SessionCounters) {
        self.goal = goal
        self.run = run
        self.settings = settings
        self.tests = tests
        self.earlierRuns = earlierRuns
        self.seedMessages = seedMessages
        self.model = model
        self.executor = executor
        self.recorder = recorder
        self.gate = gate
        self.limits = limits
        self.counters = counters
    }

    /// Model calls, tokens and executions of this run so far.
    public var totals: RunTotals {
        let snapshot = usage.withLock { $0 }
        return RunTotals(modelCalls: snapshot.calls, executions: snapshot.executions, usage: snapshot.tokens,
                         durationMs: elapsedMs)
    }

    var elapsedMs: Int {
        let elapsed = ContinuousClock.now - started
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Model calls the step budget still allows.
    public var callsLeft: Int { settings.maxSteps - usage.withLock { $0.calls } }

    /// Lessons written by reflection, oldest first.
    public var learned: [String] { lessons.withLock { $0 } }

    /// Asks the model, streaming its reply as events; enforces the run's budgets. `seed` overrides the
    /// settings' seed, so samples drawn at once with a fixed seed still differ.
    public func ask(_ messages: [ChatMessage], purpose: String, temperature: Double? = nil,
                    maxTokens: Int? = nil, seed: Int? = nil) async throws -> String {
        try await generate(messages, purpose: purpose, temperature: temperature, maxTokens: maxTokens, seed: seed).text
    }

    /// Asks the model with tools offered (or none), returning the whole result including tool calls.
    public func generate(_ messages: [ChatMessage], purpose: String, temperature: Double? = nil, maxTokens: Int? = nil,
                         seed: Int? = nil, tools: [ToolDefinition] = []) async throws -> GenerationResult {
        try checkBudgets()
        return try await receive(begin(messages, purpose: purpose, temperature: temperature, maxTokens: maxTokens, seed: seed,
                                       tools: tools))
    }

    /// A model call that has begun: its number taken and `model.started` recorded.
    struct ModelCall: Sendable {
        let number: Int
        let stream: AsyncThrowingStream<GenerationEvent, any Error>
    }

    /// Begins a call without checking budgets: a strategy asking for several replies at once checks
    /// once (``checkBudgets(forExecution:)``), then begins them in order, so their numbers follow the
    /// order they were asked in however their replies interleave, and a re-run from the recording
    /// gives each its own reply. Every begun call must be passed to ``receive(_:)``.
    func begin(_ messages: [ChatMessage], purpose: String, temperature: Double? = nil, maxTokens: Int? = nil,
               seed: Int? = nil, tools: [ToolDefinition] = []) -> ModelCall {
        let call = counters.nextCall()
        usage.withLock { $0.calls += 1 }
        recorder.emit(.modelStarted(ModelStarted(call: call, purpose: purpose)))
        let request = GenerationRequest(messages: messages, temperature: temperature ?? settings.temperature,
                                        maxTokens: maxTokens ?? settings.maxReplyTokens, seed: seed ?? settings.seed,
                                        tools: tools)
        return ModelCall(number: call, stream: model.generate(request))
    }

    /// Streams a begun call to its end, recording its deltas; `model.finished` is recorded at one exit
    /// whether the call ends with a reply, an error, a cancellation or a stream that stops short.
    func receive(_ call: ModelCall) async throws -> GenerationResult {
        var text = ""
        var outcome: Result<GenerationResult, any Error> = .failure(AgentStop.model("the model's stream ended without a reply"))
        do {
            streaming: for try await event in call.stream {
                switch event {
                case .delta(let delta):
                    text += delta
                    recorder.emit(.modelDelta(ModelDelta(call: call.number, text: delta)))
                case .notice(let message):
                    recorder.emit(.notice(Notice(level: .info, message: message)))
                case .finished(let result):
                    outcome = .success(result)
                    break streaming
                }
            }
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let result):
            usage.withLock { $0.tokens = $0.tokens + result.usage }
            var recorded = result.text
            for toolCall in result.toolCalls {
                recorded += (recorded.isEmpty ? "" : "\n") + "[tool call \(toolCall.function.name) \(toolCall.function.arguments)]"
            }
            recorder.emit(.modelFinished(ModelFinished(call: call.number, text: recorded, usage: result.usage,
                                                       firstTokenMs: result.firstTokenMs, totalMs: result.totalMs,
                                                       finishReason: result.finishReason)))
            return result
        case .failure(let error):
            let cancelled = Task.isCancelled || error is CancellationError || (error as? ModelError) == .cancelled
            recorder.emit(.modelFinished(ModelFinished(call: call.number, text: text, usage: TokenUsage(), firstTokenMs: nil,
                                                       totalMs: elapsedMs, finishReason: cancelled ? "cancelled" : "error")))
            if cancelled { throw CancellationError() }
            if let stop = error as? AgentStop { throw stop }
            throw AgentStop.model("\(error)")
        }
    }

    /// Proposes code, gets approval if needed, runs it, and records everything.
    public func runCode(_ language: CodeLanguage, _ source: String, step: Int? = nil, fresh: Bool = false) async throws -> CodeRun {
        try Task.checkCancellation()
        try checkBudgets(forExecution: true)
        let attempt = counters.nextAttempt()
        recorder.emit(.codeProposed(CodeProposed(attempt: attempt, language: language, source: source, step: step)))
        var code = source
        switch settings.approval {
        case .never:
            recorder.emit(.notice(Notice(level: .info, message: "Code execution is disabled (--approve never); attempt \(attempt) was not run.")))
            return skipped(attempt, code)
        case .ask where !gate.runsAlways:
            recorder.emit(.approvalRequested(ApprovalRequested(attempt: attempt)))
            let (decision, edited) = await gate.decision(for: attempt)
            try Task.checkCancellation()
            recorder.emit(.approvalDecided(ApprovalDecided(attempt: attempt, decision: decision, source: edited)))
            if decision == .skip { return skipped(attempt, code) }
            if decision == .edit, let edited { code = edited }
        default:
            break
        }
        usage.withLock { $0.executions += 1 }
        let request = ExecutionRequest(attempt: attempt, language: language, source: code, fresh: fresh,
                                       timeout: remainingSeconds.map { min($0, limits?.timeout ?? $0) })
        recorder.emit(.execStarted(ExecStarted(attempt: attempt, language: language, runner: request.runner)))
        var output: [OutputChunk] = []
        var result = ExecFinished(attempt: attempt, exitStatus: nil, error: "the executor gave no result", durationMs: 0)
        for await event in executor.execute(request) {
            switch event {
            case .output(let stream, let text):
                if let last = output.indices.last, output[last].stream == stream {
                    output[last].text += text
                } else {
                    output.append(OutputChunk(stream: stream, text: text))
                }
                recorder.emit(.execOutput(ExecOutput(attempt: attempt, stream: stream, chunk: text)))
            case .notice(let notice):
                recorder.emit(.notice(notice))
            case .finished(let finished):
                result = finished
            }
        }
        recorder.emit(.execFinished(result))
        if Task.isCancelled { throw CancellationError() }
        return CodeRun(attempt: attempt, source: code, output: output, result: result, skipped: false)
    }

    private func skipped(_ attempt: Int, _ source: String) -> CodeRun {
        CodeRun(attempt: attempt, source: source, output: [],
                result: ExecFinished(attempt: attempt, exitStatus: nil, error: "not run (the user skipped it)", durationMs: 0),
                skipped: true)
    }

    /// Offers a judged candidate; the one passing most tests (the first, on a tie) is kept, so a run
    /// that ends without an answer — even by running out of budget — still reports its best attempt.
    public func offer(candidate: String, passed: Int) {
        bestCandidate.withLock { best in
            if passed > best?.passed ?? -1 { best = (passed, candidate) }
        }
    }

    /// The best candidate offered so far.
    public var candidate: String? { bestCandidate.withLock { $0?.code } }

    /// Puts a test suite into the workspace, where ``TestSuite/program(candidate:)`` reads it.
    public func stage(_ suite: TestSuite) throws {
        _ = try executor.stage(suite.source, as: suite.stagedPath)
    }

    /// Records the feedback sent to the model and returns it.
    @discardableResult
    public func feedback(_ text: String, kind: String, attempt: Int?) -> String {
        sentTexts.withLock { $0.append(text) }
        recorder.emit(.feedbackSent(FeedbackSent(attempt: attempt, kind: kind, text: text)))
        return text
    }

    /// Whether a would-be answer is Wand's own words echoed back by the model (feedback it was sent,
    /// or a line of it, possibly as a comment), which must never become the answer.
    public func isWandText(_ answer: String) -> Bool {
        let fold = { (text: String) in
            text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "#>`*_ \t\n.:")).split(whereSeparator: \.isWhitespace)
                .joined(separator: " ")
        }
        let candidate = fold(answer)
        guard candidate.count >= 8 else { return false }
        let sent = sentTexts.withLock { $0 } + [Prompts.formatReminder]
        return sent.contains { text in
            let folded = fold(text)
            return folded == candidate || (folded.contains(candidate) && !candidate.contains(where: \.isNumber))
                || text.split(separator: "\n").contains { fold(String($0)) == candidate }
        }
    }

    /// The observation text for a run, recorded as feedback.
    @discardableResult
    public func observe(_ run: CodeRun) -> String {
        if run.skipped {
            return feedback("The user did not allow this code to run. Try a different approach or answer without it.",
                            kind: "skipped", attempt: run.attempt)
        }
        let text = FeedbackFormatter.observation(output: run.output, result: run.result, limits: limits)
        let kind = run.result.limit != nil ? "limit" : (run.result.succeeded ? "observation" : "error")
        return feedback(text, kind: kind, attempt: run.attempt)
    }

    /// Publishes the plan.
    public func plan(_ steps: [PlanStep], revision: Int) {
        recorder.emit(.planUpdated(PlanUpdated(steps: steps, revision: revision)))
    }

    /// Updates one plan step.
    public func step(_ index: Int, _ status: StepStatus, note: String? = nil) {
        recorder.emit(.stepUpdated(StepUpdated(index: index, status: status, note: note)))
    }

    /// Tells the user something.
    public func notice(_ message: String, level: NoticeLevel = .info) {
        recorder.emit(.notice(Notice(level: level, message: message)))
    }

    /// After a failed attempt, asks the model for a one-sentence lesson (with `--reflect`), keeps and records it.
    public func reflect(on failure: String, attempt: Int?) async throws {
        guard settings.reflect else { return }
        let messages = [ChatMessage(.system, Prompts.reflectionSystem),
                        ChatMessage(.user, "Task: \(goal)\n\nWhat happened:\n\(failure)\n\nIn one or two sentences: what went wrong, and what will you do differently next time?")]
        let lesson = try await ask(messages, purpose: "reflect", maxTokens: 120).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !lesson.isEmpty else { return }
        lessons.withLock { $0.append(lesson) }
        feedback(lesson, kind: "reflection", attempt: attempt)
    }

    /// The lessons as a prompt paragraph (empty when there are none).
    public var lessonsParagraph: String {
        let kept = learned
        guard !kept.isEmpty else { return "" }
        return "\n\nLessons from your earlier attempts:\n" + kept.map { "- " + $0 }.joined(separator: "\n")
    }

    /// The goal as the first user message, with earlier runs of the session for context.
    public var goalMessage: String {
        var text = goal
        if !earlierRuns.isEmpty {
            let history = earlierRuns.suffix(3).map { "- \($0.goal) → \($0.answer)" }.joined(separator: "\n")
            text = "Earlier in this session (the Python session still holds their variables):\n\(history)\n\nNew task: \(goal)"
        }
        return text
    }

    private var remainingSeconds: Double? {
        let left = settings.maxSeconds - Double(elapsedMs) / 1000
        return left.isFinite ? max(1, left) : nil
    }

    func checkBudgets(forExecution: Bool = false) throws {
        let snapshot = usage.withLock { $0 }
        if !forExecution, snapshot.calls >= settings.maxSteps {
            throw AgentStop.budget("the step budget of \(settings.maxSteps) model calls is spent")
        }
        if snapshot.tokens.total >= settings.maxTokens {
            throw AgentStop.budget("the token budget of \(settings.maxTokens) tokens is spent")
        }
        if Double(elapsedMs) / 1000 >= settings.maxSeconds {
            throw AgentStop.budget("the time budget of \(Int(settings.maxSeconds)) s is spent")
        }
    }
}
