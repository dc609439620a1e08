/// `sample`: sample several candidates at a temperature above zero and pick by execution — the
/// candidate passing the most tests (CodeT-style), or, without tests, the answer most candidates
/// agree on (self-consistency, Wang et al., 2023).
public struct SampleStrategy: Strategy {
    /// `sample`.
    public let name = "sample"

    /// Creates the strategy.
    public init() {}

    /// Draws, runs and selects.
    public func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let suite = context.tests ?? TDDStrategy.suiteFromGoal(context.goal)
        let system = suite == nil ? Prompts.palSystem : Prompts.tddSystem
        let task = suite.map { Prompts.tddTask(goal: context.goalMessage, tests: $0) } ?? context.goalMessage
        let messages = [ChatMessage(.system, system), ChatMessage(.user, task)]
        if let suite { try context.stage(suite) }
        var candidates: [(attempt: Int, code: String, passed: Int, output: String, ok: Bool)] = []
        for _ in 0..<max(1, context.settings.samples) {
            let reply = try await context.ask(messages, purpose: .sample, temperature: context.settings.sampleTemperature)
            guard let block = ReplyParser.parse(reply).runnableBlocks.first(where: { $0.language == .python }) else { continue }
            if let suite {
                let run = try await context.runCode(.python, suite.program(candidate: block.source), fresh: true)
                let results = TestSuite.results(of: run.result)
                candidates.append((run.attempt, block.source, results?.passed ?? 0, "", results?.allPassed ?? false))
                context.feedback(results?.feedback ?? FeedbackFormatter.observation(output: run.output, result: run.result),
                                 kind: .tests, attempt: run.attempt)
                if results?.allPassed == true { break }
            } else {
                let run = try await context.runCode(.python, block.source, fresh: true)
                let printed = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                candidates.append((run.attempt, block.source, 0, printed, run.result.succeeded && !printed.isEmpty))
                context.observe(run)
            }
        }
        guard !candidates.isEmpty else {
            return StrategyOutcome(status: .failed, reason: "no candidate had a python code block")
        }
        if suite != nil {
            let best = candidates.max { $0.passed < $1.passed }!
            context.feedback("Selected attempt \(best.attempt): it passes \(best.passed) tests"
                             + (best.ok ? " (all)." : "; none passes all."), kind: .selection, attempt: best.attempt)
            let code = suite.map { $0.withPreamble(TestSuite.implementation(of: best.code)) } ?? best.code
            return best.ok ? StrategyOutcome(status: .answered, answer: code)
                : StrategyOutcome(status: .failed, answer: code, reason: "no candidate passes all tests")
        }
        let working = candidates.filter(\.ok)
        guard !working.isEmpty else {
            return StrategyOutcome(status: .failed, reason: "none of \(candidates.count) candidates printed an answer")
        }
        let votes = Dictionary(grouping: working, by: { Self.normalize($0.output) })
        let (winner, group) = votes.max { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.value[0].attempt > $1.value[0].attempt) }!
        _ = winner
        context.feedback("Selected the answer printed by \(group.count) of \(working.count) working candidates "
                         + "(attempts \(group.map { String($0.attempt) }.joined(separator: ", "))).",
                         kind: .selection, attempt: group[0].attempt)
        return StrategyOutcome(status: .answered, answer: group[0].output)
    }

    /// Output compared for agreement: trimmed, white space folded, numbers like 2.0 and 2 equal.
    static func normalize(_ output: String) -> String {
        output.split(whereSeparator: \.isWhitespace).map { token -> String in
            if let number = Double(token), number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
            return String(token)
        }.joined(separator: " ")
    }
}
