import Foundation

/// A fenced code block found in a model reply.
public struct CodeBlock: Sendable, Equatable {
    /// The language, or nil when the block is not runnable (`json`, `text`, an output sample…).
    public var language: CodeLanguage?
    /// The info string after the opening fence, lowercased (`python`, `""`, …).
    public var tag: String
    /// The code between the fences.
    public var source: String
    /// Whether a closing fence was found (an unclosed block runs to the end of the reply).
    public var closed: Bool

    /// Creates a block.
    public init(language: CodeLanguage?, tag: String, source: String, closed: Bool) {
        self.language = language
        self.tag = tag
        self.source = source
        self.closed = closed
    }
}

/// What a model reply says: prose, code blocks and possibly a final answer.
public struct ParsedReply: Sendable, Equatable {
    /// The reply without its code blocks, trimmed.
    public var prose: String
    /// The code blocks, in order.
    public var blocks: [CodeBlock]
    /// The final answer, if the reply marks one.
    public var finalAnswer: String?

    /// The runnable blocks (those with a known language).
    public var runnableBlocks: [CodeBlock] { blocks.filter { $0.language != nil } }
}

/// Extracts code and final answers from free-form model text.
///
/// Small local models write fenced code well but are loose about the details, so this accepts missing
/// or unusual language tags, several blocks, an unclosed last fence, `~~~` fences, indented fences,
/// and chatter around everything. Final answers are marked as `Final Answer: …` (any case, optionally
/// in bold) or `<answer>…</answer>`.
public enum ReplyParser {
    /// Parses a reply.
    public static func parse(_ text: String) -> ParsedReply {
        var prose: [Substring] = []
        var blocks: [CodeBlock] = []
        var open: (fence: Character, length: Int, tag: String, lines: [Substring])?
        for line in text.lines() {
            let stripped = line.drop(while: { $0 == " " || $0 == "\t" })
            if var current = open {
                if let fence = fenceRun(stripped), fence.character == current.fence, fence.length >= current.length,
                   stripped.dropFirst(fence.length).allSatisfy(\.isWhitespace) {
                    blocks.append(makeBlock(tag: current.tag, lines: current.lines, closed: true))
                    open = nil
                } else {
                    current.lines.append(line)
                    open = current
                }
            } else if line.count - stripped.count <= 3, let fence = fenceRun(stripped) {
                let tag = stripped.dropFirst(fence.length).trimmingWhitespace().lowercased()
                let firstWord = String(tag.split(separator: " ").first ?? "")
                open = (fence.character, fence.length, firstWord.trimmingCharacters(in: "{}."), [])
            } else {
                prose.append(line)
            }
        }
        if let current = open {
            blocks.append(makeBlock(tag: current.tag, lines: current.lines, closed: false))
        }
        let proseText = prose.joined(separator: "\n").trimmingWhitespace()
        var answer = finalAnswer(in: proseText)
        for index in blocks.indices {
            let (source, inside) = removingFinalAnswerLines(blocks[index].source)
            if let inside {
                blocks[index].source = source
                if answer == nil { answer = inside }
            }
        }
        return ParsedReply(prose: proseText, blocks: blocks, finalAnswer: answer)
    }

    /// The index of the latest reply holding code that `source` contains: the reply that proposed it (a
    /// strategy may run a block as it is, or wrapped, with tests for instance). Nil when none holds any.
    public static func latestReply(proposing source: String, among replies: [String]) -> Int? {
        latestParsedReply(proposing: source, among: replies)?.index
    }

    /// ``latestReply(proposing:among:)`` with that reply parsed, for callers that need its prose too
    /// (the session fold does this at every step; parsing the reply twice showed in load times).
    public static func latestParsedReply(proposing source: String, among replies: [String]) -> (index: Int, reply: ParsedReply)? {
        for index in replies.indices.reversed() {
            let parsed = parse(replies[index])
            if parsed.blocks.contains(where: { !$0.source.isEmpty && source.contains($0.source) }) {
                return (index, parsed)
            }
        }
        return nil
    }

