/// A run of text in one style.
public struct Span: Hashable, Sendable {
    /// The text (no newlines).
    public var text: String
    /// Its style.
    public var style: Style

    /// Creates a span.
    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One line of styled text.
public struct StyledLine: Hashable, Sendable {
    /// The spans, left to right.
    public var spans: [Span]

    /// Creates a line from spans.
    public init(_ spans: [Span] = []) { self.spans = spans }

    /// A line of one span.
    public init(_ text: String, style: Style = .plain) { spans = [Span(text, style: style)] }

    /// The plain text.
    public var text: String { spans.map(\.text).joined() }

    /// Columns taken.
    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }

    /// Splits the line into pieces of at most `width` columns, breaking after spaces where it can
    /// (the space at a break is dropped) and inside words only when a word is wider than a line.
    /// A wide character is never split.
    /// Lines after the first may be given a different width (for a hanging indent).
    public func wrapped(to width: Int, continuationWidth: Int? = nil) -> [StyledLine] {
        guard width > 0, (continuationWidth ?? 1) > 0 else { return [self] }
        var cells: [(character: Character, style: Style, width: Int)] = []
        for span in spans {
            for character in span.text { cells.append((character, span.style, max(1, DisplayWidth.of(character)))) }
        }
        guard !cells.isEmpty else { return [self] }
        var lines: [StyledLine] = []
        var start = 0
        while start < cells.count {
            let limit = lines.isEmpty ? width : (continuationWidth ?? width)
            var used = 0
            var end = start
            while end < cells.count, used + cells[end].width <= limit {
                used += cells[end].width
                end += 1
            }
            if end == cells.count {
                lines.append(Self.rebuild(cells[start..<end]))
                break
            }
            if cells[end].character == " " {
                lines.append(Self.rebuild(cells[start..<end]))
                start = end + 1
            } else if let space = (start..<end).last(where: { cells[$0].character == " " }), space > start {
                lines.append(Self.rebuild(cells[start..<space]))
                start = space + 1
            } else {
                end = max(end, start + 1)
                lines.append(Self.rebuild(cells[start..<end]))
                start = end
            }
        }
        return lines
    }

    private static func rebuild(_ cells: ArraySlice<(character: Character, style: Style, width: Int)>) -> StyledLine {
        var spans: [Span] = []
        for cell in cells {
            if let last = spans.indices.last, spans[last].style == cell.style {
                spans[last].text.append(cell.character)
            } else {
                spans.append(Span(String(cell.character), style: cell.style))
            }
        }
        return StyledLine(spans)
    }

    /// Replaces tabs by spaces up to the next multiple of `tabWidth`.
    public func expandingTabs(tabWidth: Int = 4) -> StyledLine {
        guard spans.contains(where: { $0.text.utf8.contains(0x09) }) else { return self }
        var column = 0
        var result: [Span] = []
        for span in spans {
            var text = ""
            for character in span.text {
                if character == "\t" {
                    let spaces = tabWidth - column % tabWidth
                    text += String(repeating: " ", count: spaces)
                    column += spaces
                } else {
                    text.append(character)
                    column += DisplayWidth.of(character)
                }
            }
            result.append(Span(text, style: span.style))
        }
        return StyledLine(result)
    }
}
