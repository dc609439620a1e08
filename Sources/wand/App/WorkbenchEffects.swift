import Foundation
import WandEngine
import Workbench

/// What ended a workbench, and so what its command does next.
enum WorkbenchExit: Sendable, Equatable {
    /// The user quit.
    case quit
    /// Open a demo session (the welcome offer's choice).
    case openDemo
    /// Continue the replayed session live after this many of its events.
    case fork(eventCount: Int)
    /// Re-run the replayed session's recorded model replies against the live executor.
    case rerun
    /// Open a saved session picked in the browser: replay, resume or fork it.
    case open(URL, SessionOpening)
    /// Continue a session in a new one after its first `eventCount` events; `continueRun` runs on the
    /// goal of the run open at that point (`/fork`).
    case forkSession(URL, eventCount: Int, continueRun: Bool)
}

/// Carries out every effect the reducer returns, for the live workbench and replays alike: one switch
/// over all of them, so a new effect cannot be handled in one mode and forgotten in the other.
///
/// Effects that leave the workbench end its loop with a ``WorkbenchExit``; the engine's effects go to
/// the live controller. A replay has no controller, and its reducer never asks to start, cancel or
/// approve a run, run a command or install the model (those keys are bound only in live mode and the
/// welcome offer).
struct WorkbenchEffects: Sendable {
    /// The live session's controller; nil in a replay.
    let live: LiveController?

    /// Performs an effect without blocking the terminal thread; returns how the workbench ends if it does.
    func perform(_ effect: Effect) -> WorkbenchExit? {
        switch effect {
        // A quit the controller asked for (to open a fork it prepared) ends the way it said.
        case .quit: return live?.exit ?? .quit
        case .openDemo: return .openDemo
        case .fork(let eventCount): return .fork(eventCount: eventCount)
        case .rerun: return .rerun
        case .openSession(let url, let opening): return .open(url, opening)
        case .startRun(let goal): live?.start(goal)
        case .cancelRun: live?.cancel()
        case .decideApproval(let attempt, let decision, let source):
            live?.decide(attempt: attempt, decision: decision, source: source)
        case .decideToolCall(let call, let decision):
            live?.decide(toolCall: call, decision: decision)
        case .recordHistory(let goal): live?.recordHistory(goal)
        case .installModel: live?.installModel()
        case .changeSetting(let change): live?.change(change)
        case .listSessions: live?.listSessions()
        case .deleteSession(let url): live?.delete(url)
        case .forkSession(let attempt): live?.fork(after: attempt)
        case .startComparison(let request): live?.compare(request)
        case .clearSession: live?.clearSession()
        case .export(let format, let file): live?.export(format, to: file)
        }
        return nil
    }
}
