import TerminalUI

/// The key help, generated from the keymap for the contexts that apply in this mode.
enum HelpOverlay {
    /// The contexts listed, in order.
    static func contexts(_ state: ViewState) -> [KeyContext] {
        state.mode == .replay ? [.global, .replay, .pane, .code, .help]
            : [.global, .live, .prompt, .command, .pane, .code, .approval, .palette, .sessions, .sessionFilter, .confirm, .help]
    }

    /// The overlay's lines.
    static func lines(_ state: ViewState, theme: Theme, width: Int = 72) -> [StyledLine] {
        var lines: [StyledLine] = []
        let allKeys = contexts(state).flatMap { state.keymap.bindings(in: $0) }
            .map { DisplayWidth.of($0.keys.map(\.displayName).joined(separator: " ")) }
        let keyColumn = min(16, (allKeys.max() ?? 8) + 1)
        for context in contexts(state) {
            let bindings = state.keymap.bindings(in: context)
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append(StyledLine()) }
            lines.append(StyledLine(context.title, style: theme.style("overlay.heading")))
            for binding in bindings {
                let keys = binding.keys.map(\.displayName).joined(separator: " ")
                let padded = keys + String(repeating: " ", count: max(1, keyColumn - DisplayWidth.of(keys)))
                let line = StyledLine([Span("  " + padded, style: theme.style("overlay.key")),
                                       Span(binding.action.summary, style: theme.style("overlay.text"))])
                lines += PaneChrome.wrap(line, width: width, indent: min(width / 2, 2 + DisplayWidth.of(padded)))
            }
        }
        if state.mode == .live { lines += commandLines(theme: theme, width: width) }
        return lines
    }

    /// The commands, from the command table: typed in the prompt or picked in the palette.
    static func commandLines(theme: Theme, width: Int) -> [StyledLine] {
        var lines = [StyledLine(), StyledLine("Commands (type in the prompt, or pick in the palette)", style: theme.style("overlay.heading"))]
        let column = min(24, (CommandTable.all.map { DisplayWidth.of($0.synopsis) }.max() ?? 10) + 1)
        for spec in CommandTable.all {
            let line = StyledLine([Span("  " + spec.synopsis.padding(to: column), style: theme.style("overlay.key")),
                                   Span(spec.summary, style: theme.style("overlay.text"))])
            lines += PaneChrome.wrap(line, width: width, indent: min(width / 2, 2 + column))
        }
        return lines
    }

    /// The overlay's width on a screen `screenWidth` columns wide.
    static func width(screenWidth: Int) -> Int { min(screenWidth - 2, 76) }

    /// The overlay's height on a screen `screenHeight` rows high, for content of `lineCount` lines.
    static func height(screenHeight: Int, lineCount: Int) -> Int { min(screenHeight - 2, lineCount + 2) }

    /// Draws the overlay centred over the screen at its scroll position clamped to the content; returns
    /// the content's extent.
    static func draw(_ state: ViewState, theme: Theme, in screen: Rect, on buffer: inout Buffer) -> ScrollExtent {
        let width = Self.width(screenWidth: screen.width)
        let content = lines(state, theme: theme, width: max(1, width - 2))
        let height = Self.height(screenHeight: screen.height, lineCount: content.count)
        let rect = screen.centered(width: width, height: height)
        let inner = rect.inset(by: 1)
        let extent = ScrollExtent(lines: content.count, rows: inner.height)
        let offset = extent.offset(of: state.scroll.help)
        let footer = PaneChrome.position(offset: offset, visible: inner.height, total: content.count)
        let box = BorderedBox(title: "Help · Esc closes", footer: footer, borderStyle: theme.style("overlay.border"),
                              titleStyle: theme.style("overlay.border"), fillStyle: theme.style("overlay.text"))
        let area = box.draw(in: rect, on: &buffer)
        PaneChrome.content(content, offset: offset, in: area, on: &buffer)
        return extent
    }
}
