extension PromptPane {
    /// Whether typed text goes into the goal editor: live, no overlay, the prompt focused.
    static func takesText(_ state: ViewState) -> Bool {
        state.mode == .live && state.overlay == nil && state.focus == .prompt
    }

    /// Types text into the goal editor, if it takes text (which clears the reason a command was refused).
    static func insert(_ text: String, _ state: inout ViewState) {
        guard takesText(state) else { return }
        state.prompt.insert(text)
        state.commandError = nil
    }

    /// Applies an editing action (cursor, deletion, new line, history) to the goal editor; other
    /// actions are not the editor's and change nothing.
    static func edit(_ action: Action, _ state: inout ViewState) {
        switch action {
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
        default: break
        }
    }

    /// Enter: runs edited code waiting for approval, or a `/command`, or starts a run on the goal (saved
    /// to history, closing a comparison on show), or says why it cannot.
    static func submit(_ state: inout ViewState) -> [Effect] {
        if let attempt = state.editingApproval {
            let source = state.prompt.text
            state.prompt = PromptEditor(history: state.prompt.history)
            state.editingApproval = nil
            return [.decideApproval(attempt: attempt, decision: .edit, source: source)]
        }
        guard !state.prompt.isBlank else { return [] }
        if CommandParser.isCommand(state.prompt.text) { return CommandReducer.submit(&state) }
        guard state.canRun else {
            state.message = "No model available: run `wand setup` or configure a profile"
            return []
        }
        guard !state.isBusy else {
            state.message = "A run is in progress; Esc cancels it"
            return []
        }
        state.comparison = nil
        let goal = state.prompt.submit()
        return [.recordHistory(goal), .startRun(goal: goal)]
    }
}
