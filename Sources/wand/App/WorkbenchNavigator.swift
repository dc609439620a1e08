import ArgumentParser
import Foundation
import WandEngine
import Workbench

/// Where the workbench goes next: a live session (new, resumed, forked, re-run or comparing) or a replay.
enum WorkbenchDestination: Sendable {
    case live(resume: LoadedSession?, starting: StartingRun?, model: (any LanguageModel)?, message: String?)
    case replay(LoadedSession)
}

/// Moves the workbench between live sessions and replays (the session browser, `/fork`, a replay's fork
/// and re-run) until the user quits. The model servers stay up across the moves and stop at the end.
struct WorkbenchNavigator {
    let bootstrap: SessionBootstrap
    let themes: ThemeSelection
    let agent: AgentOptions

    /// Runs from `first` until the user quits.
    func run(from first: WorkbenchDestination) async throws {
        let models = ModelPool(bootstrap: bootstrap)
        let sandboxed = bootstrap.capabilities.descriptor(limits: bootstrap.limits).mode == .bubblewrap
        var selection = LiveSelection(
            strategy: agent.strategy ?? bootstrap.config.defaultStrategy.flatMap(StrategyName.init) ?? .defaultStrategy,
            settings: agent.settings(sandboxed: sandboxed), profile: bootstrap.profile.name)
        var destination = first
        while true {
            let exit: WorkbenchExit
            var loaded: LoadedSession?
            switch destination {
            case .live(let resume, let starting, let model, let message):
                (exit, selection) = await LiveWorkbench.open(
                    bootstrap: bootstrap, models: models, themes: themes, selection: selection, resume: resume,
                    starting: starting, strategyOverride: agent.strategy, model: model, message: message)
            case .replay(let session):
                loaded = session
                exit = await ReplayWorkbench.open(session, themes: themes, play: false)
            }
            switch exit {
            case .quit:
                // Quitting a replay opened from the browser goes back to a live session.
                guard loaded != nil else {
                    await models.shutdown()
                    return
                }
                destination = .live(resume: nil, starting: nil, model: nil, message: nil)
            case .openDemo:
                await models.shutdown()
                try await DemoCommand.openFirst(themes: themes)
                return
            case .fork(let count):
                // Only a replay forks this way; the live workbench's forks are `.forkSession`.
                guard let loaded else {
                    await models.shutdown()
                    return
                }
                destination = fork(loaded, eventCount: count, continueRun: true)
            case .rerun:
                guard let loaded else {
                    await models.shutdown()
                    return
                }
                destination = .live(resume: nil, starting: .rerun(loaded), model: SessionRerun.model(for: loaded), message: nil)
            case .open(let url, let opening):
                destination = open(url, opening)
            case .forkSession(let url, let count, let continueRun):
                destination = fork(url, eventCount: count, continueRun: continueRun)
            }
        }
    }

    private func open(_ url: URL, _ opening: SessionOpening) -> WorkbenchDestination {
        do {
            let loaded = try SessionReader().load(url)
            switch opening {
            case .replay: return .replay(loaded)
            // A run the file leaves open died with the process that ran it: record that before continuing.
            case .resume: return .live(resume: try InterruptedRun.close(loaded), starting: nil, model: nil, message: nil)
            case .fork: return fork(loaded, eventCount: loaded.events.count, continueRun: false)
            }
        } catch {
            return .live(resume: nil, starting: nil, model: nil, message: "Cannot open the session: \(error)")
        }
    }

    private func fork(_ url: URL, eventCount: Int, continueRun: Bool) -> WorkbenchDestination {
        do {
            return fork(try SessionReader().load(url), eventCount: eventCount, continueRun: continueRun)
        } catch {
            return .live(resume: nil, starting: nil, model: nil, message: "Cannot fork: \(error)")
        }
    }

    /// Copies the first `eventCount` events into a new session and continues it live: the goal of the run
    /// open there runs on when `continueRun`, else the kernel is restored and the next goal awaited.
    func fork(_ loaded: LoadedSession, eventCount: Int, continueRun: Bool) -> WorkbenchDestination {
        let id = SessionDirectory.newSessionID()
        let fork = SessionFork(source: loaded, upTo: eventCount, newSessionID: id)
        do {
            let copied = try fork.write(to: SessionDirectory(url: bootstrap.paths.sessions).file(for: id))
            return .live(resume: copied, starting: continueRun ? .fork(fork) : .restore(fork), model: nil,
                         message: "Forked \(loaded.url.deletingPathExtension().lastPathComponent) into \(id)")
        } catch {
            return .live(resume: nil, starting: nil, model: nil, message: "Cannot fork: \(error)")
        }
    }
}
