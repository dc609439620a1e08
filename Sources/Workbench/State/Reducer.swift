import WandEngine
import TerminalUI

/// The workbench's update function: applies one input to the state and returns effects as data.
///
/// Pure: no I/O, no clock (time arrives as `.tick`), no rendering (scroll keys move positions; the
/// render clamps them, and reports what it drew as `.drawn`). A replay feeds recorded events through the
/// same fold as a live run, so both look the same. Each pane's own part lives beside its render function.
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
            if CommandReducer.type(text, &state) { return [] }
            PromptPane.insert(text, &state)
            return []
        case .resize(let size):
            state.size = size
            return []
        case .drawn(let extents):
            state.drawnExtents = extents
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
        case .sessionsListed, .comparisonEvent, .comparisonEnded:
            CommandReducer.apply(input, &state)
            return []
        }
    }

    private static func applyLive(_ record: EventRecord, to state: inout ViewState) {
        PlanPane.apply(record.event, to: &state)
        OutputPane.apply(record.event, to: &state)
        CodePane.apply(record.event, to: &state)
        state.session.apply(record)
        if case .runFinished(let finished) = record.event {
            state.editingApproval = nil
            state.message = finished.status == .cancelled ? "Run cancelled" : nil
        }
    }

    private static func handle(_ key: Key, _ state: inout ViewState) -> [Effect] {
        if key == .resize { return [] }
        if let action = state.action(for: key) {
            return perform(action, &state)
        }
        disarmQuit(&state)
        if case .character(let character) = key, CommandReducer.type(String(character), &state) { return [] }
        CommandReducer.unboundKey(&state)
        if case .character(let character) = key { PromptPane.insert(String(character), &state) }
        return []
    }

    private static func perform(_ action: Action, _ state: inout ViewState) -> [Effect] {
        state.message = nil
        state.commandError = nil
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
            if state.overlay == nil {
                state.overlay = .help
                state.scroll.help = .top
            } else {
                state.overlay = nil
            }
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
            guard let motion = ScrollMotion(action),
                  let area = state.overlay == .help ? ScrollArea.help : ScrollArea(state.focus) else { break }
            state.scroll[area] = state.scroll[area].moved(motion, in: state.drawnExtents[area])
        case .previousAttempt, .nextAttempt:
            CodePane.showAttempt(action, &state)
        case .submit:
            return PromptPane.submit(&state)
        case .newline, .cursorUp, .cursorDown, .cursorLeft, .cursorRight, .lineStart, .lineEnd, .deleteBackward,
             .deleteForward, .deleteWord, .deleteToLineStart, .deleteToLineEnd, .historyPrevious, .historyNext:
            PromptPane.edit(action, &state)
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
            let decision: ApprovalDecision = action == .approveRun ? .run : action == .approveSkip ? .skip : .always
            if let pending = state.session.pendingToolApproval {
                return [.decideToolCall(call: pending.called.call, decision: decision)]
            }
            guard let attempt = state.session.activeAttempt, attempt.awaitingApproval else { break }
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
        case .openPalette, .completeCommand, .selectPrevious, .selectNext, .paletteChoose, .filterDeleteBackward,
             .sessionReplay, .sessionResume, .sessionFork, .sessionDelete, .sessionFilter, .filterDone, .filterClear,
             .confirmYes, .confirmNo:
            return CommandReducer.perform(action, &state)
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
        if state.mode == .live, state.isBusy {
            state.message = "Cancelling…"
            return [.cancelRun]
        }
        if state.mode == .live, state.comparison != nil {
            state.comparison = nil
            return []
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
        if let replay = state.replay { state.comparison?.seek(in: replay.events, to: replay.position) }
        if let selected = state.selectedAttempt, selected >= state.session.attempts.count {
            state.selectedAttempt = nil
        }
        state.scroll.output = .end
    }
}
