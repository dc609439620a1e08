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
        }
    }
}

/// Where a binding applies; the workbench looks in the most specific context first.
public enum KeyContext: String, CaseIterable, Sendable, Hashable {
    /// Everywhere (unless an overlay takes all keys).
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

    /// The heading used in the help overlay.
    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .prompt: "Prompt"
        case .pane: "Plan, Code and Output panes"
        case .code: "Code pane"
        case .replay: "Replay"
        case .help: "Help"
        case .approval: "Approval"
        case .welcome: "Welcome"
        }
    }
}
