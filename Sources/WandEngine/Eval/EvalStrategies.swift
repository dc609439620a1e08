import Foundation

/// The strategies `wand eval` compares. `direct` is the baseline the survey's claim is measured
/// against: one completion, no execution, no feedback.
public enum EvalStrategyName: String, Sendable, CaseIterable {
    case direct, naive, tdd, sample, best, pal, codeact, vote, auto

    /// The baselines every run of a benchmark of answers includes: no execution, and one program run once.
    public static let answerBaselines: [EvalStrategyName] = [.direct, .naive]

    /// The strategy for a task.
    func strategy(for task: EvalTask) -> any Strategy {
        switch self {
        case .direct: DirectStrategy(task: task)
        case .naive: task.isCode ? DirectStrategy(task: task) : NaiveStrategy()
        case .vote: task.isCode ? EvalSampleStrategy(task: task) : VoteStrategy()
        case .auto: task.isCode ? BestOfStrategy(task: task) : AutoStrategy()
        case .tdd: task.isCode ? EvalRepairStrategy(task: task) : PALStrategy()
        case .sample: task.isCode ? EvalSampleStrategy(task: task) : SampleStrategy()
        case .best: task.isCode ? BestOfStrategy(task: task) : PALStrategy()
        case .pal: PALStrategy()
        case .codeact: CodeActStrategy()
        }
    }

    /// What it does, for the report.
    public var summary: String {
        switch self {
        case .direct: "one completion, nothing executed (baseline)"
        case .naive: "one program, run once, its output is the answer (baseline)"
        case .vote: "several programs, the majority answer"
        case .auto: "the default: one program, repaired once; samples vote only when it gives nothing; codeact last"
        case .tdd: "test-driven repair against the prompt's examples"
        case .sample: "several samples, chosen by the prompt's examples"
        case .best: "the greedy completion if it passes the examples; else test-driven repair, then samples, ties settled by execution agreement"
        case .pal: "a program that prints the answer, repaired on errors"
        case .codeact: "multi-turn code as action"
        }
    }
}

extension EvalTask {
    /// A model's code turned into a complete candidate: the preamble (for HumanEval, the whole prompt)
    /// in front of the model's functions, or the prompt itself when the model wrote only a body.
    func candidate(from reply: String) -> String {
        let parsed = ReplyParser.parse(reply)
        let code = parsed.runnableBlocks.first(where: { $0.language == .python })?.source
            ?? parsed.blocks.first?.source ?? reply
        guard case .tests(_, let entryPoint?) = check else { return code }
        let implementation = TestSuite.implementation(of: code)
        if implementation.contains("def \(entryPoint)(") {
            return preambleSuite.withPreamble(implementation)
        }
        return prompt + code
    }

    /// The model's part of a candidate: what follows the preamble.
    func completion(in candidate: String) -> String {
        preambleSuite.withoutPreamble(candidate).trimmingCharacters(in: .newlines)
    }

    private var preambleSuite: TestSuite { TestSuite(source: "", origin: "", preamble: preamble) }
}

/// `direct`: one completion, no execution: the baseline.
struct DirectStrategy: Strategy {
    let name = "direct"
    let task: EvalTask

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        if task.isCode {
            let reply = try await context.ask([ChatMessage(.system, "You are an expert Python programmer."),
                                               ChatMessage(.user, task.goal)], purpose: .direct)
            return StrategyOutcome(status: .answered, answer: task.candidate(from: reply))
        }
        let reply = try await context.ask([ChatMessage(.system, "Answer the question. End with one line: Final Answer: <answer>"),
                                           ChatMessage(.user, task.prompt)], purpose: .direct, maxTokens: 400)
        let parsed = ReplyParser.parse(reply)
        return StrategyOutcome(status: .answered, answer: parsed.finalAnswer ?? parsed.prose)
    }
}

