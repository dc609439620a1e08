/// Tab completion and the hint line for a command being typed, from the command table.
public enum CommandCompletion {
    /// The part of the text being completed, and what it may become.
    public struct Candidates: Sendable, Equatable {
        /// The command, once its name is typed in full.
        public var command: CommandSpec?
        /// The word under completion (a command name without `/`, or an argument word).
        public var word: String
        /// The values that word may take that start with it.
        public var matches: [String]
    }

    /// What the word at the end of `text` may become.
    public static func candidates(_ text: String, choices: CommandChoices) -> Candidates {
        let body = text.drop(while: \.isWhitespace).dropFirst()
        let name = String(body.prefix(while: { !$0.isWhitespace }))
        guard body.count > name.count else {
            let matches = CommandTable.all.map(\.name.rawValue).filter { $0.hasPrefix(name.lowercased()) }
            return Candidates(command: nil, word: name, matches: matches)
        }
        guard let command = CommandName(rawValue: name.lowercased()).map(CommandTable.spec) else {
            return Candidates(command: nil, word: name, matches: [])
        }
        let argument = String(body.dropFirst(name.count).drop(while: \.isWhitespace))
        var word = argument
        var words = choices.words(for: command.argument)
        if command.argument == .comparison {
            // Only the list of sides completes, one side (and the profile after `@`) at a time.
            guard !argument.contains(where: \.isWhitespace) else { return Candidates(command: command, word: "", matches: []) }
            word = String(argument.split(separator: ",", omittingEmptySubsequences: false).last ?? "")
            if let at = word.firstIndex(of: "@") {
                word = String(word[word.index(after: at)...])
                words = choices.profiles.map(\.name)
            }
        } else if argument.contains(where: \.isWhitespace) {
            // Past the first word (an export's file name, say) there is nothing to complete.
            return Candidates(command: command, word: "", matches: [])
        }
        return Candidates(command: command, word: word, matches: words.filter { $0.hasPrefix(word) })
    }

    /// The text after Tab: the word at the end completed as far as the candidates agree (a whole
    /// command name gets a space after it when it takes an argument); unchanged when nothing matches.
    public static func complete(_ text: String, choices: CommandChoices) -> String {
        let found = candidates(text, choices: choices)
        guard let first = found.matches.first else { return text }
        var common = first
        for match in found.matches.dropFirst() {
            common = String(zip(common, match).prefix(while: { $0 == $1 }).map(\.0))
        }
        guard common.count >= found.word.count else { return text }
        var completed = String(text.dropLast(found.word.count)) + common
        if found.matches.count == 1, found.command == nil,
           CommandName(rawValue: common).map(CommandTable.spec)?.argument != CommandArgument.none {
            completed += " "
        }
        return completed
    }

    /// One line under the prompt while a command is typed: the matching commands, or the command's usage
    /// and the values its argument may take.
    public static func hint(_ text: String, choices: CommandChoices) -> String {
        let found = candidates(text, choices: choices)
        guard let command = found.command else {
            let specs = CommandTable.all.filter { found.matches.contains($0.name.rawValue) }
            if specs.isEmpty { return "no command starts with /\(found.word) · /help lists them" }
            if specs.count == 1 { return "\(specs[0].synopsis) — \(specs[0].summary)" }
            return specs.map(\.synopsis).joined(separator: " · ")
        }
        let values = found.matches.isEmpty ? "" : ": " + found.matches.joined(separator: ", ")
        if found.word.isEmpty { return "\(command.synopsis) — \(command.summary)\(values)" }
        return found.matches.isEmpty ? "\(command.synopsis): nothing starts with \"\(found.word)\"" : command.synopsis + values
    }
}
