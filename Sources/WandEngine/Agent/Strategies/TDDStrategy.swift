/// `tdd`: test-driven repair (self-debugging with unit-test feedback, Chen et al., 2023). Tests come
/// from `--tests FILE`, from asserts in the goal, or are written by the model first; each candidate
/// runs against them in a fresh sandboxed process; failing tests with their messages are the
/// feedback; it stops when all pass or the attempt budget is spent.
public struct TDDStrategy: Strategy {
    /// `tdd`.
    public let name = "tdd"

    /// Creates the strategy.
    public init() {}

    /// Runs the test-repair loop.
    public func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let suite = try await Self.tests(for: context)
        try context.stage(suite)
        var prompt = Prompts.tddTask(goal: context.goalMessage, tests: suite)
        var tried: [String: String] = [:]
        var temperature: Double?
        var attempts = 0
        var executions = 0
        // An attempt is a reply judged: run against the tests, or turned down for having no code. A
        // repeated candidate is not run again but resampled hotter, which costs a model call and no
        // attempt; when the model-call budget is spent, `ask` ends the run as budget-exhausted (the best
        // candidate offered is kept).
        while attempts <= context.settings.maxRepairs {
            // Each attempt is one focused prompt (task, tests, latest code and its failures): small
            // models repair from that better than from a growing conversation.
            let reply = try await context.ask([ChatMessage(.system, Prompts.tddSystem),
                                               ChatMessage(.user, prompt + context.lessonsParagraph)],
                                              purpose: .act, temperature: temperature)
            guard let block = ReplyParser.parse(reply).runnableBlocks.first(where: { $0.language == .python }) else {
                context.feedback("The reply had no ```python code block.", kind: .format, attempt: nil)
                temperature = Prompts.repairTemperature
                attempts += 1
                continue
            }
            let candidate = TestSuite.implementation(of: block.source)
            if let earlier = tried[candidate] {
                context.feedback(Prompts.repeatedFailure(earlier), kind: .repeat, attempt: nil)
                temperature = min(1.2, (temperature ?? Prompts.repairTemperature) + 0.2)
                continue
            }
            temperature = Prompts.repairTemperature
            attempts += 1
            executions += 1
            let run = try await context.runCode(.python, suite.program(candidate: candidate), fresh: true)
            let feedback: String
            if let results = TestSuite.results(of: run.result) {
                if results.allPassed {
                    context.feedback(results.feedback, kind: .tests, attempt: run.attempt)
                    return StrategyOutcome(status: .answered, answer: suite.withPreamble(candidate))
                }
                context.offer(candidate: suite.withPreamble(candidate), passed: results.passed)
                feedback = context.feedback(results.feedback, kind: .tests, attempt: run.attempt)
                tried[candidate] = "\(results.failed.count) of \(results.cases.count) tests fail"
            } else {
                feedback = context.observe(run)
                tried[candidate] = run.result.error ?? "it fails"
            }
            try await context.reflect(on: feedback, attempt: run.attempt)
            prompt = Prompts.tddRepair(goal: context.goalMessage, tests: suite, code: candidate, feedback: feedback)
        }
        let reason = executions == 0 ? "no reply in \(attempts) attempts had a ```python block"
            : "tests still fail after \(attempts) attempts" + (context.best.map { " (best candidate passed \($0.passed))" } ?? "")
        return StrategyOutcome(status: .failed, answer: context.candidate, reason: reason)
    }

    /// The run's tests: given ones, asserts written in the goal, or asserts the model writes first.
    static func tests(for context: AgentContext) async throws -> TestSuite {
        if let tests = context.tests { return tests }
        if let fromGoal = suiteFromGoal(context.goal) { return fromGoal }
        let reply = try await context.ask([ChatMessage(.system, Prompts.testWriterSystem), ChatMessage(.user, context.goal)],
                                          purpose: .tests, maxTokens: 300)
        let source = ReplyParser.parse(reply).blocks.first?.source ?? ""
        guard source.contains("assert") else {
            throw AgentStop.model("the model did not write any tests; give them with --tests FILE")
        }
        context.notice("The model wrote the tests for this run (\(source.split(separator: "\n").count) lines).")
        return TestSuite(source: source, origin: "written by the model")
    }

    /// Asserts written in the goal (in a fenced block or as `assert` lines), if any.
    static func suiteFromGoal(_ goal: String) -> TestSuite? {
        let parsed = ReplyParser.parse(goal)
        if let block = parsed.blocks.first(where: { $0.source.contains("assert") }) {
            return TestSuite(source: block.source, origin: "goal")
        }
        let asserts = goal.lines().map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("assert ") }
        return asserts.isEmpty ? nil : TestSuite(source: asserts.joined(separator: "\n"), origin: "goal")
    }
}
