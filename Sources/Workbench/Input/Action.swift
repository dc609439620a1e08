/// Something the user can ask the workbench to do; keys are bound to these by ID.
public enum Action: String, CaseIterable, Sendable, Hashable {
    case quit = "app.quit"
    case interrupt = "app.interrupt"
    case help = "app.help"
    case focusNext = "focus.next"
    case focusPrevious = "focus.previous"
    case nextTheme = "theme.next"
    case cancel = "run.cancel"
    case scrollUp = "scroll.up"
    case scrollDown = "scroll.down"
    case pageUp = "scroll.page-up"
    case pageDown = "scroll.page-down"
    case scrollTop = "scroll.top"
    case scrollBottom = "scroll.bottom"
    case previousAttempt = "attempt.previous"
    case nextAttempt = "attempt.next"
    case submit = "prompt.submit"
    case newline = "prompt.newline"
    case cursorUp = "prompt.up"
    case cursorDown = "prompt.down"
    case cursorLeft = "prompt.left"
    case cursorRight = "prompt.right"
    case lineStart = "prompt.line-start"
    case lineEnd = "prompt.line-end"
    case deleteBackward = "prompt.delete-backward"
    case deleteForward = "prompt.delete-forward"
    case deleteWord = "prompt.delete-word"
    case deleteToLineStart = "prompt.delete-to-start"
    case deleteToLineEnd = "prompt.delete-to-end"
    case historyPrevious = "prompt.history-previous"
    case historyNext = "prompt.history-next"
    case replayPlayPause = "replay.play-pause"
    case replayForward = "replay.forward"
    case replayBack = "replay.back"
    case replayNextStep = "replay.next-step"
    case replayPreviousStep = "replay.previous-step"
    case replayFaster = "replay.faster"
    case replaySlower = "replay.slower"
    case replayStart = "replay.start"
    case replayEnd = "replay.end"
    case replayFork = "replay.fork"
    case replayRerun = "replay.rerun"
    case approveRun = "approval.run"
    case approveSkip = "approval.skip"
    case approveEdit = "approval.edit"
    case approveAlways = "approval.always"
    case closeOverlay = "overlay.close"
    case installModel = "welcome.install"
    case openDemo = "welcome.demo"
    case openPalette = "palette.open"
    case completeCommand = "command.complete"
    case selectPrevious = "select.previous"
    case selectNext = "select.next"
    case paletteChoose = "palette.choose"
    case filterDeleteBackward = "filter.delete-backward"
    case sessionReplay = "session.replay"
    case sessionResume = "session.resume"
    case sessionFork = "session.fork"
    case sessionDelete = "session.delete"
    case sessionFilter = "session.filter"
    case filterDone = "filter.done"
    case filterClear = "filter.clear"
    case confirmYes = "confirm.yes"
    case confirmNo = "confirm.no"

    /// What the action does, as shown in the help overlay.
    public var summary: String {
        switch self {
        case .quit: "Quit Wand"
        case .interrupt: "Cancel the run; when idle, press twice to quit"
        case .help: "Show or hide this help"
        case .focusNext: "Focus the next pane"
        case .focusPrevious: "Focus the previous pane"
        case .nextTheme: "Switch to the next theme"
        case .cancel: "Cancel the running generation or execution"
        case .scrollUp: "Scroll up"
        case .scrollDown: "Scroll down"
        case .pageUp: "Scroll up one page"
        case .pageDown: "Scroll down one page"
        case .scrollTop: "Scroll to the top"
        case .scrollBottom: "Scroll to the bottom (follow new output)"
        case .previousAttempt: "Show the previous code attempt"
        case .nextAttempt: "Show the next code attempt"
        case .submit: "Run the goal"
        case .newline: "Insert a new line"
        case .cursorUp: "Cursor up (history on the first line)"
        case .cursorDown: "Cursor down (history on the last line)"
        case .cursorLeft: "Cursor left"
        case .cursorRight: "Cursor right"
        case .lineStart: "Start of line"
        case .lineEnd: "End of line"
        case .deleteBackward: "Delete before the cursor"
        case .deleteForward: "Delete under the cursor"
        case .deleteWord: "Delete the word before the cursor"
        case .deleteToLineStart: "Delete to the start of the line"
        case .deleteToLineEnd: "Delete to the end of the line"
        case .historyPrevious: "Previous goal from history"
        case .historyNext: "Next goal from history"
        case .replayPlayPause: "Play or pause"
        case .replayForward: "Step forward one event"
        case .replayBack: "Step back one event"
        case .replayNextStep: "Jump to the next step (skips streamed text)"
        case .replayPreviousStep: "Jump to the previous step"
        case .replayFaster: "Play faster"
        case .replaySlower: "Play slower"
        case .replayStart: "Jump to the start"
        case .replayEnd: "Jump to the end"
        case .replayFork: "Fork a live run from this point"
        case .replayRerun: "Re-run the recorded model outputs against the live executor"
        case .approveRun: "Run the proposed code"
        case .approveSkip: "Skip it (the model is told)"
        case .approveEdit: "Edit it in the prompt, then run"
        case .approveAlways: "Run this and all later code without asking"
        case .closeOverlay: "Close"
        case .installModel: "Install the embedded model"
        case .openDemo: "Open a demo session"
        case .openPalette: "Open the command palette"
        case .completeCommand: "Complete the command or its argument"
        case .selectPrevious: "Select the previous item"
        case .selectNext: "Select the next item"
        case .paletteChoose: "Run the command, or put it in the prompt to add its argument"
        case .filterDeleteBackward: "Delete the filter's last character"
        case .sessionReplay: "Replay the session"
        case .sessionResume: "Resume it: continue it live"
        case .sessionFork: "Fork it at the end into a new live session"
        case .sessionDelete: "Delete it (asks first)"
        case .sessionFilter: "Filter as you type"
        case .filterDone: "Keep the filter and go back to the list"
        case .filterClear: "Clear the filter and go back to the list"
        case .confirmYes: "Yes, do it"
        case .confirmNo: "No, keep it"
        }
    }
}

/// Where a binding applies; the workbench looks in the most specific context first.
public enum KeyContext: String, CaseIterable, Sendable, Hashable {
    /// Everywhere; an open overlay takes every key but quitting.
    case global
    /// The prompt editor has focus.
    case prompt
    /// A scrolling pane (plan, code, output) has focus.
    case pane
    /// The code pane has focus.
    case code
    /// A replay is open.
    case replay
    /// The help overlay is open.
    case help
    /// Code waits for approval.
    case approval
    /// The first-run welcome offer is open.
    case welcome
    /// The live workbench, whatever has focus.
    case live
    /// The prompt holds a command (it starts with `/`).
    case command
    /// The command palette is open.
    case palette
    /// The session browser is open.
    case sessions
    /// The session browser's filter is being typed.
    case sessionFilter = "session-filter"
    /// A question waits for yes or no (deleting a session).
    case confirm

    /// The heading used in the help overlay.
    public var title: String {
        switch self {
        case .global: "Everywhere (overlays: quitting only)"
        case .prompt: "Prompt"
        case .pane: "Plan, Code and Output panes"
        case .code: "Code pane"
        case .replay: "Replay"
        case .help: "Help"
        case .approval: "Approval"
        case .welcome: "Welcome"
        case .live: "Live workbench"
        case .command: "Command in the prompt (starts with /)"
        case .palette: "Command palette"
        case .sessions: "Session browser"
        case .sessionFilter: "Session browser, filtering"
        case .confirm: "Confirming"
        }
    }
}