/// `naive`: the harness anyone writes first — ask once for a program that prints the answer (the same
/// prompt as the default's greedy program), run it once, and take what it printed.
struct NaiveStrategy: Strategy {
    let name = "naive"

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let reply = try await context.ask([ChatMessage(.system, Prompts.programSystem),
                                           ChatMessage(.user, Prompts.programTask(context.goalMessage))],
                                          purpose: .program, temperature: 0)
        guard let block = ReplyParser.parse(reply).firstRunnable, let language = block.language else {
            return StrategyOutcome(status: .failed, reason: "the reply had no code block")
        }
        let run = try await context.runCode(language, block.source, fresh: true)
        context.observe(run)
        let printed = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !printed.isEmpty else { return StrategyOutcome(status: .failed, reason: "the program printed nothing") }
        return StrategyOutcome(status: .answered, answer: printed, source: AnswerSource(kind: .program, attempt: run.attempt))
    }
}

/// `tdd` for a code task: repair against the visible tests; without any, repair until the code at
/// least loads without error.
struct EvalRepairStrategy: Strategy {
    let name = "tdd"
    let task: EvalTask

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        if context.tests != nil { return try await TDDStrategy().run(context) }
        var prompt = task.goal
        var last = ""
        for _ in 0...context.settings.maxRepairs {
            let reply = try await context.ask([ChatMessage(.system, "You are an expert Python programmer."),
                                               ChatMessage(.user, prompt)], purpose: .act)
            let candidate = task.candidate(from: reply)
            last = candidate
            let run = try await context.runCode(.python, candidate, fresh: true)
            if run.result.succeeded {
                context.feedback("The code loads without error (the prompt has no examples to test).", kind: .observation,
                                 attempt: run.attempt)
                return StrategyOutcome(status: .answered, answer: candidate)
            }
            let feedback = context.observe(run)
            prompt = task.goal + "\n\nThis code fails:\n```python\n\(task.completion(in: candidate))\n```\n\(feedback)\n\nReply with the corrected function in one ```python code block."
        }
        return StrategyOutcome(status: .failed, answer: last, reason: "the code does not load without error")
    }
}

/// A candidate with the number of example tests it passes.
typealias JudgedCandidate = (passed: Int, code: String)

/// `sample` for a code task: candidates at a temperature above zero, chosen by the visible tests
/// (or, without tests, the first that loads).
struct EvalSampleStrategy: Strategy {
    let name = "sample"
    let task: EvalTask
    /// Candidates already judged against the examples (by `best`'s earlier steps), chosen among with the samples.
    var earlier: [JudgedCandidate] = []
    /// Whether candidates that tie on the examples but behave differently are told apart by execution
    /// agreement (`best`), rather than the first being taken (`sample`).
    var agreement = false

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        guard let suite = context.tests else {
            for _ in 0..<max(1, context.settings.samples) {
                let reply = try await context.ask([ChatMessage(.system, "You are an expert Python programmer."),
                                                   ChatMessage(.user, task.goal)], purpose: .sample,
                                                  temperature: context.settings.sampleTemperature)
                let candidate = task.candidate(from: reply)
                let run = try await context.runCode(.python, candidate, fresh: true)
                if run.result.succeeded { return StrategyOutcome(status: .answered, answer: candidate) }
            }
            return StrategyOutcome(status: .failed, reason: "no sample loads without error")
        }
        try context.stage(suite)
        var judged = earlier
        var tried = Set(earlier.map(\.code))
        for _ in 0..<max(1, context.settings.samples) {
            let reply = try await context.ask([ChatMessage(.system, Prompts.tddSystem),
                                               ChatMessage(.user, Prompts.tddTask(goal: task.goal, tests: suite))],
                                              purpose: .sample, temperature: context.settings.sampleTemperature)
            let candidate = task.candidate(from: reply)
            guard tried.insert(candidate).inserted else { continue }
            let run = try await context.runCode(.python, suite.program(candidate: candidate), fresh: true)
            guard let results = TestSuite.results(of: run.result) else { continue }
            context.feedback(results.feedback, kind: .tests, attempt: run.attempt)
            context.offer(candidate: suite.withPreamble(candidate), passed: results.passed)
            judged.append((results.passed, candidate))
            if results.allPassed { break }
        }
        guard let top = judged.map(\.passed).max() else { return StrategyOutcome(status: .failed, reason: "no sample could be tested") }
        let finalists = judged.filter { $0.passed == top }
        var chosen = finalists[0]
        let total = suite.source.lines().count(where: { $0.hasPrefix("assert") })
        var selection = "Chose the candidate passing \(top) of \(total) example tests."
        if agreement, finalists.count > 1,
           let agreed = try await ExecutionAgreement.select(finalists.map(\.code), preferred: 0, task: task, context: context) {
            chosen = finalists[agreed.index]
            selection += " \(finalists.count) candidates pass that many. " + agreed.explanation
        }
        context.feedback(selection, kind: .selection, attempt: nil)
        return StrategyOutcome(status: top == total ? .answered : .failed, answer: suite.withPreamble(chosen.code),
                               reason: top == total ? nil : "no sample passes every example")
    }
}

