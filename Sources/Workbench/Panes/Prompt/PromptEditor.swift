/// The multi-line goal editor: text, cursor and history. Pure value type.
public struct PromptEditor: Sendable, Equatable {
    /// Lines of text, as characters (grapheme clusters) so the cursor never splits one.
    public private(set) var lines: [[Character]] = [[]]
    /// Cursor line.
    public private(set) var row = 0
    /// Cursor column, in characters.
    public private(set) var column = 0
    /// Earlier goals, oldest first.
    public private(set) var history: [String]
    private var historyIndex: Int?
    private var draft = ""

    /// Creates an empty editor with a history.
    public init(history: [String] = []) { self.history = history }

    /// The text.
    public var text: String { lines.map { String($0) }.joined(separator: "\n") }

    /// Whether nothing but white space is typed.
    public var isBlank: Bool { text.allSatisfy(\.isWhitespace) }

    /// Replaces the text, putting the cursor at its end.
    public mutating func setText(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
        row = lines.count - 1
        column = lines[row].count
    }

    /// Inserts text (which may hold newlines) at the cursor.
    public mutating func insert(_ text: String) {
        for character in text {
            if character == "\n" || character == "\r\n" || character == "\r" {
                insertNewline()
            } else {
                lines[row].insert(character, at: column)
                column += 1
            }
        }
    }

    /// Splits the line at the cursor.
    public mutating func insertNewline() {
        let rest = Array(lines[row][column...])
        lines[row].removeSubrange(column...)
        lines.insert(rest, at: row + 1)
        row += 1
        column = 0
    }

    /// Deletes the character before the cursor, joining lines at a line start.
    public mutating func deleteBackward() {
        if column > 0 {
            lines[row].remove(at: column - 1)
            column -= 1
        } else if row > 0 {
            column = lines[row - 1].count
            lines[row - 1] += lines[row]
            lines.remove(at: row)
            row -= 1
        }
    }

    /// Deletes the character under the cursor, joining lines at a line end.
    public mutating func deleteForward() {
        if column < lines[row].count {
            lines[row].remove(at: column)
        } else if row + 1 < lines.count {
            lines[row] += lines[row + 1]
            lines.remove(at: row + 1)
        }
    }

    /// Deletes the word before the cursor (and the spaces after it).
    public mutating func deleteWordBackward() {
        while column > 0, lines[row][column - 1].isWhitespace { deleteBackward() }
        while column > 0, !lines[row][column - 1].isWhitespace { deleteBackward() }
    }

    /// Deletes from the line start to the cursor.
    public mutating func deleteToLineStart() {
        lines[row].removeSubrange(0..<column)
        column = 0
    }

    /// Deletes from the cursor to the line end.
    public mutating func deleteToLineEnd() {
        lines[row].removeSubrange(column...)
    }

    /// Moves the cursor left, wrapping to the previous line's end.
    public mutating func moveLeft() {
        if column > 0 { column -= 1 } else if row > 0 {
            row -= 1
            column = lines[row].count
        }
    }

    /// Moves the cursor right, wrapping to the next line's start.
    public mutating func moveRight() {
        if column < lines[row].count { column += 1 } else if row + 1 < lines.count {
            row += 1
            column = 0
        }
    }

    /// Moves to the line start.
    public mutating func moveToLineStart() { column = 0 }

    /// Moves to the line end.
    public mutating func moveToLineEnd() { column = lines[row].count }

    /// Moves up a line, or recalls the previous history entry on the first line.
    public mutating func moveUp() {
        if row > 0 {
            row -= 1
            column = min(column, lines[row].count)
        } else {
            recallPrevious()
        }
    }

    /// Moves down a line, or recalls the next history entry on the last line.
    public mutating func moveDown() {
        if row + 1 < lines.count {
            row += 1
            column = min(column, lines[row].count)
        } else {
            recallNext()
        }
    }

    /// Shows the previous (older) history entry, keeping the current text as a draft.
    public mutating func recallPrevious() {
        guard !history.isEmpty else { return }
        let index: Int
        if let current = historyIndex {
            guard current > 0 else { return }
            index = current - 1
        } else {
            draft = text
            index = history.count - 1
        }
        historyIndex = index
        setText(history[index])
    }

    /// Shows the next (newer) history entry, or the draft after the newest.
    public mutating func recallNext() {
        guard let current = historyIndex else { return }
        if current + 1 < history.count {
            historyIndex = current + 1
            setText(history[current + 1])
        } else {
            historyIndex = nil
            setText(draft)
        }
    }

    /// Takes the text out for submission: records it in history and clears the editor.
    public mutating func submit() -> String {
        let submitted = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !submitted.isEmpty, history.last != submitted { history.append(submitted) }
        historyIndex = nil
        draft = ""
        lines = [[]]
        row = 0
        column = 0
        return submitted
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: CharacterClass) -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace && !$0.isNewline }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace && !$0.isNewline })!
        return String(self[start...end])
    }

    fileprivate enum CharacterClass { case whitespacesAndNewlines }
}
