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
    private let state = Mutex((calls: 0, attempts: 0, toolCalls: 0))

    /// Creates counters, continuing after existing numbers (for resumed sessions).
    public init(calls: Int = 0, attempts: Int = 0, toolCalls: Int = 0) {
        state.withLock { $0 = (calls, attempts, toolCalls) }
    }

    func nextCall() -> Int { state.withLock { $0.calls += 1; return $0.calls } }
    func nextAttempt() -> Int { state.withLock { $0.attempts += 1; return $0.attempts } }
    func nextToolCall() -> Int { state.withLock { $0.toolCalls += 1; return $0.toolCalls } }
}

/// What a strategy acts through during one run: model turns within budgets, code steps with approvals
/// and limits, feedback, plan updates, all recorded as events. One run's task owns it (strategies call
/// it one step after another), so its state is plain stored properties; model turns begun together
/// finish concurrently through ``finishAll(_:)``, which touches the state only from the owning task.
public final class AgentContext {
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
    let limits: ExecutionLimits?
    let counters: SessionCounters
    private let codeStep: CodeStep
    /// Answers the code's tool calls, when MCP tools are configured.
    private let toolStep: ToolStep?
    /// The MCP tools the code can call, if any.
    public let toolbox: Toolbox?
    private var budget: RunBudget
    /// Lessons written by reflection, oldest first.
    public private(set) var learned: [String] = []
    private var sentTexts: [String] = []
    /// The judged candidate passing most tests so far (the first, on a tie).
    private(set) var best: (passed: Int, code: String)?

    /// Creates a context for one run.
    public init(goal: String, run: Int, settings: AgentSettings, tests: TestSuite?, earlierRuns: [(goal: String, answer: String)],
                seedMessages: [ChatMessage] = [], model: any LanguageModel, executor: any Executor, recorder: EventRecorder,
                gate: ApprovalGate, limits: ExecutionLimits?, counters: SessionCounters, toolbox: Toolbox? = nil) {
        self.goal = goal
        self.run = run
        self.settings = settings
        self.tests = tests
        self.earlierRuns = earlierRuns
        self.seedMessages = seedMessages
        self.model = model
        self.executor = executor
        self.recorder = recorder
        self.limits = limits
        self.counters = counters
        codeStep = CodeStep(approval: settings.approval, gate: gate, executor: executor, recorder: recorder)
        self.toolbox = toolbox
        toolStep = toolbox.map { ToolStep(toolbox: $0, gate: gate, recorder: recorder, counters: counters) }
        budget = RunBudget(settings)
    }

    /// Model calls, tokens and executions of this run so far.
    public var totals: RunTotals { budget.totals }

    /// Model calls the step budget still allows.
    public var callsLeft: Int { budget.callsLeft }

    /// Asks the model, streaming its reply as events; enforces the run's budgets. `seed` overrides the
    /// settings' seed, so samples drawn at once with a fixed seed still differ.
    public func ask(_ messages: [ChatMessage], purpose: ModelPurpose, temperature: Double? = nil,
                    maxTokens: Int? = nil, seed: Int? = nil) async throws -> String {
        try await generate(messages, purpose: purpose, temperature: temperature, maxTokens: maxTokens, seed: seed).text
    }

    /// Asks the model with tools offered (or none), returning the whole result including tool calls.
    public func generate(_ messages: [ChatMessage], purpose: ModelPurpose, temperature: Double? = nil, maxTokens: Int? = nil,
                         seed: Int? = nil, tools: [ToolDefinition] = []) async throws -> GenerationResult {
        try checkBudgets()
        let turn = begin(messages, purpose: purpose, temperature: temperature, maxTokens: maxTokens, seed: seed, tools: tools)
        let result = try await turn.finish()
        budget.noteUsage(result.usage)
        return result
    }

    /// Begins a turn without checking budgets: a strategy asking for several replies at once checks
    /// once (``checkBudgets(forExecution:)``), then begins them in order, so their numbers follow the
    /// order they were asked in however their replies interleave, and a re-run from the recording
    /// gives each its own reply. Every begun turn must be passed to ``finishAll(_:)``.
    func begin(_ messages: [ChatMessage], purpose: ModelPurpose, temperature: Double? = nil, maxTokens: Int? = nil,
               seed: Int? = nil, tools: [ToolDefinition] = []) -> ModelTurn {
        let call = counters.nextCall()
        budget.noteCall()
        recorder.emit(.modelStarted(ModelStarted(call: call, purpose: purpose, messages: messages)))
        let request = GenerationRequest(messages: messages, temperature: temperature ?? settings.temperature,
                                        maxTokens: maxTokens ?? settings.maxReplyTokens, seed: seed ?? settings.seed,
                                        tools: tools)
        return ModelTurn(number: call, stream: model.generate(request), recorder: recorder)
    }

