import WandEngine
import TerminalUI

/// The workbench's update function: applies one input to the state and returns effects as data.
///
/// Pure: no I/O, no clock (time arrives as `.tick`). A replay feeds recorded events through the same
/// fold as a live run, so both look the same.
public enum Reducer {
    /// Applies an input.
    public static func reduce(_ state: inout ViewState, _ input: WorkbenchInput) -> [Effect] {
        switch input {
        case .event(let record):
            applyLive(record, to: &state)
            return []
        case .key(let key):
            return handle(key, &state)
        case .action(let action):
            return perform(action, &state)
        case .text(let text):
            disarmQuit(&state)
            if state.mode == .live, state.overlay == nil, state.focus == .prompt { state.prompt.insert(text) }
            return []
        case .resize(let size):
            state.size = size
            return []
        case .tick(let now):
            state.now = now
            if var replay = state.replay {
                let due = replay.eventsDue(at: now)
                if due > 0 {
                    state.session = replay.seek(to: replay.position + due, from: state.session)
                    if replay.isAtEnd { replay.isPlaying = false }
                    state.replay = replay
                    afterReplayMove(&state)
                } else {
                    state.replay = replay
                }
            }
            return []
        case .message(let message):
            state.message = message
            return []
        case .runsEnabled(let enabled):
            state.canRun = enabled
            return []
        case .showWelcome(let message):
            state.overlay = .welcome(message: message)
            return []
        }
    }

    private static func applyLive(_ record: EventRecord, to state: inout ViewState) {
        if case .runStarted = record.event {
            state.selectedAttempt = nil
            state.followOutput = true
            state.scroll[.code] = 0
            state.scroll[.plan] = 0
        }
        if case .codeProposed = record.event, state.selectedAttempt == nil {
            state.scroll[.code] = 0
            state.followOutput = true
        }
        state.session.apply(record)
        if case .runFinished(let finished) = record.event {
            state.editingApproval = nil
            state.message = finished.status == .cancelled ? "Run cancelled" : nil
        }
    }

    private static func handle(_ key: Key, _ state: inout ViewState) -> [Effect] {
        if key == .resize { return [] }
        if let action = state.keymap.action(for: key, in: state.keyContexts) {
            return perform(action, &state)
        }
        disarmQuit(&state)
        if state.mode == .live, state.overlay == nil, state.focus == .prompt {
            switch key {
            case .character(let character): state.prompt.insert(String(character))
            default: break
            }
        }
        return []
    }

    private static func perform(_ action: Action, _ state: inout ViewState) -> [Effect] {
        state.message = nil
        let confirmingQuit = state.confirmingQuit
        state.confirmingQuit = false
        switch action {
        case .quit:
            return [.quit]
        case .interrupt:
            if let effects = cancel(&state) { return effects }
            if confirmingQuit { return [.quit] }
            state.confirmingQuit = true
            let again = state.keymap.firstKey(for: .interrupt, in: [.global])?.spelledName ?? "Interrupt"
            let quit = state.keymap.firstKey(for: .quit, in: [.global]).map { " or \($0.spelledName)" } ?? ""
            state.message = "\(again) again\(quit) to quit"
        case .help:
            state.overlay = state.overlay == nil ? .help(scroll: 0) : nil
        case .closeOverlay:
            state.overlay = nil
        case .focusNext, .focusPrevious:
            let panes = PaneID.allCases
            let index = panes.firstIndex(of: state.focus) ?? 0
            let step = action == .focusNext ? 1 : panes.count - 1
            state.focus = panes[(index + step) % panes.count]
        case .nextTheme:
            let names = state.themeNames
            if let index = names.firstIndex(of: state.themeName), !names.isEmpty {
                state.themeName = names[(index + 1) % names.count]
            } else if let first = names.first {
                state.themeName = first
            }
            state.message = "Theme: \(state.themeName)"
        case .cancel:
            return cancel(&state) ?? []
        case .scrollUp, .scrollDown, .pageUp, .pageDown, .scrollTop, .scrollBottom:
            if case .help(let scroll) = state.overlay {
                let (total, visible) = WorkbenchRenderer.measureHelp(state)
                let current = Scrolling.clampedOffset(scroll, total: total, visible: visible)
                state.overlay = .help(scroll: scrollTarget(action, from: current, total: total, visible: visible))
            } else {
                scroll(state.focus, action, &state)
            }
        case .previousAttempt, .nextAttempt:
            guard let current = state.shownAttemptIndex else { break }
            let target = action == .previousAttempt ? current - 1 : current + 1
            guard state.session.attempts.indices.contains(target) else { break }
            state.selectedAttempt = target == state.session.attempts.count - 1 ? nil : target
            state.scroll[.code] = 0
            state.followOutput = true
        case .submit:
            return submit(&state)
        case .newline: state.prompt.insertNewline()
        case .cursorUp: state.prompt.moveUp()
        case .cursorDown: state.prompt.moveDown()
        case .cursorLeft: state.prompt.moveLeft()
        case .cursorRight: state.prompt.moveRight()
        case .lineStart: state.prompt.moveToLineStart()
        case .lineEnd: state.prompt.moveToLineEnd()
        case .deleteBackward: state.prompt.deleteBackward()
        case .deleteForward: state.prompt.deleteForward()
        case .deleteWord: state.prompt.deleteWordBackward()
        case .deleteToLineStart: state.prompt.deleteToLineStart()
        case .deleteToLineEnd: state.prompt.deleteToLineEnd()
        case .historyPrevious: state.prompt.recallPrevious()
        case .historyNext: state.prompt.recallNext()
        case .replayPlayPause, .replayForward, .replayBack, .replayNextStep, .replayPreviousStep, .replayFaster,
             .replaySlower, .replayStart, .replayEnd:
            replayControl(action, &state)
        case .replayFork:
            guard let replay = state.replay else { break }
            return [.fork(eventCount: replay.position)]
        case .replayRerun:
            guard state.replay != nil else { break }
            return [.rerun]
        case .approveRun, .approveSkip, .approveAlways:
            guard let attempt = state.session.activeAttempt, attempt.awaitingApproval else { break }
            let decision: ApprovalDecision = action == .approveRun ? .run : action == .approveSkip ? .skip : .always
            return [.decideApproval(attempt: attempt.number, decision: decision, source: nil)]
        case .approveEdit:
            guard let attempt = state.session.activeAttempt, attempt.awaitingApproval else { break }
            state.editingApproval = attempt.number
            state.prompt.setText(attempt.source)
            state.focus = .prompt
        case .installModel:
            state.overlay = nil
            return [.installModel]
        case .openDemo:
            state.overlay = nil
            return [.openDemo]
        }
        return []
    }

