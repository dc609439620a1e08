public import WandEngine

/// A command as understood, ready to carry out.
public enum CommandInvocation: Sendable, Equatable {
    case strategy(StrategyName)
    case model(profile: String)
    case reflect(Bool)
    case approve(AgentSettings.ApprovalMode)
    case samples(Int)
    case sessions
    /// Continue in a new session: from the end, or after the given attempt.
    case fork(attempt: Int?)
    /// Export the session in a format, to a file (nil: `ID.EXT` in the working directory).
    case export(format: String, file: String?)
    case compare(ComparisonRequest)
    case clear
    case help
}

/// A goal to run once per side, with each side's strategy and model profile.
public struct ComparisonRequest: Sendable, Equatable {
    /// One side.
    public struct Side: Sendable, Equatable {
        /// The strategy.
        public var strategy: StrategyName
        /// The model profile's name.
        public var profile: String

        /// Creates a side.
        public init(strategy: StrategyName, profile: String) {
            self.strategy = strategy
            self.profile = profile
        }
    }

    /// The sides, in run order.
    public var sides: [Side]
    /// The goal.
    public var goal: String

    /// Creates a request.
    public init(sides: [Side], goal: String) {
        self.sides = sides
        self.goal = goal
    }
}

/// Why a command was refused; the message names what was wrong and what would be right.
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message shown under the prompt.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// What a command is parsed against: the values it may take and what the session holds now.
public struct CommandContext: Sendable, Equatable {
    /// Strategies, profiles, approval modes.
    public var choices: CommandChoices
    /// The strategy a side without one uses.
    public var strategy: StrategyName
    /// The profile a side without one uses.
    public var profile: String
    /// The goal `/compare` runs when none is typed.
    public var lastGoal: String?
    /// The attempt numbers `/fork` may name.
    public var attempts: [Int]
    /// Whether the session has anything to fork.
    public var hasSession: Bool

    /// Creates a context.
    public init(choices: CommandChoices, strategy: StrategyName, profile: String, lastGoal: String? = nil,
                attempts: [Int] = [], hasSession: Bool = false) {
        self.choices = choices
        self.strategy = strategy
        self.profile = profile
        self.lastGoal = lastGoal
        self.attempts = attempts
        self.hasSession = hasSession
    }
}

/// Reads `/name argument` against the command table.
public enum CommandParser {
    /// Whether prompt text is a command rather than a goal.
    public static func isCommand(_ text: String) -> Bool {
        text.drop(while: \.isWhitespace).first == "/"
    }

    /// Parses a command line (`/strategy pal`).
    public static func parse(_ text: String, in context: CommandContext) -> Result<CommandInvocation, CommandError> {
        let trimmed = text.drop(while: \.isWhitespace).dropFirst()
        let nameText = String(trimmed.prefix(while: { !$0.isWhitespace }))
        let argument = String(trimmed.dropFirst(nameText.count)).trimmingWhitespace()
        let known = CommandTable.all.map { "/" + $0.name.rawValue }.joined(separator: ", ")
        guard !nameText.isEmpty else { return .failure(CommandError("type a command after \"/\"; commands: \(known)")) }
        guard let name = CommandName(rawValue: nameText.lowercased()) else {
            let close = CommandTable.all.filter { $0.name.rawValue.hasPrefix(nameText.lowercased()) }
            let hint = close.count == 1 ? "did you mean /\(close[0].name.rawValue)? " : ""
            return .failure(CommandError("unknown command \"/\(nameText)\"; \(hint)commands: \(known)"))
        }
        do throws(CommandError) {
            return .success(try invocation(CommandTable.spec(name), argument: argument, in: context))
        } catch {
            return .failure(error)
        }
    }