    /// Finishes turns begun together, concurrently; their replies in the order they were begun. Usage
    /// is counted as each finishes, so a failure in one still counts the others that finished first.
    func finishAll(_ turns: [ModelTurn]) async throws -> [String] {
        try await withThrowingTaskGroup(of: (Int, GenerationResult).self) { group in
            for (index, turn) in turns.enumerated() {
                group.addTask { (index, try await turn.finish()) }
            }
            var replies = [String](repeating: "", count: turns.count)
            for try await (index, result) in group {
                budget.noteUsage(result.usage)
                replies[index] = result.text
            }
            return replies
        }
    }

    /// Proposes code, gets approval if needed, runs it, and records everything.
    public func runCode(_ language: CodeLanguage, _ source: String, step: Int? = nil, fresh: Bool = false) async throws -> CodeRun {
        try Task.checkCancellation()
        try checkBudgets(forExecution: true)
        let attempt = counters.nextAttempt()
        guard let code = try await codeStep.approve(attempt: attempt, language: language, source: source, step: step) else {
            return CodeStep.skipped(attempt, source)
        }
        budget.noteExecution()
        let timeout = budget.remainingSeconds.map { min($0, limits?.timeout ?? $0) }
        return try await codeStep.execute(attempt: attempt, language: language, code: code, fresh: fresh, timeout: timeout,
                                          tools: toolStep?.access)
    }

    /// Offers a judged candidate; the one passing most tests (the first, on a tie) is kept, so a run
    /// that ends without an answer — even by running out of budget — still reports its best attempt.
    public func offer(candidate: String, passed: Int) {
        if passed > best?.passed ?? -1 { best = (passed, candidate) }
    }

    /// The best candidate offered so far.
    public var candidate: String? { best?.code }

    /// Puts a test suite into the workspace, where ``TestSuite/program(candidate:)`` reads it.
    public func stage(_ suite: TestSuite) throws {
        _ = try executor.stage(suite.source, as: suite.stagedPath)
    }

    /// Records the feedback sent to the model and returns it.
    @discardableResult
    public func feedback(_ text: String, kind: FeedbackKind, attempt: Int?) -> String {
        sentTexts.append(text)
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
        let sent = sentTexts + [Prompts.formatReminder]
        return sent.contains { text in
            let folded = fold(text)
            return folded == candidate || (folded.contains(candidate) && !candidate.contains(where: \.isNumber))
                || text.lines().contains { fold(String($0)) == candidate }
        }
    }

    /// The observation text for a run, recorded as feedback.
    @discardableResult
    public func observe(_ run: CodeRun) -> String {
        if run.skipped {
            return feedback(Prompts.skippedByUser, kind: .skipped, attempt: run.attempt)
        }
        let text = FeedbackFormatter.observation(output: run.output, result: run.result, limits: limits)
        let kind: FeedbackKind = run.result.limit != nil ? .limit : (run.result.succeeded ? .observation : .error)
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
                        ChatMessage(.user, Prompts.reflectionTask(goal: goal, failure: failure))]
        let lesson = try await ask(messages, purpose: .reflect, maxTokens: 120).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !lesson.isEmpty else { return }
        learned.append(lesson)
        feedback(lesson, kind: .reflection, attempt: attempt)
    }

    /// A system prompt for code, with the MCP tools the code can call listed after it (unchanged without tools).
    public func withTools(_ system: String) -> String {
        system + Prompts.tools(toolbox?.signatures ?? [])
    }

    /// The lessons as a prompt paragraph (empty when there are none).
    public var lessonsParagraph: String { Prompts.lessons(learned) }

    /// The goal as the first user message, with earlier runs of the session for context.
    public var goalMessage: String { Prompts.goal(goal, earlierRuns: earlierRuns) }

    func checkBudgets(forExecution: Bool = false) throws {
        try budget.check(forExecution: forExecution)
    }
}
