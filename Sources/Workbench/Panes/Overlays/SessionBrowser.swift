import Foundation
import TerminalUI
public import WandEngine

/// The session browser: saved sessions newest first, filtered as you type after `/`; Enter replays,
/// `r` resumes, `f` forks at the end, `d` deletes after a yes.
public struct SessionBrowser: Sendable, Equatable {
    /// The sessions, newest first, what was typed and the selected session. While the directory is
    /// read again it keeps the last listing, so the selection stays on its row for the next one.
    public var list = FilteredList<SessionSummary>(items: [])
    /// Whether the directory is being read (the list is not shown).
    public private(set) var isReading = true
    /// Whether typed text goes to the filter.
    public var isFiltering = false
    /// Whether the selected session waits for a yes before it is deleted.
    public var isConfirmingDelete = false
    /// Why the directory or a file could not be used, if it could not.
    public var problem: String?

    /// A browser waiting for the listing.
    public init(sessions: [SessionSummary]? = nil) {
        if let sessions { show(sessions) }
    }

    /// The contexts its keys are looked up in.
    var keyContexts: [KeyContext] {
        if isConfirmingDelete { return [.confirm] }
        return isFiltering ? [.sessionFilter] : [.sessions]
    }

    /// The sessions, newest first; nil while the directory is being read.
    public var sessions: [SessionSummary]? { isReading ? nil : list.items }

    /// The sessions that match every word of the filter, ignoring case.
    public var matches: [SessionSummary] { isReading ? [] : list.matches }

    /// The selected session, if any matches.
    public var selected: SessionSummary? { isReading ? nil : list.selected }

    /// The selected row among ``matches``, if any matches.
    var selectedIndex: Int? { isReading ? nil : list.selectedIndex }

    /// Shows a listing, keeping the filter and the selected row.
    mutating func show(_ sessions: [SessionSummary]) {
        list.replaceItems(sessions)
        isReading = false
    }

    /// Hides the list until the directory has been read again.
    mutating func reread() {
        isReading = true
    }

    /// `2026-11-25 10:00` (UTC), or `?`.
    static func date(_ summary: SessionSummary) -> String {
        summary.started.map { EventTime.format($0).prefix(16).replacingOccurrences(of: "T", with: " ") } ?? "?"
    }

    /// How the last run ended, or `unfinished`.
    static func outcome(_ summary: SessionSummary) -> String {
        summary.status?.rawValue ?? "unfinished"
    }
}

extension SessionSummary: Filterable {
    /// The sessions that contain every word of the query, ignoring case, in their goal, strategy,
    /// outcome, date or id.
    public static func matches(_ items: [SessionSummary], query: String) -> [SessionSummary] {
        let words = query.lowercased().split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return items }
        return items.filter { summary in
            let haystack = [summary.goal, summary.strategy, SessionBrowser.outcome(summary), SessionBrowser.date(summary), summary.id]
                .joined(separator: " ").lowercased()
            return words.allSatisfy { haystack.contains($0) }
        }
    }
}

extension SessionBrowser {
    /// The table's rows for a width: a header, then one row per match (the selected one marked).
    func lines(theme: Theme, width: Int) -> [StyledLine] {
        guard let sessions else { return [StyledLine("Reading the sessions…", style: theme.style("overlay.muted"))] }
        guard !sessions.isEmpty else { return [StyledLine("No saved sessions yet.", style: theme.style("overlay.muted"))] }
        let matches = self.matches
        // On a narrow screen the year goes, so the goal keeps room.
        let wide = width >= 100
        let dateWidth = wide ? 17 : 12
        let strategyWidth = min(wide ? 18 : 14, max(9, (matches.map { DisplayWidth.of($0.strategy) }.max() ?? 8) + 1))
        let outcomeWidth = max(8, (matches.map { DisplayWidth.of(Self.outcome($0)) }.max() ?? 7) + 1)
        let header = "  " + "date".padded(dateWidth) + "strategy".padded(strategyWidth) + "outcome".padded(outcomeWidth)
            + "events".leftPadded(6) + "  goal"
        var lines = [StyledLine(header, style: theme.style("overlay.heading"))]
        if matches.isEmpty {
            lines.append(StyledLine("No session matches \"\(list.query)\".", style: theme.style("overlay.muted")))
        }
        let chosen = selectedIndex
        for (row, summary) in matches.enumerated() {
            let isSelected = row == chosen
            let goal = summary.goal.isEmpty ? "(no goal)" : summary.goal.replacingOccurrences(of: "\n", with: " ")
            let date = wide ? Self.date(summary) : String(Self.date(summary).dropFirst(5))
            let text = date.padded(dateWidth) + summary.strategy.truncated(strategyWidth - 1).padded(strategyWidth)
                + Self.outcome(summary).padded(outcomeWidth) + String(summary.eventCount).leftPadded(6) + "  " + goal
            let style = theme.style(isSelected ? "overlay.selected" : "overlay.text")
            lines.append(StyledLine([Span(isSelected ? "› " : "  ", style: theme.style("overlay.key")), Span(text, style: style)]))
        }
        return lines
    }

