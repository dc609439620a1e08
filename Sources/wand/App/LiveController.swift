import Foundation
import Synchronization
import WandEngine
import Workbench

/// A run the live workbench starts on its own when it opens.
enum StartingRun: Sendable {
    /// Continue a fork of a replayed session: restore the kernel, then run its goal from the fork point.
    case fork(SessionFork)
    /// Continue a fork taken at a session's end: restore the kernel and wait for the next goal.
    case restore(SessionFork)
    /// Replay a session's recorded model replies against the live executor.
    case rerun(LoadedSession)
    /// Run a goal once per side, side by side (`wand compare`).
    case compare(ComparisonRequest)
}

/// The live workbench's engine side (``WorkbenchEffects`` calls it): starts and cancels runs and
/// comparisons, relays approvals, applies commands, lists and deletes saved sessions, saves prompt
/// history, installs the model from the welcome offer. Engine events come back through the inbox.
/// Every method returns at once; the work runs in tasks.
final class LiveController: Sendable {
    let inbox: Inbox
    let bootstrap: SessionBootstrap
    let models: ModelPool
    private let state: Mutex<State>

    private struct State {
        var session: AgentSession?
        var resumeFrom: LoadedSession?
        var run: Task<Void, Never>?
        var selection: LiveSelection
        var exit: WorkbenchExit?
    }

    /// The model the session was opened with when it is not a profile's (a re-run's recorded replies).
    private let fixedModel: (any LanguageModel)?

    init(inbox: Inbox, bootstrap: SessionBootstrap, models: ModelPool, selection: LiveSelection, resumeFrom: LoadedSession?,
         model: (any LanguageModel)? = nil) {
        self.inbox = inbox
        self.bootstrap = bootstrap
        self.models = models
        fixedModel = model
        state = Mutex(State(resumeFrom: resumeFrom, selection: selection))
    }

    /// What the next goal runs with, as commands left it.
    var selection: LiveSelection { state.withLock { $0.selection } }

    /// How the workbench ends when the controller itself asked it to end (after reading a session to fork).
    var exit: WorkbenchExit? { state.withLock { $0.exit } }

    /// Starts a run on a goal.
    func start(_ goal: String) {
        let task = Task { await self.run(goal) }
        state.withLock { $0.run = task }
    }

    /// Cancels the run or comparison in progress, if any.
    func cancel() {
        state.withLock { $0.run }?.cancel()
    }

    /// Answers a pending approval.
    func decide(attempt: Int, decision: ApprovalDecision, source: String?) {
        state.withLock { $0.session }?.gate.decide(attempt: attempt, decision: decision, source: source)
    }

    /// Answers a tool call waiting for approval.
    func decide(toolCall call: Int, decision: ApprovalDecision) {
        state.withLock { $0.session }?.gate.decide(toolCall: call, decision: decision)
    }

    /// Appends a goal to the saved prompt history.
    func recordHistory(_ goal: String) {
        PromptHistory(url: bootstrap.paths.promptHistory).append(goal)
    }

    /// Installs the embedded model, with progress in the status bar.
    func installModel() {
        Task { await self.install() }
    }

    /// Applies a command's setting to the goals that follow.
    func change(_ setting: SettingChange) {
        state.withLock { $0.selection.apply(setting) }
    }

    /// Lists the saved sessions for the browser.
    func listSessions() {
        Task { self.postSessions() }
    }

    /// Deletes a saved session (never the one in use), then lists the sessions again.
    func delete(_ url: URL) {
        Task { self.deleteSession(url) }
    }

    /// Forks the session in use after an attempt (its execution and the feedback on it), or at its end,
    /// and ends the workbench so the fork opens.
    func fork(after attempt: Int?) {
        Task { self.forkSession(after: attempt) }
    }

    /// Runs a comparison.
    func compare(_ request: ComparisonRequest) {
        let task = Task { await self.runComparison(request) }
        state.withLock { $0.run = task }
    }

