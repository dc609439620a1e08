import TerminalUI

/// The command palette: the command table, filtered as you type; choosing a command runs it, or puts
/// it in the prompt when it needs an argument.
public struct CommandPalette: Sendable, Equatable {
    /// The command table, what was typed and the selected command.
    public var list = FilteredList(items: CommandTable.all)

    /// An empty palette.
    public init() {}

    /// The commands the filter leaves (see ``CommandSpec/matches(_:query:)``).
    public var matches: [CommandSpec] { list.matches }

    /// The selected command, if any matches.
    public var selected: CommandSpec? { list.selected }
}

extension CommandSpec: Filterable {
    /// The commands whose name contains the query (ignoring case), those starting with it first; when
    /// no name does, those whose summary contains it (so "delete" finds /sessions).
    public static func matches(_ items: [CommandSpec], query: String) -> [CommandSpec] {
        let needle = query.lowercased()
        guard !needle.isEmpty else { return items }
        let starting = items.filter { $0.name.rawValue.hasPrefix(needle) }
        let containing = items.filter { !$0.name.rawValue.hasPrefix(needle) && $0.name.rawValue.contains(needle) }
        guard starting.isEmpty, containing.isEmpty else { return starting + containing }
        return items.filter { $0.summary.lowercased().contains(needle) }
    }
}

extension CommandPalette {
    /// The overlay's lines: the filter, then one row per match with the selected one marked.
    func lines(theme: Theme, width: Int) -> [StyledLine] {
        var lines = [StyledLine([Span("> ", style: theme.style("overlay.key")), Span(list.query, style: theme.style("overlay.text"))])]
        lines.append(StyledLine())
        let matches = self.matches
        if matches.isEmpty {
            lines.append(StyledLine("No command matches \"\(list.query)\".", style: theme.style("overlay.muted")))
        }
        let column = min(24, (matches.map { DisplayWidth.of($0.synopsis) }.max() ?? 10) + 2)
        let chosen = list.selectedIndex
        for (row, spec) in matches.enumerated() {
            let isSelected = row == chosen
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
        let selectedRow = 2 + (list.selectedIndex ?? 0)
        let offset = max(0, min(selectedRow - area.height + 1, content.count - area.height))
        PaneChrome.content(Array(content.prefix(1)), offset: 0, in: Rect(x: area.x, y: area.y, width: area.width, height: 1),
                           on: &buffer)
        let rest = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        PaneChrome.content(Array(content.dropFirst()), offset: offset, in: rest, on: &buffer)
        return Point(x: area.x + min(area.width - 1, 2 + DisplayWidth.of(list.query)), y: area.y)
    }
}
