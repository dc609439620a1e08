import TerminalUI

/// The line on the prompt's bottom border while a command is typed: why it was refused, or what may
/// follow (the matching commands, the command's usage and its argument's values).
enum CommandLineHint {
    /// The text and its role, or nil when the prompt holds no command.
    static func text(_ state: ViewState) -> (text: String, role: String)? {
        if let error = state.commandError { return ("✗ " + error, "prompt.error") }
        guard state.mode == .live, state.overlay == nil, CommandParser.isCommand(state.prompt.text) else { return nil }
        return (CommandCompletion.hint(state.prompt.text, choices: state.live?.choices ?? CommandChoices()), "prompt.hint")
    }

    /// Draws it over the prompt pane's bottom border, from the left corner.
    static func draw(_ state: ViewState, theme: Theme, in rect: Rect, on buffer: inout Buffer) {
        guard let (text, role) = text(state), rect.width > 4, rect.height >= 2 else { return }
        let limit = rect.width - 2
        var shown = " " + text + " "
        if DisplayWidth.of(shown) > limit { shown = String(shown.truncated(limit - 1)) + " " }
        buffer.put(shown, x: rect.x + 1, y: rect.maxY - 1, style: theme.style(role), limit: limit)
    }
}
