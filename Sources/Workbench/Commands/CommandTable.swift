import WandEngine

/// A command typed in the prompt after `/`, or picked in the palette.
public enum CommandName: String, CaseIterable, Sendable, Hashable {
    case strategy, model, reflect, approve, samples, sessions, fork, export, compare, clear, help
}

/// What a command's argument may be; drives parsing, completion and the usage shown in hints.
public enum CommandArgument: Sendable, Equatable {
    /// No argument.
    case none
    /// One of the strategies.
    case strategy
    /// One of the model profiles.
    case profile
    /// `on` or `off`.
    case onOff
    /// One of the approval modes.
    case approvalMode
    /// A whole number in a range.
    case count(ClosedRange<Int>)
    /// An optional attempt number.
    case optionalAttempt
    /// Two sides, `A,B`, each a strategy, a profile or `STRATEGY@PROFILE`, then an optional goal.
    case comparison
    /// An export format, then an optional file.
    case exportFormat
}

/// One row of the command table. The table drives parsing, Tab completion, the palette and the help
/// overlay, so they cannot disagree.
public struct CommandSpec: Sendable, Equatable {
    /// The command.
    public var name: CommandName
    /// The argument's usage, as shown after the name (`NAME`, `on|off`, `[STEP]`).
    public var usage: String
    /// What it does, in a few words.
    public var summary: String
    /// What the argument may be.
    public var argument: CommandArgument

    /// `/strategy NAME`.
    public var synopsis: String { usage.isEmpty ? "/" + name.rawValue : "/\(name.rawValue) \(usage)" }
}

/// The commands of the live workbench.
public enum CommandTable {
    /// Every command, in the order the palette and the help list them.
    public static let all: [CommandSpec] = [
        CommandSpec(name: .strategy, usage: "NAME", summary: "Use another strategy from the next goal", argument: .strategy),
        CommandSpec(name: .model, usage: "PROFILE", summary: "Use another model profile from the next goal", argument: .profile),
        CommandSpec(name: .reflect, usage: "on|off", summary: "Write a lesson after each failed attempt, or stop",
                    argument: .onOff),
        CommandSpec(name: .approve, usage: "MODE", summary: "auto runs code, ask asks first, never runs nothing",
                    argument: .approvalMode),
        CommandSpec(name: .samples, usage: "N", summary: "Programs drawn by vote and sample", argument: .count(1...32)),
        CommandSpec(name: .compare, usage: "A,B [GOAL]",
                    summary: "Run a goal (default: the last) with two strategies or models, side by side", argument: .comparison),
        CommandSpec(name: .sessions, usage: "", summary: "Browse saved sessions: replay, resume, fork, delete", argument: .none),
        CommandSpec(name: .fork, usage: "[STEP]",
                    summary: "Continue this session in a new one, from the end or after attempt STEP", argument: .optionalAttempt),
        CommandSpec(name: .export, usage: "FORMAT [FILE]",
                    summary: "Export this session as `wand export` does (markdown, cast, chat-jsonl) to FILE or ./ID.EXT",
                    argument: .exportFormat),
        CommandSpec(name: .clear, usage: "", summary: "Start a fresh session (this one stays saved)", argument: .none),
        CommandSpec(name: .help, usage: "", summary: "Show the keys and commands", argument: .none),
    ]

    /// The row of a command.
    public static func spec(_ name: CommandName) -> CommandSpec {
        all.first { $0.name == name }!
    }
}

/// The values commands may take here: strategies, approval modes, and the profiles this configuration has.
public struct CommandChoices: Sendable, Equatable {
    /// A model profile and whether it can be used now.
    public struct Profile: Sendable, Equatable {
        /// The profile's name.
        public var name: String
        /// The model it asks.
        public var model: String
        /// Why it cannot be used now (no API key, model not installed), or nil.
        public var problem: String?

        /// Creates a profile choice.
        public init(name: String, model: String, problem: String? = nil) {
            self.name = name
            self.model = model
            self.problem = problem
        }
    }

    /// The profiles, in the order listed.
    public var profiles: [Profile]
    /// The formats `/export` writes (those of `wand export`).
    public var exportFormats: [String]

    /// Creates choices.
    public init(profiles: [Profile] = [], exportFormats: [String] = []) {
        self.profiles = profiles
        self.exportFormats = exportFormats
    }

    /// The strategy names.
    public var strategies: [String] { StrategyName.allCases.map(\.rawValue) }

    /// The approval modes.
    public var approvalModes: [String] { AgentSettings.ApprovalMode.allCases.map(\.rawValue) }

    /// The words completion offers for an argument, or for one side of a comparison.
    func words(for argument: CommandArgument) -> [String] {
        switch argument {
        case .strategy: strategies
        case .profile: profiles.map(\.name)
        case .onOff: ["on", "off"]
        case .approvalMode: approvalModes
        case .comparison: strategies + profiles.map(\.name)
        case .exportFormat: exportFormats
        case .none, .count, .optionalAttempt: []
        }
    }
}
