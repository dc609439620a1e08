/// How the agent may act: budgets, approvals, sampling and strategy options.
public struct AgentSettings: Sendable, Equatable {
    /// When proposed code needs the user's approval.
    public enum ApprovalMode: String, Sendable, CaseIterable {
        /// Run without asking (the default when the sandbox is active).
        case auto
        /// Ask before each run (the default without a sandbox).
        case ask
        /// Never run code.
        case never
    }

    /// How the model's actions are read.
    public enum ActionFormat: String, Sendable, CaseIterable {
        /// Fenced code blocks in the reply (what small local models do well).
        case fenced
        /// The server's native tool calls.
        case native
    }

    /// Most model calls per run.
    public var maxSteps: Int
    /// Most tokens (prompt and completion) per run.
    public var maxTokens: Int
    /// Most wall-clock seconds per run.
    public var maxSeconds: Double
    /// Most repair attempts after a failed execution (pal, tdd, plan steps).
    public var maxRepairs: Int
    /// Candidates drawn by `sample`.
    public var samples: Int
    /// Sampling temperature for `sample` (above zero).
    public var sampleTemperature: Double
    /// Temperature for everything else; nil uses the profile's.
    public var temperature: Double?
    /// Most tokens per reply.
    public var maxReplyTokens: Int
    /// Whether a failed attempt is followed by a short written lesson kept for later attempts.
    public var reflect: Bool
    /// Approval mode.
    public var approval: ApprovalMode
    /// Action format.
    public var actions: ActionFormat
    /// A seed for reproducible sampling where the server supports it.
    public var seed: Int?

    /// Creates settings with the defaults.
    public init(maxSteps: Int = 10, maxTokens: Int = 40_000, maxSeconds: Double = 600, maxRepairs: Int = 3, samples: Int = 5,
                sampleTemperature: Double = 0.8, temperature: Double? = nil, maxReplyTokens: Int = 768, reflect: Bool = false,
                approval: ApprovalMode = .auto, actions: ActionFormat = .fenced, seed: Int? = nil) {
        self.maxSteps = maxSteps
        self.maxTokens = maxTokens
        self.maxSeconds = maxSeconds
        self.maxRepairs = maxRepairs
        self.samples = samples
        self.sampleTemperature = sampleTemperature
        self.temperature = temperature
        self.maxReplyTokens = maxReplyTokens
        self.reflect = reflect
        self.approval = approval
        self.actions = actions
        self.seed = seed
    }

    /// The settings as recorded in `session.started`.
    public var recorded: [String: String] {
        var values = ["budget.max_steps": String(maxSteps), "budget.max_tokens": String(maxTokens),
                      "budget.max_seconds": String(Int(maxSeconds)), "max_repairs": String(maxRepairs),
                      "samples": String(samples), "reflect": String(reflect), "approval": approval.rawValue,
                      "actions": actions.rawValue, "max_reply_tokens": String(maxReplyTokens)]
        if let temperature { values["temperature"] = String(temperature) }
        if let seed { values["seed"] = String(seed) }
        return values
    }
}
