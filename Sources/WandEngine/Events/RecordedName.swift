/// A closed set of names that describe an event (why the model was called, how code ran, what the model
/// was told), written to the session file as strings.
///
/// `allCases` lists the names this build writes. A later version may add names; one this build does not
/// know decodes as `unrecognized` with its text kept, so the line still loads (nothing the fold acts on
/// depends on these names) and a copy of the session (a fork) writes it back unchanged. Sets the fold
/// acts on (`RunStatus`, `StepStatus`, `ExecutionLimit`, …) are plain `String` enums instead: a line with
/// a value of those that this build does not know is skipped and reported (`docs/SESSION_FORMAT.md`).
public protocol RecordedName: RawRepresentable, CaseIterable, Codable, Hashable, Sendable, CustomStringConvertible
where RawValue == String, AllCases == [Self] {
    /// A name written by a later version of Wand, as written.
    static func unrecognized(_ name: String) -> Self
}

extension RecordedName {
    /// The value named `rawValue`: one of `allCases`, or `unrecognized`.
    public init(rawValue: String) {
        self = Self.named(rawValue)
    }

    /// Whether this build knows the name.
    public var isRecognized: Bool { Self.allCases.contains(self) }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self = Self.named(try decoder.singleValueContainer().decode(String.self))
    }

    private static func named(_ name: String) -> Self {
        allCases.first { $0.rawValue == name } ?? .unrecognized(name)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// `feedback.sent`'s `kind`: what the model was told about.
public enum FeedbackKind: RecordedName {
    /// The output of code that ran without error.
    case observation
    /// The output and error of code that raised or exited non-zero.
    case error
    /// Code stopped by a limit (time, memory, output, …).
    case limit
    /// Which tests passed and failed.
    case tests
    /// A reminder of the reply format, after a reply with nothing to run or answer.
    case format
    /// A warning that the same failing code came back.
    case `repeat`
    /// A lesson the model wrote about a failure (`--reflect`); not part of the conversation when forking.
    case reflection
    /// Which candidate or vote a selecting strategy kept.
    case selection
    /// The user (or `--approve never`) kept code from running.
    case skipped
    case unrecognized(String)

    public static let allCases: [FeedbackKind] = [
        .observation, .error, .limit, .tests, .format, .repeat, .reflection, .selection, .skipped,
    ]

    public var rawValue: String {
        switch self {
        case .observation: "observation"
        case .error: "error"
        case .limit: "limit"
        case .tests: "tests"
        case .format: "format"
        case .repeat: "repeat"
        case .reflection: "reflection"
        case .selection: "selection"
        case .skipped: "skipped"
        case .unrecognized(let name): name
        }
    }
}

/// `model.started`'s `purpose`: why the model is called.
public enum ModelPurpose: RecordedName {
    /// The next step of a code-as-action loop.
    case act
    /// A plan, or a revised one.
    case plan
    /// A whole program whose output is the answer (`pal`, `auto`'s greedy program).
    case program
    /// Tests written from the goal (`tdd`).
    case tests
    /// One of several candidates drawn at a temperature.
    case sample
    /// A fix of a program that failed.
    case repair
    /// A lesson about a failure (`--reflect`).
    case reflect
    /// A final answer from what the steps found (`plan`).
    case answer
    /// An answer without running code (the `direct` baseline).
    case direct
    case unrecognized(String)

    public static let allCases: [ModelPurpose] = [
        .act, .plan, .program, .tests, .sample, .repair, .reflect, .answer, .direct,
    ]

    public var rawValue: String {
        switch self {
        case .act: "act"
        case .plan: "plan"
        case .program: "program"
        case .tests: "tests"
        case .sample: "sample"
        case .repair: "repair"
        case .reflect: "reflect"
        case .answer: "answer"
        case .direct: "direct"
        case .unrecognized(let name): name
        }
    }
}

/// `exec.started`'s `runner`: where code runs.
public enum ExecutionRunner: RecordedName {
    /// The session's persistent Python kernel, whose variables outlive the step.
    case kernel
    /// A fresh Python process that keeps and sees no state.
    case process
    /// A shell.
    case shell
    case unrecognized(String)

    public static let allCases: [ExecutionRunner] = [.kernel, .process, .shell]

    public var rawValue: String {
        switch self {
        case .kernel: "kernel"
        case .process: "process"
        case .shell: "shell"
        case .unrecognized(let name): name
        }
    }
}

/// `session.started`'s `sandbox.mode`: how code execution is confined.
public enum SandboxMode: RecordedName {
    /// bubblewrap confines execution besides the resource limits.
    case bubblewrap
    /// Only resource limits apply (bubblewrap was not found or cannot work here).
    case limitsOnly
    /// Nothing runs: results are served from a recording (`wand export --reenact`).
    case recorded
    case unrecognized(String)

    public static let allCases: [SandboxMode] = [.bubblewrap, .limitsOnly, .recorded]

    public var rawValue: String {
        switch self {
        case .bubblewrap: "bubblewrap"
        case .limitsOnly: "limits-only"
        case .recorded: "recorded"
        case .unrecognized(let name): name
        }
    }
}