    /// Small models sometimes put `Final Answer: …` inside the code block, where it is a syntax error:
    /// such lines are taken out of the code and read as the answer.
    static func removingFinalAnswerLines(_ source: String) -> (String, String?) {
        var kept: [Substring] = []
        var answer: String?
        for line in source.lines() {
            let bare = line.drop(while: { $0 == "#" || $0.isWhitespace })
            if bare.first == "f" || bare.first == "F", bare.range(of: "final answer", options: [.caseInsensitive, .anchored]) != nil,
               let colon = bare.firstIndex(of: ":") {
                let value = bare[bare.index(after: colon)...].trimmingWhitespace()
                if !value.isEmpty { answer = value }
                continue
            }
            kept.append(line)
        }
        while let last = kept.last, last.trimmingWhitespace().isEmpty { kept.removeLast() }
        return (kept.joined(separator: "\n"), answer)
    }

    /// The text after a final-answer marker, or between `<answer>` tags, if present.
    public static func finalAnswer(in prose: String) -> String? {
        if let open = prose.range(of: "<answer>", options: .caseInsensitive) {
            let rest = prose[open.upperBound...]
            let end = rest.range(of: "</answer>", options: .caseInsensitive)?.lowerBound ?? rest.endIndex
            let answer = rest[..<end].trimmingWhitespace()
            return answer.isEmpty ? nil : answer
        }
        let lines = prose.lines()
        for (index, line) in lines.enumerated() {
            // Markdown may wrap the marker (`### Final Answer`, `**Final Answer:** **42**`); only the marks
            // around it and around the value go, so an answer such as `2*3` or `C#` stays whole.
            let start = line.drop(while: { $0 == "*" || $0 == "#" || $0.isWhitespace })
            // The first letter is checked first: Foundation's case-insensitive search costs more than
            // the rest of parsing a reply, and almost no line starts with an `f`.
            guard start.first == "f" || start.first == "F",
                  let marker = start.range(of: "final answer", options: [.caseInsensitive, .anchored]) else {
                continue
            }
            let rest = start[marker.upperBound...].drop(while: { ":*#-= ".contains($0) })
                .trimmingWhitespace().trimmingCharacters(in: "*").trimmingWhitespace()
            if !rest.isEmpty { return rest }
            var following: [Substring] = []
            for next in lines[(index + 1)...] {
                if next.trimmingWhitespace().isEmpty { if following.isEmpty { continue } else { break } }
                following.append(next)
            }
            let answer = following.joined(separator: "\n").trimmingWhitespace()
            return answer.isEmpty ? nil : answer
        }
        return nil
    }

    private static func fenceRun(_ line: Substring) -> (character: Character, length: Int)? {
        guard let first = line.first, first == "`" || first == "~" else { return nil }
        let length = line.prefix(while: { $0 == first }).count
        return length >= 3 ? (first, length) : nil
    }

    private static func makeBlock(tag: String, lines: [Substring], closed: Bool) -> CodeBlock {
        var lines = lines
        while let last = lines.last, last.trimmingWhitespace().isEmpty { lines.removeLast() }
        while let first = lines.first, first.trimmingWhitespace().isEmpty { lines.removeFirst() }
        let source = lines.joined(separator: "\n")
        return CodeBlock(language: language(forTag: tag, source: source), tag: tag, source: source, closed: closed)
    }

    /// Maps a fence tag to a runnable language, guessing from the code when the tag is missing.
    static func language(forTag tag: String, source: String) -> CodeLanguage? {
        switch tag {
        case "python", "py", "python3", "ipython", "pycon": return .python
        case "bash", "sh", "shell", "console", "zsh", "shell-session", "terminal": return .shell
        case "": return source.trimmingWhitespace().isEmpty ? nil : guessLanguage(source)
        default: return nil
        }
    }

    private static func guessLanguage(_ source: String) -> CodeLanguage {
        let shellStarts = ["$ ", "ls", "cd ", "cat ", "echo ", "pip ", "mkdir ", "grep ", "curl ", "wget ", "apt", "git ",
                           "export ", "#!/bin/sh", "#!/bin/bash", "chmod ", "rm ", "cp ", "mv ", "touch ", "head ",
                           "tail ", "wc ", "find ", "sort ", "uniq "]
        let firstLine = source.lines().first { !$0.trimmingWhitespace().isEmpty }.map { $0.trimmingWhitespace() } ?? ""
        let pythonMarkers = ["import ", "from ", "def ", "print(", "class ", "for ", "while ", "if ", "return ", "#"]
        if pythonMarkers.contains(where: { firstLine.hasPrefix($0) }) && !firstLine.hasPrefix("#!") { return .python }
        if shellStarts.contains(where: { firstLine.hasPrefix($0) }) { return .shell }
        return .python
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space and newlines.
    func trimmingWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return String(result)
    }
}
