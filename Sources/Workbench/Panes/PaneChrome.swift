import TerminalUI

/// Draws a pane's border and title in the focused or unfocused style, and its scrolled content.
enum PaneChrome {
    /// Draws the frame and returns the inner rectangle.
    static func frame(title: String, footer: String = "", focused: Bool, in rect: Rect, theme: Theme,
                      on buffer: inout Buffer) -> Rect {
        let box = BorderedBox(
            title: title, footer: footer,
            borderStyle: theme.style(focused ? "pane.border.focused" : "pane.border"),
            titleStyle: theme.style(focused ? "pane.title.focused" : "pane.title"),
            fillStyle: theme.style("text"))
        return box.draw(in: rect, on: &buffer)
    }

    /// Draws lines from `offset` into the inner rectangle.
    static func content(_ lines: [StyledLine], offset: Int, in inner: Rect, on buffer: inout Buffer) {
        guard !inner.isEmpty else { return }
        for row in 0..<inner.height {
            let index = offset + row
            guard index < lines.count else { break }
            buffer.put(lines[index], x: inner.x, y: inner.y + row, limit: inner.width)
        }
    }

    /// `12-20/80` when the content does not fit, else empty.
    static func position(offset: Int, visible: Int, total: Int) -> String {
        guard total > visible, visible > 0 else { return "" }
        return "\(offset + 1)-\(min(total, offset + visible))/\(total)"
    }

    /// Wraps lines to a width, continuing wrapped parts under an indent.
    static func wrap(_ line: StyledLine, width: Int, indent: Int = 0) -> [StyledLine] {
        // No character takes more columns than its UTF-8 bytes, so a line with no more bytes than
        // columns fits without measuring it character by character (most lines of output do).
        guard width > 0, line.spans.reduce(0, { $0 + $1.text.utf8.count }) > width, line.width > width else { return [line] }
        let indent = width > indent + 1 ? indent : 0
        let pieces = line.wrapped(to: width, continuationWidth: width - indent)
        guard indent > 0 else { return pieces }
        let padding = Span(String(repeating: " ", count: indent))
        return [pieces[0]] + pieces.dropFirst().map { StyledLine([padding] + $0.spans) }
    }
}