    /// Exports the session in use as `wand export` does, to `file` (relative to the working directory) or
    /// to `ID.EXT` there; says in the status bar what was written or why nothing was.
    func export(_ formatName: String, to file: String?) {
        Task { await self.exportSession(formatName, to: file) }
    }

    /// Closes the session in use; the next goal starts a new one.
    func clearSession() {
        let old = state.withLock { state -> AgentSession? in
            defer {
                state.session = nil
                state.resumeFrom = nil
            }
            return state.session
        }
        if let old { Task { await old.finish() } }
    }

    /// Starts a fork, a re-run or a comparison right away (the workbench shows it as it happens).
    func begin(_ starting: StartingRun, strategyOverride: StrategyName?) {
        if case .compare(let request) = starting {
            compare(request)
            return
        }
        let task = Task {
            do {
                let rerunOf: LoadedSession? = if case .rerun(let recorded) = starting { recorded } else { nil }
                let session = try await self.ensureSession(rerunOf: rerunOf)
                switch starting {
                case .fork(let fork):
                    await session.restoreKernel(fork.restore)
                    let strategy = strategyOverride ?? StrategyName(rawValue: fork.strategy) ?? .codeact
                    let (settings, lane) = self.runSettings()
                    _ = await session.run(goal: fork.goal, strategy: strategy, settings: settings,
                                          seedMessages: strategy == .codeact ? fork.messages : [], on: lane)
                case .restore(let fork):
                    await session.restoreKernel(fork.restore)
                case .rerun(let recorded):
                    let report = await SessionRerun.run(recorded, in: session)
                    self.inbox.post(.message(report.isIdentical ? "Re-run matches the recording"
                                             : "Re-run differs from the recording; see the last notice"))
                case .compare:
                    break
                }
            } catch {
                self.inbox.post(.message("Cannot start: \(error)"))
            }
        }
        state.withLock { $0.run = task }
    }

    /// Stops what is running and closes the session (the model servers stay up for the next workbench).
    func shutdown() async {
        let (run, session) = state.withLock { ($0.run, $0.session) }
        run?.cancel()
        await run?.value
        await session?.finish()
    }

    private func leave(_ exit: WorkbenchExit) {
        state.withLock { $0.exit = exit }
        inbox.post(.action(.quit))
    }

    /// The settings for the next run, and the model to use when it is not the session's own.
    private func runSettings() -> (AgentSettings, RunLane?) {
        let selection = self.selection
        guard fixedModel == nil, let runtime = models.runtime(selection.profile) else { return (selection.settings, nil) }
        return (selection.settings, RunLane(model: runtime.model, profileSettings: runtime.profile.sessionSettings,
                                            pricing: runtime.profile.pricing))
    }

    private func run(_ goal: String) async {
        do {
            let session = try await ensureSession()
            let (settings, lane) = runSettings()
            _ = await session.run(goal: goal, strategy: selection.strategy, settings: settings, on: lane)
        } catch {
            inbox.post(.message("Cannot start: \(error)"))
        }
    }

    /// The session, created at first use; a re-run's answers its tool calls from `rerunOf`.
    private func ensureSession(rerunOf: LoadedSession? = nil) async throws -> AgentSession {
        if let existing = state.withLock({ $0.session }) { return existing }
        let resume = state.withLock { $0.resumeFrom }
        let model = fixedModel ?? models.runtime(selection.profile)?.model ?? bootstrap.runtime.model
        let session: AgentSession
        if let resume {
            session = try await bootstrap.resumedSession(resume, model: model)
        } else {
            session = try await bootstrap.newSession(model: model, rerunOf: rerunOf)
        }
        let inbox = self.inbox
        session.recorder.listen { inbox.post(.event($0)) }
        if let server = bootstrap.runtime.server {
            await server.setNoticeHandler { inbox.post(.message($0)) }
        }
        state.withLock { $0.session = session }
        return session
    }

