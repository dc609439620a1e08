public import WandEngine

/// A run of source text and the theme role it is drawn with.
public struct HighlightToken: Sendable, Equatable {
    /// The text.
    public var text: String
    /// A `code.*` role.
    public var role: String

    /// Creates a token.
    public init(_ text: String, _ role: String) {
        self.text = text
        self.role = role
    }
}

/// Splits Python or shell source into coloured tokens, line by line.
///
/// A small hand-written lexer: enough to colour keywords, strings (including Python's triple-quoted
/// strings across lines), comments, numbers, decorators, function names and shell variables. It never
/// fails: anything it does not recognise is plain text.
public enum SyntaxHighlighter {
    static let pythonKeywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case",
    ]
    static let pythonBuiltins: Set<String> = [
        "abs", "all", "any", "bin", "bool", "bytes", "callable", "chr", "dict", "dir", "divmod", "enumerate", "eval",
        "exec", "filter", "float", "format", "frozenset", "getattr", "hasattr", "hash", "hex", "id", "input", "int",
        "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next", "object", "oct", "open",
        "ord", "pow", "print", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "str",
        "sum", "super", "tuple", "type", "vars", "zip", "self", "Exception", "ValueError", "TypeError",
        "KeyError", "IndexError", "RuntimeError", "AssertionError",
    ]
    static let shellKeywords: Set<String> = [
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function",
        "return", "select", "time",
    ]
    static let shellBuiltins: Set<String> = [
        "echo", "cd", "printf", "read", "set", "unset", "test", "exit", "source", "alias", "export", "local",
        "declare", "eval", "exec", "shift", "trap", "true", "false", "pwd", "wait", "kill",
    ]

    /// Tokens for each line of the source.
    public static func highlight(_ source: String, language: CodeLanguage) -> [[HighlightToken]] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        switch language {
        case .python: return highlightPython(lines)
        case .shell: return lines.map(highlightShellLine)
        }
    }

    private static func highlightPython(_ lines: [[Character]]) -> [[HighlightToken]] {
        var openTriple: String?
        var result: [[HighlightToken]] = []
        for line in lines {
            var tokens: [HighlightToken] = []
            var index = 0
            if let quote = openTriple {
                let end = find(quote, in: line, from: 0)
                let stop = end.map { $0 + 3 } ?? line.count
                tokens.append(HighlightToken(String(line[0..<stop]), "code.string"))
                index = stop
                if end != nil { openTriple = nil }
            }
            var previousWord = ""
            while index < line.count {
                let character = line[index]
                if character == "#" {
                    tokens.append(HighlightToken(String(line[index...]), "code.comment"))
                    break
                }
                if character == "\"" || character == "'" || (isStringPrefix(line, index) != nil) {
                    let start = index
                    index += isStringPrefix(line, index) ?? 0
                    guard index < line.count else { break }
                    let quote = line[index]
                    let triple = index + 2 < line.count && line[index + 1] == quote && line[index + 2] == quote
                    if triple {
                        let delimiter = String(repeating: quote, count: 3)
                        if let end = find(delimiter, in: line, from: index + 3) {
                            index = end + 3
                        } else {
                            index = line.count
                            openTriple = delimiter
                        }
                    } else {
                        index += 1
                        while index < line.count, line[index] != quote {
                            index += line[index] == "\\" ? 2 : 1
                        }
                        index = min(line.count, index + 1)
                    }
                    tokens.append(HighlightToken(String(line[start..<index]), "code.string"))
                    previousWord = ""
                    continue
                }
                if character == "@", tokens.allSatisfy({ $0.text.allSatisfy(\.isWhitespace) }) {
                    let start = index
                    index += 1
                    while index < line.count, line[index].isLetter || line[index].isNumber || line[index] == "_" || line[index] == "." {
                        index += 1
                    }
                    tokens.append(HighlightToken(String(line[start..<index]), "code.decorator"))
                    continue
                }
                if character.isNumber {
                    let start = index
                    while index < line.count, line[index].isHexDigit || "xXoObB_.eEjJ".contains(line[index]) { index += 1 }
                    tokens.append(HighlightToken(String(line[start..<index]), "code.number"))
                    continue
                }
                if character.isLetter || character == "_" {
                    let start = index
                    while index < line.count, line[index].isLetter || line[index].isNumber || line[index] == "_" { index += 1 }
                    let word = String(line[start..<index])
                    let role: String
                    if previousWord == "def" || previousWord == "class" {
                        role = "code.function"
                    } else if pythonKeywords.contains(word) {
                        role = "code.keyword"
                    } else if pythonBuiltins.contains(word) {
                        role = "code.builtin"
                    } else {
                        role = "code.text"
                    }
                    tokens.append(HighlightToken(word, role))
                    previousWord = word
                    continue
                }
                append(character, to: &tokens)
                if !character.isWhitespace { previousWord = "" }
                index += 1
            }
            result.append(tokens)
        }
        return result
    }

    private static func highlightShellLine(_ line: [Character]) -> [HighlightToken] {
        var tokens: [HighlightToken] = []
        var index = 0
        var atCommandStart = true
        while index < line.count {
            let character = line[index]
            if character == "#", index == 0 || line[index - 1].isWhitespace {
                tokens.append(HighlightToken(String(line[index...]), "code.comment"))
                break
            }
            if character == "\"" || character == "'" {
                let start = index
                index += 1
                while index < line.count, line[index] != character {
                    index += (line[index] == "\\" && character == "\"") ? 2 : 1
                }
                index = min(line.count, index + 1)
                tokens.append(HighlightToken(String(line[start..<index]), "code.string"))
                atCommandStart = false
                continue
            }
            if character == "$" {
                let start = index
                index += 1
                if index < line.count, line[index] == "{" {
                    while index < line.count, line[index] != "}" { index += 1 }
                    index = min(line.count, index + 1)
                } else if index < line.count, line[index] == "(" {
                    index += 1
                } else {
                    while index < line.count, line[index].isLetter || line[index].isNumber || line[index] == "_"
                        || (index == start + 1 && "?#@*!$-".contains(line[index])) {
                        index += 1
                    }
                }
                tokens.append(HighlightToken(String(line[start..<index]), "code.variable"))
                continue
            }
            if character.isLetter || character == "_" || character == "-" || character == "." || character == "/" {
                let start = index
                while index < line.count, !line[index].isWhitespace, !";|&()<>\"'$=".contains(line[index]) { index += 1 }
                let word = String(line[start..<index])
                let role: String
                if shellKeywords.contains(word) {
                    role = "code.keyword"
                    atCommandStart = true
                } else if atCommandStart {
                    role = shellBuiltins.contains(word) ? "code.builtin" : "code.function"
                    atCommandStart = false
                } else {
                    role = "code.text"
                }
                tokens.append(HighlightToken(word, role))
                continue
            }
            if character.isNumber {
                let start = index
                while index < line.count, line[index].isNumber { index += 1 }
                tokens.append(HighlightToken(String(line[start..<index]), "code.number"))
                continue
            }
            if ";|&(".contains(character) { atCommandStart = true }
            append(character, to: &tokens)
            index += 1
        }
        return tokens
    }

    private static func append(_ character: Character, to tokens: inout [HighlightToken]) {
        if let last = tokens.indices.last, tokens[last].role == "code.text",
           !(tokens[last].text.last?.isLetter ?? false) {
            tokens[last].text.append(character)
        } else {
            tokens.append(HighlightToken(String(character), "code.text"))
        }
    }

    private static func isStringPrefix(_ line: [Character], _ index: Int) -> Int? {
        guard index == 0 || !(line[index - 1].isLetter || line[index - 1].isNumber || line[index - 1] == "_") else { return nil }
        for length in [2, 1] where index + length < line.count {
            let prefix = String(line[index..<(index + length)]).lowercased()
            let allowed: Set<String> = ["r", "b", "f", "u", "rb", "br", "fr", "rf"]
            if allowed.contains(prefix), line[index + length] == "\"" || line[index + length] == "'" { return length }
        }
        return nil
    }

    private static func find(_ needle: String, in line: [Character], from start: Int) -> Int? {
        let pattern = Array(needle)
        guard line.count >= pattern.count, start <= line.count - pattern.count else { return nil }
        for index in start...(line.count - pattern.count) where Array(line[index..<(index + pattern.count)]) == pattern {
            return index
        }
        return nil
    }
}
