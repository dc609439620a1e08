import Foundation
import Synchronization

/// A session: one model, one sandboxed executor (whose kernel keeps its state across runs), one event
/// log, and any number of runs, each working on one goal with one strategy.
public final class AgentSession: Sendable {
    /// The session identifier.
    public let id: String
    /// Where the events go.
    public let recorder: EventRecorder
    /// Where approvals come from in `ask` mode.
    public let gate: ApprovalGate
    let model: any LanguageModel
    let executor: any Executor
    let limits: ExecutionLimits?
    let counters: SessionCounters
    let tools: [String: String]
    let extraSettings: [String: String]
    let pricing: ModelPricing?
    let comparison: [ComparisonLane]?
    /// The MCP tools the agent's code can call, if any are configured.
    public let toolbox: Toolbox?
    /// Said after `session.started` (servers that did not start, for instance).
    private let startNotices: [Notice]
    private let state: Mutex<State>
    /// The session's totals, folded from every event the recorder emits (and, when resuming, the file's).
    private let totals: FoldedTotals

    private struct State {
        var started: Bool
        var run: Int
        var earlierRuns: [(goal: String, answer: String)]
        var resumed: Bool
        /// Whether the start notices of a resumed session are still to be said.
        var noticesPending = false
        /// The settings and model the log says are in force, to record what a later run changes.
        var recordedSettings: [String: String] = [:]
        var recordedModel: ModelDescriptor?
    }

    /// Creates a session. `tools` names versions (Wand, Python, bubblewrap, model server);
    /// `settings` adds profile settings (temperature, …) and `pricing` the model's prices, both
    /// recorded in `session.started`; `comparison` marks a session whose runs are the sides of a comparison.
    public init(id: String, recorder: EventRecorder, model: any LanguageModel, executor: any Executor,
                limits: ExecutionLimits?, tools: [String: String] = [:], settings: [String: String] = [:],
                pricing: ModelPricing? = nil, gate: ApprovalGate = ApprovalGate(), comparison: [ComparisonLane]? = nil,
                toolbox: Toolbox? = nil, notices: [Notice] = []) {
        self.id = id
        self.toolbox = toolbox
        startNotices = notices
        self.recorder = recorder
        self.model = model
        self.executor = executor
        self.limits = limits
        self.tools = tools
        self.extraSettings = settings
        self.pricing = pricing
        self.gate = gate
        self.comparison = comparison
        counters = SessionCounters()
        state = Mutex(State(started: false, run: 0, earlierRuns: [], resumed: false))
        totals = FoldedTotals(SessionTotals(), listeningTo: recorder)
    }

    /// Continues a saved session: numbering goes on after its events, its runs are remembered, and its
    /// totals count the runs before the resume (its `session.started`, prices included, stays as it was).
    /// `notices` are said after the first run's `run.started`, since `session.started` is already in the log.
    public init(resuming loaded: LoadedSession, recorder: EventRecorder, model: any LanguageModel, executor: any Executor,
                limits: ExecutionLimits?, tools: [String: String] = [:], settings: [String: String] = [:],
                gate: ApprovalGate = ApprovalGate(), toolbox: Toolbox? = nil, notices: [Notice] = []) {
        let folded = SessionState(folding: loaded.events)
        self.toolbox = toolbox
        startNotices = notices
        id = folded.started?.session ?? loaded.url.deletingPathExtension().lastPathComponent
        self.recorder = recorder
        self.model = model
        self.executor = executor
        self.limits = limits
        self.tools = tools
        self.extraSettings = settings
        pricing = folded.started?.pricing
        self.gate = gate
        comparison = nil
        var runs: [(goal: String, answer: String)] = []
        var goal = ""
        var lastCall = 0
        var lastToolCall = 0
        for record in loaded.events {
            switch record.event {
            case .runStarted(let started): goal = started.goal
            case .answer(let answer): runs.append((goal, answer.text))
            case .modelStarted(let started): lastCall = max(lastCall, started.call)
            case .toolCalled(let called): lastToolCall = max(lastToolCall, called.call)
            default: break
            }
        }
        counters = SessionCounters(calls: lastCall, attempts: folded.attempts.map(\.number).max() ?? 0, toolCalls: lastToolCall)
        state = Mutex(State(started: folded.started != nil, run: folded.run, earlierRuns: runs, resumed: true,
                            noticesPending: !notices.isEmpty, recordedSettings: folded.settings, recordedModel: folded.model))
        // So `session.finished` after a resume counts every run, not only the ones since the resume.
        totals = FoldedTotals(folded.totals, listeningTo: recorder)
    }

    /// Works on a goal with one of Wand's strategies, by name.
    public func run(goal: String, strategy: StrategyName, settings: AgentSettings, tests: TestSuite? = nil,
                    seedMessages: [ChatMessage] = [], on lane: RunLane? = nil) async -> RunFinished {
        await run(goal: goal, strategy: strategy.strategy, settings: settings, tests: tests, seedMessages: seedMessages,
                  on: lane)
    }