    private func postSessions() {
        inbox.post(.sessionsListed(.success(SessionDirectory(url: bootstrap.paths.sessions).list())))
    }

    private func deleteSession(_ url: URL) {
        let inUse = state.withLock { $0.session?.recorder.url }
        var problem: String?
        if inUse?.standardizedFileURL == url.standardizedFileURL {
            problem = "\(url.lastPathComponent) is the session in use; /clear first to delete it"
        } else {
            do { try SessionDirectory(url: bootstrap.paths.sessions).delete(url) } catch { problem = "\(error)" }
        }
        postSessions()
        if let problem { inbox.post(.sessionsListed(.failure(SessionListingError(problem)))) }
    }

    private func forkSession(after attempt: Int?) {
        guard let url = state.withLock({ $0.session?.recorder.url }) else {
            inbox.post(.message("Nothing to fork yet: this session has no file"))
            return
        }
        do {
            let events = try SessionReader().load(url).events
            guard let attempt else {
                leave(.forkSession(url, eventCount: events.count, continueRun: false))
                return
            }
            guard let finished = events.firstIndex(where: {
                if case .execFinished(let result) = $0.event { result.attempt == attempt } else { false }
            }) else {
                inbox.post(.message("Attempt \(attempt) has not finished running; fork after an earlier one"))
                return
            }
            var end = finished + 1
            while end < events.count, case .feedbackSent = events[end].event { end += 1 }
            leave(.forkSession(url, eventCount: end, continueRun: true))
        } catch {
            inbox.post(.message("Cannot fork: \(error)"))
        }
    }

    private func exportSession(_ formatName: String, to file: String?) async {
        guard let format = ExportFormat(rawValue: formatName) else {
            inbox.post(.message("Cannot export: unknown format \(formatName)"))
            return
        }
        guard let url = state.withLock({ $0.session?.recorder.url ?? $0.resumeFrom?.url }) else {
            inbox.post(.message("Nothing to export yet: run a goal first"))
            return
        }
        do {
            let loaded = try SessionReader().load(url)
            let target = URL(fileURLWithPath: file ?? SessionExport.defaultFileName(loaded, format: format))
            let themes = try ThemeSelection(requested: bootstrap.config.theme, paths: bootstrap.paths)
            inbox.post(.message(try await SessionExport.write(loaded, format: format, to: target,
                                                              theme: try themes.catalog.theme(named: themes.name))))
        } catch {
            inbox.post(.message("Cannot export: \(error)"))
        }
    }

    private func runComparison(_ request: ComparisonRequest) async {
        let inbox = self.inbox
        do {
            let comparison = try await ComparisonLauncher.prepare(request, bootstrap: bootstrap, models: models) {
                inbox.post(.comparisonEvent($0))
            }
            _ = await comparison.run(goal: request.goal, settings: selection.settings)
            inbox.post(.comparisonEnded(error: nil))
        } catch {
            inbox.post(.comparisonEnded(error: "\(error)"))
        }
    }

    private func install() async {
        let inbox = self.inbox
        let installer = EmbeddedModelInstaller(layout: EmbeddedModelLayout(paths: bootstrap.paths)) { progress in
            var text = "Installing \(progress.step)/\(progress.steps) \(progress.title): \(progress.detail)"
            if let fraction = progress.fraction, !progress.finished { text += String(format: " %.0f%%", fraction * 100) }
            text += String(format: " · %d:%02d", Int(progress.elapsed) / 60, Int(progress.elapsed) % 60)
            inbox.post(.message(text))
        }
        do {
            try await installer.install()
            inbox.post(.runsEnabled(true))
            inbox.post(.message("The embedded model is installed. Type a goal and press Enter."))
        } catch {
            inbox.post(.showWelcome("Installing the model failed:\n\(error)"))
        }
    }
}
