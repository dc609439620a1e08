import Foundation
import Synchronization
import WandEngine
import Workbench

/// A run the live workbench starts on its own when it opens.
enum StartingRun: Sendable {
    /// Continue a fork of a replayed session.
    case fork(SessionFork)
    /// Replay a session's recorded model replies against the live executor.
    case rerun(LoadedSession)
}

/// The live workbench's engine side (``WorkbenchEffects`` calls it): starts and cancels runs, relays
/// approvals, saves prompt history, installs the model from the welcome offer. Engine events come back
/// through the inbox. Every method returns at once; the work runs in tasks.
final class LiveController: Sendable {
    let inbox: Inbox
    let bootstrap: SessionBootstrap
    let strategy: StrategyName
    let settings: AgentSettings
    private let state: Mutex<State>

    private struct State {
        var session: AgentSession?
        var resumeFrom: LoadedSession?
        var run: Task<Void, Never>?
    }

    private let model: any LanguageModel

    init(inbox: Inbox, bootstrap: SessionBootstrap, strategy: StrategyName, settings: AgentSettings, resumeFrom: LoadedSession?,
         model: (any LanguageModel)? = nil) {
        self.inbox = inbox
        self.bootstrap = bootstrap
        self.model = model ?? bootstrap.runtime.model
        self.strategy = strategy
        self.settings = settings
        state = Mutex(State(resumeFrom: resumeFrom))
    }

    /// Starts a run on a goal.
    func start(_ goal: String) {
        let task = Task { await self.run(goal) }
        state.withLock { $0.run = task }
    }

    /// Cancels the run in progress, if any.
    func cancel() {
        state.withLock { $0.run }?.cancel()
    }

    /// Answers a pending approval.
    func decide(attempt: Int, decision: ApprovalDecision, source: String?) {
        state.withLock { $0.session }?.gate.decide(attempt: attempt, decision: decision, source: source)
    }

    /// Appends a goal to the saved prompt history.
    func recordHistory(_ goal: String) {
        PromptHistory(url: bootstrap.paths.promptHistory).append(goal)
    }

    /// Installs the embedded model, with progress in the status bar.
    func installModel() {
        Task { await self.install() }
    }

    /// Starts a fork or a re-run right away (the workbench shows it as it happens).
    func begin(_ starting: StartingRun, strategyOverride: StrategyName?) {
        let task = Task {
            do {
                let session = try await self.ensureSession()
                switch starting {
                case .fork(let fork):
                    await session.restoreKernel(fork.restore)
                    let strategy = strategyOverride ?? StrategyName(rawValue: fork.strategy) ?? .codeact
                    _ = await session.run(goal: fork.goal, strategy: strategy, settings: self.settings,
                                          seedMessages: strategy == .codeact ? fork.messages : [])
                case .rerun(let recorded):
                    let report = await SessionRerun.run(recorded, in: session, settings: SessionRerun.settings(for: recorded))
                    self.inbox.post(.message(report.isIdentical ? "Re-run matches the recording"
                                             : "Re-run differs from the recording; see the last notice"))
                }
            } catch {
                self.inbox.post(.message("Cannot start: \(error)"))
            }
        }
        state.withLock { $0.run = task }
    }

    /// Stops what is running and closes the session and the model server.
    func shutdown() async {
        let (run, session) = state.withLock { ($0.run, $0.session) }
        run?.cancel()
        await run?.value
        await session?.finish()
        await bootstrap.runtime.shutdown()
    }

    private func run(_ goal: String) async {
        do {
            let session = try await ensureSession()
            _ = await session.run(goal: goal, strategy: strategy, settings: settings)
        } catch {
            inbox.post(.message("Cannot start: \(error)"))
        }
    }

    private func ensureSession() async throws -> AgentSession {
        if let existing = state.withLock({ $0.session }) { return existing }
        let resume = state.withLock { $0.resumeFrom }
        let session: AgentSession
        if let resume {
            session = try await bootstrap.resumedSession(resume, model: model)
        } else {
            session = try await bootstrap.newSession(model: model)
        }
        let inbox = self.inbox
        session.recorder.listen { inbox.post(.event($0)) }
        if let server = bootstrap.runtime.server {
            await server.setNoticeHandler { inbox.post(.message($0)) }
        }
        state.withLock { $0.session = session }
        return session
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