    private static func invocation(_ spec: CommandSpec, argument: String, in context: CommandContext) throws(CommandError) -> CommandInvocation {
        let synopsis = spec.synopsis
        let words = argument.split(whereSeparator: \.isWhitespace).map(String.init)
        func single(_ what: String, _ allowed: [String]) throws(CommandError) -> String {
            guard let word = words.first else {
                throw CommandError("\(synopsis) needs \(what): \(allowed.joined(separator: ", "))")
            }
            guard words.count == 1 else { throw CommandError("\(synopsis) takes one argument, got \"\(argument)\"") }
            return word
        }
        switch spec.name {
        case .strategy:
            let word = try single("a strategy", context.choices.strategies)
            guard let strategy = StrategyName(rawValue: word.lowercased()) else {
                throw CommandError("unknown strategy \"\(word)\"; known: \(context.choices.strategies.joined(separator: ", "))")
            }
            return .strategy(strategy)
        case .model:
            let word = try single("a profile", context.choices.profiles.map(\.name))
            return .model(profile: try usableProfile(word, in: context.choices).name)
        case .reflect:
            switch try single("on or off", ["on", "off"]).lowercased() {
            case "on": return .reflect(true)
            case "off": return .reflect(false)
            case let other: throw CommandError("\(synopsis) takes on or off, got \"\(other)\"")
            }
        case .approve:
            let word = try single("a mode", context.choices.approvalModes)
            guard let mode = AgentSettings.ApprovalMode(rawValue: word.lowercased()) else {
                throw CommandError("unknown approval mode \"\(word)\"; known: \(context.choices.approvalModes.joined(separator: ", "))")
            }
            return .approve(mode)
        case .samples:
            guard case .count(let range) = spec.argument else { return .samples(0) }
            let word = words.first ?? ""
            guard words.count == 1, let count = Int(word), range.contains(count) else {
                let got = argument.isEmpty ? "nothing" : "\"\(argument)\""
                throw CommandError("\(synopsis) needs a whole number from \(range.lowerBound) to \(range.upperBound), got \(got)")
            }
            return .samples(count)
        case .fork:
            guard context.hasSession else { throw CommandError("nothing to fork yet: run a goal first") }
            guard let word = words.first else { return .fork(attempt: nil) }
            guard words.count == 1, let attempt = Int(word) else {
                throw CommandError("\(synopsis) takes an attempt number, got \"\(argument)\"")
            }
            guard context.attempts.contains(attempt) else {
                let known = context.attempts.isEmpty ? "this session has none"
                    : "this session has \(context.attempts.first!)–\(context.attempts.last!)"
                throw CommandError("no attempt \(attempt) to fork after; \(known)")
            }
            return .fork(attempt: attempt)
        case .export:
            guard context.hasSession else { throw CommandError("nothing to export yet: run a goal first") }
            let formats = context.choices.exportFormats.joined(separator: ", ")
            guard let format = words.first else { throw CommandError("\(synopsis) needs a format: \(formats)") }
            guard context.choices.exportFormats.contains(format) else {
                throw CommandError("unknown export format \"\(format)\"; known: \(formats)")
            }
            let file = String(argument.dropFirst(format.count)).trimmingWhitespace()
            return .export(format: format, file: file.isEmpty ? nil : file)
        case .compare:
            return .compare(try comparison(argument, in: context))
        case .sessions, .clear, .help:
            guard words.isEmpty else { throw CommandError("\(synopsis) takes no argument, got \"\(argument)\"") }
            switch spec.name {
            case .sessions: return .sessions
            case .clear: return .clear
            default: return .help
            }
        }
    }

    private static func usableProfile(_ name: String, in choices: CommandChoices) throws(CommandError) -> CommandChoices.Profile {
        guard let profile = choices.profiles.first(where: { $0.name == name }) else {
            throw CommandError("unknown profile \"\(name)\"; known: \(choices.profiles.map(\.name).joined(separator: ", "))"
                + " (see `wand models`)")
        }
        if let problem = profile.problem { throw CommandError("profile \"\(name)\" cannot be used: \(problem)") }
        return profile
    }

    /// `A,B [GOAL]`: each side a strategy, a profile, or `STRATEGY@PROFILE`; the goal defaults to the last one.
    private static func comparison(_ argument: String, in context: CommandContext) throws(CommandError) -> ComparisonRequest {
        let synopsis = CommandTable.spec(.compare).synopsis
        let list = String(argument.prefix(while: { !$0.isWhitespace }))
        let goal = String(argument.dropFirst(list.count)).trimmingWhitespace()
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let strategies = context.choices.strategies.joined(separator: ", ")
        let profiles = context.choices.profiles.map(\.name).joined(separator: ", ")
        guard names.count == 2, !names.contains(where: \.isEmpty) else {
            throw CommandError("\(synopsis) needs two sides separated by a comma, such as codeact,pal; "
                + "each a strategy (\(strategies)), a profile (\(profiles)) or STRATEGY@PROFILE")
        }
        let sides = try names.map { (name: String) throws(CommandError) -> ComparisonRequest.Side in
            let parts = name.split(separator: "@", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                guard let strategy = StrategyName(rawValue: parts[0].lowercased()) else {
                    throw CommandError("unknown strategy \"\(parts[0])\" in \(name); known: \(strategies)")
                }
                return ComparisonRequest.Side(strategy: strategy, profile: try usableProfile(parts[1], in: context.choices).name)
            }
            if let strategy = StrategyName(rawValue: name.lowercased()) {
                return ComparisonRequest.Side(strategy: strategy, profile: context.profile)
            }
            if context.choices.profiles.contains(where: { $0.name == name }) {
                return ComparisonRequest.Side(strategy: context.strategy, profile: try usableProfile(name, in: context.choices).name)
            }
            throw CommandError("\"\(name)\" is neither a strategy (\(strategies)) nor a profile (\(profiles))")
        }
        guard sides[0] != sides[1] else {
            throw CommandError("both sides of /compare are \(sides[0].strategy.rawValue) with \(sides[0].profile); name two that differ")
        }
        let chosenGoal = goal.isEmpty ? (context.lastGoal ?? "") : goal
        guard !chosenGoal.isEmpty else {
            throw CommandError("/compare needs a goal: no goal has run yet, so type \(list) and then the goal")
        }
        return ComparisonRequest(sides: sides, goal: chosenGoal)
    }
}

extension String {
    /// The string without white space at either end.
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
