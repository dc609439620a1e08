import Foundation

/// Chooses among candidate programs by how they behave, not by any one of them: CodeT's dual
/// agreement (Chen et al., 2022). The model writes a few tests; candidates that pass exactly the same
/// tests form a consensus set, scored by (candidates in the set) × (tests its members pass). Wrong
/// candidates rarely agree with each other, and a wrong test is outvoted by candidates that agree on
/// failing it, so neither the tests nor any single candidate need be right.
enum ExecutionAgreement {
    /// The index of the chosen candidate, given each candidate's pass/fail on the same tests (a
    /// candidate that could not run fails them all). From the best-scoring consensus set it takes the
    /// `preferred` candidate (the greedy completion) when that is in the set, otherwise the set's first.
    /// When no set passes any test, the largest set wins.
    static func choose(_ outcomes: [[Bool]], preferred: Int? = nil) -> Int {
        guard !outcomes.isEmpty else { return 0 }
        var sets: [(members: [Int], passed: Int)] = []
        for (index, outcome) in outcomes.enumerated() {
            if let existing = sets.firstIndex(where: { outcomes[$0.members[0]] == outcome }) {
                sets[existing].members.append(index)
            } else {
                sets.append(([index], outcome.count(where: { $0 })))
            }
        }
        let anyPassed = sets.contains { $0.passed > 0 }
        let score = { (set: (members: [Int], passed: Int)) in set.members.count * (anyPassed ? set.passed : 1) }
        let best = sets.map(score).max() ?? 0
        let winners = sets.filter { score($0) == best }
        let chosen = winners.first { set in preferred.map(set.members.contains) ?? false } ?? winners[0]
        return preferred.flatMap { chosen.members.contains($0) ? $0 : nil } ?? chosen.members[0]
    }

    /// The `assert` lines of a model's reply that call the entry point, as a test source (one per line).
    static func asserts(in reply: String, calling entryPoint: String) -> String? {
        let code = ReplyParser.parse(reply).blocks.first?.source ?? reply
        let lines = code.lines().map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("assert ") && $0.contains("\(entryPoint)(") }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// Asks the model for tests of the task, runs every candidate on them, and returns the chosen
    /// candidate's index with a sentence saying how; nil when the model wrote no usable test.
    static func select(_ candidates: [String], preferred: Int?, task: EvalTask,
                       context: AgentContext) async throws -> (index: Int, explanation: String)? {
        guard case .tests(_, let entryPoint?) = task.check else { return nil }
        // The prompt alone, not the goal: the goal asks for the function, and a small model answers
        // that request instead of writing tests.
        let request = "```python\n\(task.prompt.trimmingCharacters(in: .newlines))\n```\nWrite the asserts that test `\(entryPoint)`."
        let reply = try await context.ask([ChatMessage(.system, Prompts.testWriterSystem), ChatMessage(.user, request)],
                                          purpose: .tests, maxTokens: 300)
        guard let source = asserts(in: reply, calling: entryPoint) else { return nil }
        let suite = TestSuite(source: source, origin: "written by the model", preamble: task.preamble)
        try context.stage(suite)
        var outcomes: [[Bool]] = []
        let count = source.split(separator: "\n").count
        for candidate in candidates {
            let run = try await context.runCode(.python, suite.program(candidate: candidate), fresh: true)
            let cases = TestSuite.results(of: run.result)?.cases ?? []
            outcomes.append(cases.count == count ? cases.map { $0.error == nil } : Array(repeating: false, count: count))
        }
        let index = choose(outcomes, preferred: preferred)
        let agreeing = outcomes.count { $0 == outcomes[index] }
        let passed = outcomes[index].count { $0 }
        return (index, "Chose by agreement on \(count) tests the model wrote: \(agreeing) of \(candidates.count) candidates "
            + "behave like the chosen one, which passes \(passed) of them.")
    }
}
