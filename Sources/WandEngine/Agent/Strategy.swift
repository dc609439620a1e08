/// An agent policy: how to use the model and the executor to reach a goal.
public protocol Strategy: Sendable {
    /// The name used with `--strategy`.
    var name: String { get }
    /// Works on the context's goal until an answer, a failure, or a budget.
    func run(_ context: AgentContext) async throws -> StrategyOutcome
}

/// The strategies Wand offers.
public enum StrategyName: String, Sendable, CaseIterable {
    case auto, vote, codeact, pal, plan, tdd, sample

    /// The strategy `wand` uses when none is named: measured best on the goal benchmark
    /// (docs/PERFORMANCE.md) with the embedded model.
    public static let defaultStrategy = StrategyName.auto

    /// The strategy for this name.
    public var strategy: any Strategy {
        switch self {
        case .auto: AutoStrategy()
        case .vote: VoteStrategy()
        case .codeact: CodeActStrategy()
        case .pal: PALStrategy()
        case .plan: PlanStrategy()
        case .tdd: TDDStrategy()
        case .sample: SampleStrategy()
        }
    }

    /// One line on what it does, for `--help`.
    public var summary: String {
        switch self {
        case .auto: "one program, repaired once; samples vote only when it gives nothing; codeact last (default)"
        case .vote: "self-consistency: --samples programs, greedy first, the majority answer"
        case .codeact: "multi-turn code as action in a persistent Python session"
        case .pal: "program-aided answering: one program prints the answer, repaired on errors"
        case .plan: "a numbered plan first, then each step done as code"
        case .tdd: "test-driven repair against --tests FILE (or tests from the goal)"
        case .sample: "several candidates at temperature > 0, chosen by execution"
        }
    }
}

extension ParsedReply {
    /// The first runnable block, preferring Python.
    var firstRunnable: CodeBlock? {
        runnableBlocks.first { $0.language == .python } ?? runnableBlocks.first
    }
}
