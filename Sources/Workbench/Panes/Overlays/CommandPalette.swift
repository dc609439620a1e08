import TerminalUI

/// The command palette: the command table, filtered as you type; choosing a command runs it, or puts
/// it in the prompt when it needs an argument.
public struct CommandPalette: Sendable, Equatable {
    /// What was typed.
    public var filter = ""
    /// The selected row among ``matches``.
    public var selection = 0

    /// An empty palette.
    public init() {}

    /// The commands whose name contains the filter (ignoring case), those starting with it first; when
    /// no name does, those whose summary contains it (so "delete" finds /sessions).
    public var matches: [CommandSpec] {
        let needle = filter.lowercased()
        guard !needle.isEmpty else { return CommandTable.all }
        let starting = CommandTable.all.filter { $0.name.rawValue.hasPrefix(needle) }
        let containing = CommandTable.all.filter { !$0.name.rawValue.hasPrefix(needle) && $0.name.rawValue.contains(needle) }
        guard starting.isEmpty, containing.isEmpty else { return starting + containing }
        return CommandTable.all.filter { $0.summary.lowercased().contains(needle) }
    }

    /// The selected command, if any matches.
    public var selected: CommandSpec? {
        let matches = self.matches
        return matches.isEmpty ? nil : matches[max(0, min(selection, matches.count - 1))]
    }

    /// Moves the selection by `step` rows, staying within the matches.
    mutating func move(by step: Int) {
        selection = max(0, min(matches.count - 1, selection + step))
    }

    /// Adds typed text to the filter.
    mutating func type(_ text: String) {
        filter += text.filter { !$0.isNewline }
        selection = 0
    }

    /// Removes the filter's last character.
    mutating func deleteBackward() {
        if !filter.isEmpty { filter.removeLast() }
        selection = 0
    }
}

extension CommandPalette {
    /// The overlay's lines: the filter, then one row per match with the selected one marked.
    func lines(theme: Theme, width: Int) -> [StyledLine] {
        var lines = [StyledLine([Span("> ", style: theme.style("overlay.key")), Span(filter, style: theme.style("overlay.text"))])]
        lines.append(StyledLine())
        let matches = self.matches
        if matches.isEmpty {
            lines.append(StyledLine("No command matches \"\(filter)\".", style: theme.style("overlay.muted")))
        }
        let column = min(24, (matches.map { DisplayWidth.of($0.synopsis) }.max() ?? 10) + 2)
        let chosen = selected?.name
        for spec in matches {
            let isSelected = spec.name == chosen
            let style = theme.style(isSelected ? "overlay.selected" : "overlay.text")
            let line = StyledLine([Span(isSelected ? "› " : "  ", style: theme.style("overlay.key")),
                                   Span(spec.synopsis.padding(to: column), style: isSelected ? style : theme.style("overlay.key")),
                                   Span(spec.summary, style: style)])
            lines += PaneChrome.wrap(line, width: width, indent: 2 + column)
        }
        return lines
    }

    /// Draws the palette centred over the screen; returns where the cursor goes (after the filter).
    func draw(_ state: ViewState, theme: Theme, in screen: Rect, on buffer: inout Buffer) -> Point? {
        let width = min(screen.width - 2, 76)
        let content = lines(theme: theme, width: max(1, width - 2))
        let height = min(screen.height - 2, content.count + 2)
        let rect = screen.centered(width: width, height: height)
        let keys = [(Action.paletteChoose, "runs"), (.selectNext, "selects"), (.closeOverlay, "closes")]
            .compactMap { action, label in state.keymap.keys(for: action, in: .palette).first.map { "\($0.displayName) \(label)" } }
        let box = BorderedBox(title: "Commands · type to filter", footer: keys.joined(separator: " · "),
                              borderStyle: theme.style("overlay.border"), titleStyle: theme.style("overlay.border"),
                              fillStyle: theme.style("overlay.text"))
        let area = box.draw(in: rect, on: &buffer)
        guard !area.isEmpty else { return nil }
        // Keep the selected row in view on a short screen.
        let selectedRow = 2 + (matches.firstIndex { $0.name == selected?.name } ?? 0)
        let offset = max(0, min(selectedRow - area.height + 1, content.count - area.height))
        PaneChrome.content(Array(content.prefix(1)), offset: 0, in: Rect(x: area.x, y: area.y, width: area.width, height: 1),
                           on: &buffer)
        let rest = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        PaneChrome.content(Array(content.dropFirst()), offset: offset, in: rest, on: &buffer)
        return Point(x: area.x + min(area.width - 1, 2 + DisplayWidth.of(filter)), y: area.y)
    }
}