/// `best`: the plain prompt's greedy completion (what `direct` answers) is the answer when it passes
/// every example; otherwise test-driven repair, then samples, the candidates that pass the most
/// examples told apart by execution agreement on tests the model writes. Without examples: the
/// greedy completion and samples, chosen by agreement.
struct BestOfStrategy: Strategy {
    let name = "best"
    let task: EvalTask

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        guard let suite = context.tests else { return try await withoutExamples(context) }
        try context.stage(suite)
        var judged: [JudgedCandidate] = []
        let greedy = try await greedyCandidate(context)
        let run = try await context.runCode(.python, suite.program(candidate: greedy), fresh: true)
        if let results = TestSuite.results(of: run.result) {
            context.feedback(results.feedback, kind: .tests, attempt: run.attempt)
            context.offer(candidate: suite.withPreamble(greedy), passed: results.passed)
            if results.allPassed { return StrategyOutcome(status: .answered, answer: suite.withPreamble(greedy)) }
            judged.append((results.passed, greedy))
        } else {
            context.observe(run)
        }
        let repaired = try await EvalRepairStrategy(task: task).run(context)
        guard repaired.status != .answered else { return repaired }
        context.notice("The examples still fail after repair; sampling more candidates.")
        if let code = repaired.answer {
            let (_, result) = await context.executor.run(ExecutionRequest(attempt: 0, language: .python,
                                                                          source: suite.program(candidate: code), fresh: true))
            judged.append((TestSuite.results(of: result)?.passed ?? -1, code))
        }
        let sampled = try await EvalSampleStrategy(task: task, earlier: judged, agreement: true).run(context)
        return sampled.answer == nil ? repaired : sampled
    }

    /// The plain prompt at temperature 0: the same completion `direct` gets.
    private func greedyCandidate(_ context: AgentContext) async throws -> String {
        let reply = try await context.ask([ChatMessage(.system, "You are an expert Python programmer."), ChatMessage(.user, task.goal)],
                                          purpose: .direct, temperature: 0)
        return task.candidate(from: reply)
    }

    /// No examples to test against: the greedy completion and `samples` more, each kept if it loads;
    /// when they differ, execution agreement on tests the model writes chooses (ties go to the greedy one).
    private func withoutExamples(_ context: AgentContext) async throws -> StrategyOutcome {
        let greedy = try await greedyCandidate(context)
        guard try await context.runCode(.python, greedy, fresh: true).result.succeeded else {
            return try await EvalRepairStrategy(task: task).run(context)
        }
        var candidates = [greedy]
        // One at a time: begun together, they outnumber the server's slots when tasks run in parallel,
        // and the queued ones can wait past the idle timeout on a busy machine.
        for _ in 0..<max(0, min(context.settings.samples, context.callsLeft - 1)) {
            let reply = try await context.ask([ChatMessage(.system, "You are an expert Python programmer."), ChatMessage(.user, task.goal)],
                                              purpose: .sample, temperature: context.settings.sampleTemperature)
            let candidate = task.candidate(from: reply)
            guard !candidates.contains(candidate),
                  try await context.runCode(.python, candidate, fresh: true).result.succeeded else { continue }
            candidates.append(candidate)
        }
        guard candidates.count > 1,
              let agreed = try await ExecutionAgreement.select(candidates, preferred: 0, task: task, context: context) else {
            return StrategyOutcome(status: .answered, answer: greedy)
        }
        context.feedback(agreed.explanation, kind: .selection, attempt: nil)
        return StrategyOutcome(status: .answered, answer: candidates[agreed.index])
    }
}