    /// Stops what can be stopped: an approval edit, a live run, replay playback; nil when nothing was.
    private static func cancel(_ state: inout ViewState) -> [Effect]? {
        if state.editingApproval != nil {
            state.editingApproval = nil
            state.prompt = PromptEditor(history: state.prompt.history)
            return []
        }
        if state.mode == .live, state.session.isRunning {
            state.message = "Cancelling…"
            return [.cancelRun]
        }
        if state.mode == .replay, state.replay?.isPlaying == true {
            state.replay?.isPlaying = false
            return []
        }
        return nil
    }

    /// Any other key or text after a lone interrupt means the user did not want to quit.
    private static func disarmQuit(_ state: inout ViewState) {
        guard state.confirmingQuit else { return }
        state.confirmingQuit = false
        state.message = nil
    }

    private static func submit(_ state: inout ViewState) -> [Effect] {
        if let attempt = state.editingApproval {
            let source = state.prompt.text
            state.prompt = PromptEditor(history: state.prompt.history)
            state.editingApproval = nil
            return [.decideApproval(attempt: attempt, decision: .edit, source: source)]
        }
        guard !state.prompt.isBlank else { return [] }
        guard state.canRun else {
            state.message = "No model available: run `wand setup` or configure a profile"
            return []
        }
        guard !state.session.isRunning else {
            state.message = "A run is in progress; Esc cancels it"
            return []
        }
        let goal = state.prompt.submit()
        return [.recordHistory(goal), .startRun(goal: goal)]
    }

    private static func scroll(_ pane: PaneID, _ action: Action, _ state: inout ViewState) {
        guard let (total, visible) = WorkbenchRenderer.measure(pane, state) else { return }
        let maximum = Scrolling.maximumOffset(total: total, visible: visible)
        let current: Int
        if pane == .output, state.followOutput {
            current = maximum
        } else {
            current = Scrolling.clampedOffset(state.scroll[pane] ?? 0, total: total, visible: visible)
        }
        let target = scrollTarget(action, from: current, total: total, visible: visible)
        state.scroll[pane] = target
        if pane == .output { state.followOutput = target >= maximum }
    }

    /// Where a scroll action moves an offset, kept within content of `total` lines shown in `visible` rows.
    private static func scrollTarget(_ action: Action, from current: Int, total: Int, visible: Int) -> Int {
        let maximum = Scrolling.maximumOffset(total: total, visible: visible)
        let page = max(1, visible - 1)
        let target: Int
        switch action {
        case .scrollUp: target = current - 1
        case .scrollDown: target = current + 1
        case .pageUp: target = current - page
        case .pageDown: target = current + page
        case .scrollTop: target = 0
        default: target = maximum
        }
        return max(0, min(maximum, target))
    }

    private static func replayControl(_ action: Action, _ state: inout ViewState) {
        guard var replay = state.replay else { return }
        var target: Int?
        switch action {
        case .replayPlayPause:
            if replay.togglePlaying(now: state.now) { target = 0 }
        case .replayForward: target = replay.position + 1
        case .replayBack: target = replay.position - 1
        case .replayNextStep: target = replay.nextStepPosition()
        case .replayPreviousStep: target = replay.previousStepPosition()
        case .replayFaster: replay.changeSpeed(by: 1)
        case .replaySlower: replay.changeSpeed(by: -1)
        case .replayStart: target = 0
        case .replayEnd: target = replay.events.count
        default: break
        }
        if let target {
            if action != .replayPlayPause { replay.isPlaying = false }
            state.session = replay.seek(to: target, from: state.session)
        }
        state.replay = replay
        afterReplayMove(&state)
    }

    private static func afterReplayMove(_ state: inout ViewState) {
        if let selected = state.selectedAttempt, selected >= state.session.attempts.count {
            state.selectedAttempt = nil
        }
        state.followOutput = true
    }
}
