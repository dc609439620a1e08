import Foundation
import TerminalUI
import WandEngine

/// The reducer's part for commands, the palette, the session browser and the live comparison: pure,
/// like the rest of ``Reducer``; what needs I/O leaves as effects.
enum CommandReducer {
    /// What commands are parsed against, from the state.
    static func context(_ state: ViewState) -> CommandContext {
        let live = state.live
        let history = state.prompt.history.last { !CommandParser.isCommand($0) }
        let lastGoal = state.session.goal.isEmpty ? history : state.session.goal
        return CommandContext(choices: live?.choices ?? CommandChoices(),
                              strategy: live.flatMap { StrategyName(rawValue: $0.strategy) } ?? .defaultStrategy,
                              profile: live?.profile ?? "", lastGoal: lastGoal,
                              attempts: state.session.attempts.map(\.number), hasSession: state.session.run > 0)
    }

    /// Runs the command typed in the prompt; a refused one stays in the prompt with the reason under it.
    static func submit(_ state: inout ViewState) -> [Effect] {
        let text = state.prompt.text
        switch CommandParser.parse(text, in: context(state)) {
        case .failure(let error):
            state.commandError = error.message
            return []
        case .success(let invocation):
            guard let effects = run(invocation, &state) else { return [] }
            _ = state.prompt.submit()
            return [.recordHistory(text.trimmingWhitespace())] + effects
        }
    }

    /// Carries out a parsed command; nil when it is refused (the reason is in `commandError`).
    static func run(_ invocation: CommandInvocation, _ state: inout ViewState) -> [Effect]? {
        state.commandError = nil
        switch invocation {
        case .strategy(let strategy):
            state.live?.strategy = strategy.rawValue
            state.message = "Strategy \(strategy.rawValue) from the next goal"
            return [.changeSetting(.strategy(strategy))]
        case .model(let profile):
            state.live?.profile = profile
            if let model = state.live?.choices.profiles.first(where: { $0.name == profile })?.model { state.live?.model = model }
            state.message = "Model profile \(profile) from the next goal"
            return [.changeSetting(.model(profile: profile))]
        case .reflect(let on):
            state.live?.reflect = on
            state.message = "Reflection \(on ? "on" : "off") from the next goal"
            return [.changeSetting(.reflect(on))]
        case .approve(let mode):
            state.live?.approval = mode
            state.message = "Approval \(mode.rawValue) from the next goal"
            return [.changeSetting(.approval(mode))]
        case .samples(let count):
            state.live?.samples = count
            state.message = "\(count) samples from the next goal"
            return [.changeSetting(.samples(count))]
        case .sessions:
            state.overlay = .sessions(SessionBrowser())
            return [.listSessions]
        case .fork(let attempt):
            guard !state.isBusy else { return refuse("a run is in progress; Esc cancels it, then /fork", &state) }
            state.message = "Forking…"
            return [.forkSession(attempt: attempt)]
        case .export(let format, let file):
            state.message = "Exporting \(format)…"
            return [.export(format: format, file: file)]
        case .compare(let request):
            guard !state.isBusy else { return refuse("a run is in progress; Esc cancels it, then /compare", &state) }
            state.comparison = ComparisonState(request: request, profiles: state.live?.choices.profiles ?? [])
            state.selectedAttempt = nil
            return [.startComparison(request)]
        case .clear:
            guard !state.isBusy else { return refuse("a run is in progress; Esc cancels it, then /clear", &state) }
            state.session = SessionState()
            state.comparison = nil
            state.selectedAttempt = nil
            state.scroll = ScrollPositions()
            state.message = "New session: the next goal starts with a fresh Python session"
            return [.clearSession]
        case .help:
            state.overlay = .help
            state.scroll.help = .top
            return []
        }
    }

    private static func refuse(_ reason: String, _ state: inout ViewState) -> [Effect]? {
        state.commandError = reason
        return nil
    }