    /// The bottom border's text: the question while confirming, else the keys.
    func footer(_ keymap: Keymap) -> String {
        func key(_ action: Action, _ context: KeyContext) -> String? { keymap.keys(for: action, in: context).first?.displayName }
        if isConfirmingDelete, let selected {
            return "Delete \(selected.id)? \(key(.confirmYes, .confirm) ?? "y") deletes, any other key keeps it"
        }
        let pairs: [(Action, String)] = isFiltering
            ? [(.filterDone, "keeps the filter"), (.filterClear, "clears it")]
            : [(.sessionReplay, "replay"), (.sessionResume, "resume"), (.sessionFork, "fork"), (.sessionDelete, "delete"),
               (.sessionFilter, "filter"), (.closeOverlay, "close")]
        let context: KeyContext = isFiltering ? .sessionFilter : .sessions
        return pairs.compactMap { action, label in key(action, context).map { "\($0) \(label)" } }.joined(separator: " · ")
    }

    /// Draws the browser over most of the screen; returns the cursor's place while filtering.
    func draw(_ state: ViewState, theme: Theme, in screen: Rect, on buffer: inout Buffer) -> Point? {
        let width = min(screen.width - 2, 118)
        let rect = screen.centered(width: width, height: max(0, screen.height - 2))
        let count = sessions.map { " · \(matches.count) of \($0.count)" } ?? ""
        let box = BorderedBox(title: "Sessions\(count)", footer: footer(state.keymap),
                              borderStyle: theme.style("overlay.border"), titleStyle: theme.style("overlay.border"),
                              fillStyle: theme.style("overlay.text"))
        let area = box.draw(in: rect, on: &buffer)
        guard area.height >= 2 else { return nil }
        let filterLine: StyledLine
        if let problem {
            filterLine = StyledLine(problem, style: theme.style("notice.error"))
        } else if isFiltering || !list.query.isEmpty {
            filterLine = StyledLine([Span("/ ", style: theme.style("overlay.key")), Span(list.query, style: theme.style("overlay.text"))])
        } else {
            let key = state.keymap.keys(for: .sessionFilter, in: .sessions).first?.displayName ?? "/"
            filterLine = StyledLine("\(key) filters as you type", style: theme.style("overlay.muted"))
        }
        buffer.put(filterLine, x: area.x, y: area.y, limit: area.width)
        let content = lines(theme: theme, width: area.width)
        let table = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        // The header stays; the rows scroll to keep the selection in view.
        PaneChrome.content(Array(content.prefix(1)), offset: 0, in: Rect(x: table.x, y: table.y, width: table.width, height: 1),
                           on: &buffer)
        let rows = Rect(x: table.x, y: table.y + 1, width: table.width, height: max(0, table.height - 1))
        let body = Array(content.dropFirst())
        let selectedRow = selectedIndex ?? 0
        let offset = max(0, min(selectedRow - rows.height + 1, body.count - rows.height))
        PaneChrome.content(body, offset: offset, in: rows, on: &buffer)
        guard isFiltering, problem == nil else { return nil }
        return Point(x: area.x + min(area.width - 1, 2 + DisplayWidth.of(list.query)), y: area.y)
    }
}

extension String {
    /// The string cut to `width` columns with `…` when longer.
    func truncated(_ width: Int) -> String {
        guard DisplayWidth.of(self) > width, width > 0 else { return self }
        var result = ""
        for character in self {
            if DisplayWidth.of(result + String(character)) > width - 1 { break }
            result.append(character)
        }
        return result + "…"
    }

    /// The string padded with spaces to exactly `width` columns (cut when longer).
    func padded(_ width: Int) -> String {
        let text = truncated(width)
        return text + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
    }

    /// The string with spaces before it up to `width` columns.
    func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - DisplayWidth.of(self))) + self
    }
}
