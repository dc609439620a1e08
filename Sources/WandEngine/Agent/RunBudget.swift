/// What one run has spent against its limits. A value owned by the run's task: the strategy's calls
/// go through it one after another, so it needs no lock.
struct RunBudget: Sendable {
    let maxSteps: Int
    let maxTokens: Int
    let maxSeconds: Double
    private(set) var calls = 0
    private(set) var tokens = TokenUsage()
    private(set) var executions = 0
    private let started = ContinuousClock.now

    init(_ settings: AgentSettings) {
        maxSteps = settings.maxSteps
        maxTokens = settings.maxTokens
        maxSeconds = settings.maxSeconds
    }

    var elapsedMs: Int { Self.milliseconds(ContinuousClock.now - started) }

    /// Model calls the step budget still allows.
    var callsLeft: Int { maxSteps - calls }

    /// Seconds left on the wall-clock budget, at least one; nil when there is no time budget.
    var remainingSeconds: Double? {
        let left = maxSeconds - Double(elapsedMs) / 1000
        return left.isFinite ? max(1, left) : nil
    }

    var totals: RunTotals {
        RunTotals(modelCalls: calls, executions: executions, usage: tokens, durationMs: elapsedMs)
    }

    mutating func noteCall() { calls += 1 }
    mutating func noteUsage(_ usage: TokenUsage) { tokens = tokens + usage }
    mutating func noteExecution() { executions += 1 }

    /// Throws when a limit is reached. Executions do not spend model calls, so the step budget does not
    /// stop them.
    func check(forExecution: Bool = false) throws {
        if !forExecution, calls >= maxSteps {
            throw AgentStop.budget("the step budget of \(maxSteps) model calls is spent")
        }
        if tokens.total >= maxTokens {
            throw AgentStop.budget("the token budget of \(maxTokens) tokens is spent")
        }
        if Double(elapsedMs) / 1000 >= maxSeconds {
            throw AgentStop.budget("the time budget of \(Int(maxSeconds)) s is spent")
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
