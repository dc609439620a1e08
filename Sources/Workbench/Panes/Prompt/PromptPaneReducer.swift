extension PromptPane {
    /// Whether typed text goes into the goal editor: live, no overlay, the prompt focused.
    static func takesText(_ state: ViewState) -> Bool {
        state.mode == .live && state.overlay == nil && state.focus == .prompt
    }

    /// Types text into the goal editor, if it takes text.
    static func insert(_ text: String, _ state: inout ViewState) {
        if takesText(state) { state.prompt.insert(text) }
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

    /// Enter: runs edited code waiting for approval, or starts a run on the goal (saved to history),
    /// or says why it cannot.
    static func submit(_ state: inout ViewState) -> [Effect] {
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
}