    /// Handles the actions of the command context, the palette, the browser and its confirmation.
    static func perform(_ action: Action, _ state: inout ViewState) -> [Effect] {
        switch (action, state.overlay) {
        case (.completeCommand, _):
            state.prompt.setText(CommandCompletion.complete(state.prompt.text, choices: state.live?.choices ?? CommandChoices()))
        case (.openPalette, _):
            state.overlay = .palette(CommandPalette())
        case (.selectPrevious, .palette(var palette)), (.selectNext, .palette(var palette)):
            palette.list.move(by: action == .selectNext ? 1 : -1)
            state.overlay = .palette(palette)
        case (.filterDeleteBackward, .palette(var palette)):
            palette.list.deleteBackward()
            state.overlay = .palette(palette)
        case (.paletteChoose, .palette(let palette)):
            state.overlay = nil
            guard let spec = palette.selected else { break }
            guard spec.argument == .none else {
                state.prompt.setText(spec.synopsis.prefix { !$0.isWhitespace } + " ")
                state.focus = .prompt
                break
            }
            switch CommandParser.parse("/" + spec.name.rawValue, in: context(state)) {
            case .success(let invocation): return run(invocation, &state) ?? []
            case .failure(let error): state.commandError = error.message
            }
        case (_, .sessions(var browser)):
            let effects = browse(action, &browser, &state)
            if case .sessions = state.overlay { state.overlay = .sessions(browser) }
            return effects
        default:
            break
        }
        return []
    }

    private static func browse(_ action: Action, _ browser: inout SessionBrowser, _ state: inout ViewState) -> [Effect] {
        switch action {
        case .selectPrevious: browser.list.move(by: -1)
        case .selectNext: browser.list.move(by: 1)
        case .sessionFilter: browser.isFiltering = true
        case .filterDone: browser.isFiltering = false
        case .filterClear:
            browser.list.clearQuery()
            browser.isFiltering = false
        case .filterDeleteBackward: browser.list.deleteBackward()
        case .sessionDelete: browser.isConfirmingDelete = browser.selected != nil
        case .confirmNo: browser.isConfirmingDelete = false
        case .confirmYes:
            browser.isConfirmingDelete = false
            guard let selected = browser.selected else { break }
            browser.reread()
            return [.deleteSession(selected.url)]
        case .sessionReplay, .sessionResume, .sessionFork:
            guard let selected = browser.selected else { break }
            let opening: SessionOpening = action == .sessionReplay ? .replay : action == .sessionResume ? .resume : .fork
            // Leaving the live session would cancel its run; the user does that with Esc, not by accident.
            guard !state.isBusy else {
                state.message = "A run is in progress; Esc cancels it first"
                break
            }
            state.overlay = nil
            return [.openSession(selected.url, opening)]
        default: break
        }
        return []
    }

    /// Typed text for an open palette or a filtering browser; false when no overlay takes text.
    static func type(_ text: String, _ state: inout ViewState) -> Bool {
        switch state.overlay {
        case .palette(var palette):
            palette.list.type(text)
            state.overlay = .palette(palette)
        case .sessions(var browser) where browser.isConfirmingDelete:
            // Only the bound yes deletes; any other key keeps the session.
            browser.isConfirmingDelete = false
            state.overlay = .sessions(browser)
        case .sessions(var browser) where browser.isFiltering:
            browser.list.type(text)
            state.overlay = .sessions(browser)
        default:
            return false
        }
        return true
    }

    /// A key no binding took while a question waits: it answers no.
    static func unboundKey(_ state: inout ViewState) {
        if case .sessions(var browser) = state.overlay, browser.isConfirmingDelete {
            browser.isConfirmingDelete = false
            state.overlay = .sessions(browser)
        }
    }

    /// Applies the outside inputs of this part: listings and the live comparison's events.
    static func apply(_ input: WorkbenchInput, _ state: inout ViewState) {
        switch input {
        case .sessionsListed(let result):
            guard case .sessions(var browser) = state.overlay else { return }
            switch result {
            case .success(let sessions):
                browser.show(sessions)
                browser.problem = nil
            case .failure(let error):
                if browser.isReading { browser.show([]) }
                browser.problem = error.message
            }
            state.overlay = .sessions(browser)
        case .comparisonEvent(let record):
            state.comparison?.apply(record)
        case .comparisonEnded(let error):
            state.comparison?.isRunning = false
            if let error {
                state.message = "Cannot compare: \(error)"
                if state.comparison?.position == 0 { state.comparison = nil }
            }
        default:
            break
        }
    }
}
