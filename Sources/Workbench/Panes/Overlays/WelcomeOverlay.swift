import TerminalUI

/// The first-run offer when no model is available: install the embedded model or open a demo.
enum WelcomeOverlay {
    /// Draws the overlay centred over the screen.
    static func draw(_ state: ViewState, message: String, theme: Theme, in screen: Rect, on buffer: inout Buffer) {
        let width = min(screen.width - 2, 70)
        let textWidth = max(1, width - 4)
        var lines: [StyledLine] = []
        for paragraph in message.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += StyledLine(String(paragraph), style: theme.style("overlay.text")).wrapped(to: textWidth)
        }
        lines.append(StyledLine())
        for (action, label) in [(Action.installModel, "install the embedded model (Qwen2.5-Coder 0.5B, about 15 min)"),
                                (.openDemo, "open a demo session"), (.closeOverlay, "continue without a model"),
                                (.quit, "quit")] {
            guard let key = state.keymap.keys(for: action, in: .welcome).first else { continue }
            let line = StyledLine([Span(key.displayName.padding(to: 7), style: theme.style("overlay.key")),
                                   Span(label, style: theme.style("overlay.text"))])
            lines += PaneChrome.wrap(line, width: textWidth, indent: 7)
        }
        let rect = screen.centered(width: width, height: min(screen.height - 2, lines.count + 2))
        let box = BorderedBox(title: "Welcome to Wand", borderStyle: theme.style("overlay.border"),
                              titleStyle: theme.style("overlay.border"), fillStyle: theme.style("overlay.text"))
        var area = box.draw(in: rect, on: &buffer)
        area = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: area.height)
        PaneChrome.content(lines, offset: 0, in: area, on: &buffer)
    }
}

extension String {
    /// The string padded with spaces to a display width.
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(1, width - DisplayWidth.of(self)))
    }
}
