import TerminalUI
import WandEngine

/// The Prompt pane: the goal editor in live mode (with the cursor), the run's goal in replay mode.
enum PromptPane {
    /// Wrapped display lines and the cursor's place among them (live editing only).
    static func layout(_ state: ViewState, theme: Theme, width: Int) -> (lines: [StyledLine], cursor: Point?) {
        let width = max(1, width)
        if state.mode == .replay {
            let goal = state.session.goal.isEmpty ? "(no goal yet)" : state.session.goal
            let lines = goal.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
                StyledLine(String($0), style: theme.style("prompt.text")).wrapped(to: width)
            }
            return (lines, nil)
        }
        let editor = state.prompt
        if editor.isBlank, editor.lines.count == 1 {
            let placeholder = state.session.isRunning
                ? "Running… Esc cancels. You can type the next goal."
                : idlePlaceholder(state.keymap, width: width)
            return ([StyledLine(placeholder, style: theme.style("prompt.placeholder"))], Point(x: 0, y: 0))
        }
        var lines: [StyledLine] = []
        var cursor = Point(x: 0, y: 0)
        for (row, characters) in editor.lines.enumerated() {
            let wrapped = StyledLine(String(characters), style: theme.style("prompt.text")).wrapped(to: width)
            if row == editor.row {
                let before = DisplayWidth.of(String(characters.prefix(editor.column)))
                var line = before / width
                var column = before % width
                if line >= wrapped.count {
                    line = wrapped.count - 1
                    column = width - 1
                }
                cursor = Point(x: column, y: lines.count + line)
            }
            lines += wrapped
        }
        return (lines, cursor)
    }

    /// The empty prompt's hint at idle, with the keymap's keys: as many of its parts, most useful first,
    /// as fit the width whole (a part cut mid-word could read as a wrong key name).
    static func idlePlaceholder(_ keymap: Keymap, width: Int) -> String {
        var parts = [keymap.firstKey(for: .submit, in: [.prompt]).map { "Type a goal and press \($0.spelledName)" } ?? "Type a goal"]
        parts.append("/" + (keymap.firstKey(for: .openPalette, in: [.live]).map { " or \($0.spelledName)" } ?? "") + " for commands")
        if let help = keymap.firstKey(for: .help, in: [.global]) { parts.append("\(help.spelledName) help") }
        if let newline = keymap.firstKey(for: .newline, in: [.prompt]) { parts.append("\(newline.spelledName) new line") }
        var shown = parts[0]
        for part in parts.dropFirst() {
            let longer = shown + " · " + part
            guard DisplayWidth.of(longer) <= width else { break }
            shown = longer
        }
        return shown
    }

    /// How many display lines the prompt needs at a terminal width (drives the layout).
    static func lineCount(_ state: ViewState, width: Int) -> Int {
        layout(state, theme: .fallback, width: width - 2).lines.count
    }

    /// Draws the pane and returns where the terminal cursor goes, if it should show.
    static func draw(_ state: ViewState, theme: Theme, in rect: Rect, on buffer: inout Buffer) -> Point? {
        let focused = state.focus == .prompt && state.overlay == nil
        let inner = rect.inset(by: 1)
        let (lines, cursor) = layout(state, theme: theme, width: inner.width)
        let cursorLine = cursor?.y ?? 0
        let offset = max(0, min(cursorLine - inner.height + 1, lines.count - inner.height))
        var title = state.mode == .replay ? "Goal" : PaneID.prompt.title
        if let attempt = state.editingApproval {
            title = "Edit attempt \(attempt) · Enter runs it"
        } else if state.mode == .live, state.session.isRunning {
            title += " · running, Esc cancels"
        }
        let box = PaneChrome.frame(title: title, focused: focused, in: rect, theme: theme, on: &buffer)
        PaneChrome.content(lines, offset: max(0, offset), in: box, on: &buffer)
        guard focused, state.mode == .live, let cursor, !box.isEmpty else { return nil }
        return Point(x: box.x + min(cursor.x, box.width - 1), y: box.y + min(cursor.y - max(0, offset), box.height - 1))
    }
}
