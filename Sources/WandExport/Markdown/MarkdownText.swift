import TerminalUI

/// Text from a model, a program or a session placed into Markdown so that it reads as written and cannot
/// change the document around it: no heading, list, table, link, HTML or math it happens to contain takes
/// effect, no fence inside it closes ours, and no terminal control survives (a transcript is read in
/// terminals too).
enum MarkdownText {
    /// A fenced block whose fence is longer than any run of backticks in the content.
    static func fenced(_ content: String, info: String = "") -> String {
        let text = InertText.make(content)
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(in: text) + 1))
        let body = text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        return "\(fence)\(info)\n\(body)\(fence)\n"
    }

    /// The text as literal Markdown paragraphs, its line breaks kept as hard breaks.
    static func escaped(_ text: String) -> String {
        let lines = InertText.make(text).split(separator: "\n", omittingEmptySubsequences: false)
            .map { escapeLine(String($0), opensBlock: true) }
        var out = ""
        for (index, line) in lines.enumerated() {
            out += line
            if index < lines.count - 1 {
                // A backslash at the end of a line is a hard break; a blank line stays a paragraph break.
                out += !line.isEmpty && !lines[index + 1].isEmpty ? "\\\n" : "\n"
            }
        }
        return out
    }

    /// The text as a block quote of literal Markdown.
    static func quoted(_ text: String) -> String {
        escaped(text).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n") + "\n"
    }

    /// The text as literal inline Markdown on one line, for a table cell, a heading or a label.
    static func cell(_ text: String) -> String {
        escapeLine(InertText.make(text).split(whereSeparator: \.isNewline).joined(separator: " "), opensBlock: false)
    }

    /// Characters that start or end inline structure anywhere on a line (emphasis, code, links, HTML,
    /// tables, strikethrough, entities, GitHub's math and issue links, a heading's closing `#`s) or are
    /// the escape itself.
    private static let inlineSpecial: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "$", "#"]

    /// Characters that start a block (list, setext underline) when they open a line.
    private static let lineStartSpecial: Set<Character> = ["-", "+", "="]

    /// One line escaped; `opensBlock` when the line starts a block, where list, heading and setext
    /// markers take effect.
    private static func escapeLine(_ line: String, opensBlock: Bool) -> String {
        // Leading spaces would make an indented code block; the words matter, not their indentation.
        let characters = Array(line.drop(while: { $0 == " " || $0 == "\t" }))
        let digits = opensBlock ? characters.prefix(while: { $0.isASCII && $0.isNumber }).count : 0
        var out = ""
        // A marker counts only before a space or the end of the line (`- x`, `1. x`), or repeated (`---`).
        func marks(after index: Int, repeating marker: Character?) -> Bool {
            guard index + 1 < characters.count else { return true }
            let next = characters[index + 1]
            return next == " " || next == "\t" || next == marker
        }
        for (index, character) in characters.enumerated() {
            let blockMarker = opensBlock && index == 0 && lineStartSpecial.contains(character)
                && marks(after: index, repeating: character)
            let endsListNumber = digits > 0 && index == digits && (character == "." || character == ")")
                && marks(after: index, repeating: nil)
            if inlineSpecial.contains(character) || blockMarker || endsListNumber { out.append("\\") }
            out.append(character)
        }
        return out
    }

    private static func longestBacktickRun(in text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
