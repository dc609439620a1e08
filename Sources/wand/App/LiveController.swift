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

/// What the live workbench should do after its loop ends.
enum AfterWorkbench: Sendable, Equatable {
    case exit
    case openDemo
}

/// Carries out the live workbench's effects: starts and cancels runs, relays approvals, saves prompt
/// history, installs the model from the welcome offer. Engine events come back through the inbox.
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
        var after: AfterWorkbench = .exit
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

    /// What to do once the loop has ended.
    var after: AfterWorkbench { state.withLock { $0.after } }

    /// Performs one effect (called on the terminal thread; never blocks it).
    func handle(_ effect: Effect) {
        switch effect {
        case .startRun(let goal):
            let task = Task { await self.run(goal) }
            state.withLock { $0.run = task }
        case .cancelRun:
            state.withLock { $0.run }?.cancel()
        case .decideApproval(let attempt, let decision, let source):
            state.withLock { $0.session }?.gate.decide(attempt: attempt, decision: decision, source: source)
        case .recordHistory(let goal):
            PromptHistory(url: bootstrap.paths.promptHistory).append(goal)
        case .installModel:
            Task { await self.install() }
        case .openDemo:
            state.withLock { $0.after = .openDemo }
            inbox.post(.action(.quit))
        case .quit, .fork, .rerun:
            break
        }
    }

    /// Starts a fork or a re-run right away (the workbench shows it as it happens).
    func begin(_ starting: StartingRun, strategyOverride: StrategyName?) {
        let task = Task {
            do {
                let session = try await self.ensureSession()
                switch starting {
                case .fork(let fork):
                    await session.restoreKernel(fork.restoreCode)
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