    /// Works on a goal with a strategy until it is answered, fails, runs out of budget or is cancelled;
    /// the strategy's name is what the session records. `lane` replaces the session's model (with its
    /// profile settings and prices) or executor for this run; a settings or model change from the
    /// previous run is recorded as `settings.changed` before `run.started`.
    public func run(goal: String, strategy: any Strategy, settings: AgentSettings, tests: TestSuite? = nil,
                    seedMessages: [ChatMessage] = [], on lane: RunLane? = nil) async -> RunFinished {
        let strategyName = strategy.name
        let model = lane?.model ?? self.model
        let executor = lane?.executor ?? self.executor
        let pricing = lane?.model == nil ? self.pricing : lane?.pricing
        let inForce = settings.recorded.merging(lane?.profileSettings ?? extraSettings) { $1 }
            .merging(limits?.settings ?? [:]) { $1 }
        let (number, earlier, needsStart, resumed, noticesPending, change) = state.withLock { state in
            state.run += 1
            defer {
                state.started = true
                state.resumed = false
                state.noticesPending = false
                state.recordedSettings = inForce
                state.recordedModel = model.descriptor
            }
            let changed = inForce.filter { state.recordedSettings[$0.key] != $0.value }
            let newModel = state.recordedModel == model.descriptor ? nil : model.descriptor
            let change = changed.isEmpty && newModel == nil
                ? nil : SettingsChanged(settings: changed, model: newModel, pricing: newModel == nil ? nil : pricing)
            // The sides of a comparison must not see each other's answers.
            let earlier = comparison == nil ? state.earlierRuns : []
            return (state.run, earlier, !state.started, state.resumed, state.noticesPending, change)
        }
        if needsStart {
            recorder.emit(.sessionStarted(SessionStarted(session: id, goal: goal, model: model.descriptor,
                                                         strategy: strategyName, settings: inForce, pricing: pricing,
                                                         tools: tools, sandbox: executor.sandbox, comparison: comparison,
                                                         mcpTools: toolbox?.tools)))
            for notice in startNotices { recorder.emit(.notice(notice)) }
        } else if let change {
            recorder.emit(.settingsChanged(change))
        }
        recorder.emit(.runStarted(RunStarted(run: number, goal: goal, strategy: strategyName, tests: tests?.source)))
        if resumed {
            recorder.emit(.notice(Notice(level: .info,
                                         message: "Session resumed: the Python session starts fresh, so variables from before are gone.")))
        }
        if noticesPending && !needsStart {
            for notice in startNotices { recorder.emit(.notice(notice)) }
        }
        let context = AgentContext(goal: goal, run: number, settings: settings, tests: tests, earlierRuns: earlier,
                                   seedMessages: seedMessages, model: model, executor: executor, recorder: recorder, gate: gate,
                                   limits: limits, counters: counters, toolbox: toolbox)
        let outcome: StrategyOutcome
        do {
            outcome = try await strategy.run(context)
        } catch is CancellationError {
            outcome = StrategyOutcome(status: .cancelled, reason: "cancelled by the user")
        } catch AgentStop.budget(let reason) {
            outcome = StrategyOutcome(status: .budgetExhausted, reason: reason)
        } catch AgentStop.model(let reason) {
            outcome = StrategyOutcome(status: .error, reason: reason)
        } catch {
            outcome = StrategyOutcome(status: .error, reason: "\(error)")
        }
        if outcome.status == .answered, let answer = outcome.answer {
            recorder.emit(.answer(AnswerGiven(text: answer, source: outcome.source)))
            state.withLock { $0.earlierRuns.append((goal, answer)) }
        }
        let candidate = outcome.status == .answered ? nil : (outcome.answer ?? context.candidate)
        let finished = RunFinished(run: number, status: outcome.status, totals: totals.current.openRun ?? RunTotals(),
                                   reason: outcome.reason, candidate: candidate)
        recorder.emit(.runFinished(finished))
        recorder.sync()
        return finished
    }

    /// Re-runs earlier kernel code, without recording it as steps, to rebuild the variables a forked
    /// conversation refers to; records one notice saying what was rebuilt and what was not (it replaces
    /// the "starts fresh" notice of a resumed session). Returns the steps that succeeded again.
    @discardableResult
    public func restoreKernel(_ restore: KernelRestore) async -> Int {
        // The code comes from a session file, possibly someone else's: re-run it only where bubblewrap
        // confines it, never unasked on the bare machine.
        guard restore.code.isEmpty || executor.sandbox.mode == .bubblewrap else {
            recorder.emit(.notice(Notice(level: .warning, message: "The Python session starts fresh: re-running the "
                + "\(restore.code.count) recorded kernel step\(restore.code.count == 1 ? "" : "s") would run code from the "
                + "session file without bubblewrap's confinement, so Wand did not. Variables set before the fork are missing.")))
            state.withLock { $0.resumed = false }
            return 0
        }
        var restored = 0
        for source in restore.code {
            let (_, result) = await executor.run(ExecutionRequest(attempt: 0, language: .python, source: source))
            if result.succeeded { restored += 1 }
        }
        var message = restore.code.isEmpty
            ? "The Python session starts fresh: no earlier step built state in it that can be re-run."
            : "Restored the Python session: re-ran \(restored) of \(restore.code.count) earlier kernel steps"
                + (restored == restore.code.count ? "." : "; the others failed this time, so what they set is missing.")
        if let notRestored = restore.notRestored { message += " " + notRestored }
        let complete = restored == restore.code.count && restore.notRestored == nil
        recorder.emit(.notice(Notice(level: complete ? .info : .warning, message: message)))
        state.withLock { $0.resumed = false }
        return restored
    }

    /// Closes the session: records `session.finished` (when anything ran) and stops the kernel.
    public func finish() async {
        let started = state.withLock { $0.started }
        if started {
            let folded = totals.current
            recorder.emit(.sessionFinished(SessionFinished(status: folded.lastStatus ?? .cancelled, totals: folded.session)))
            recorder.sync()
        }
        await executor.shutdown()
        await toolbox?.shutdown()
    }
}

/// A session's totals kept up to date by folding each event its recorder emits.
private final class FoldedTotals: Sendable {
    private let totals: Mutex<SessionTotals>

    init(_ start: SessionTotals, listeningTo recorder: EventRecorder) {
        totals = Mutex(start)
        recorder.listen { [self] record in totals.withLock { $0.apply(record) } }
    }

    /// The totals as of the last event emitted.
    var current: SessionTotals { totals.withLock { $0 } }
}
