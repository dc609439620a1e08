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
        case .vote: task.isCode ? EvalSampleStrategy(task: task, extra: nil) : VoteStrategy()
        case .auto: task.isCode ? BestOfStrategy(task: task) : AutoStrategy()
        case .tdd: task.isCode ? EvalRepairStrategy(task: task) : PALStrategy()
        case .sample: task.isCode ? EvalSampleStrategy(task: task, extra: nil) : SampleStrategy()
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
        case .best: "test-driven repair, then samples chosen by the examples when it still fails"
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

/// `sample` for a code task: candidates at a temperature above zero, chosen by the visible tests
/// (or, without tests, the first that loads).
struct EvalSampleStrategy: Strategy {
    let name = "sample"
    let task: EvalTask
    /// Candidates already judged (from an earlier strategy in `best`), to beat.
    let extra: (passed: Int, code: String)?

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
        var best = extra
        var tried: Set<String> = []
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
            if results.passed > best?.passed ?? -1 { best = (results.passed, candidate) }
            if results.allPassed { break }
        }
        guard let best else { return StrategyOutcome(status: .failed, reason: "no sample could be tested") }
        let total = suite.source.split(separator: "\n").count(where: { $0.hasPrefix("assert") })
        context.feedback("Chose the candidate passing \(best.passed) of \(total) example tests.", kind: .selection, attempt: nil)
        return StrategyOutcome(status: best.passed == total ? .answered : .failed, answer: suite.withPreamble(best.code),
                               reason: best.passed == total ? nil : "no sample passes every example")
    }
}

/// `best`: test-driven repair first; if the examples still fail, samples chosen by the examples.
struct BestOfStrategy: Strategy {
    let name = "best"
    let task: EvalTask

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let repaired = try await EvalRepairStrategy(task: task).run(context)
        guard repaired.status != .answered, context.tests != nil else { return repaired }
        context.notice("The examples still fail after repair; sampling more candidates.")
        let suite = context.tests!
        var passed = -1
        if let code = repaired.answer {
            let (_, result) = await context.executor.run(ExecutionRequest(attempt: 0, language: .python,
                                                                          source: suite.program(candidate: code), fresh: true))
            passed = TestSuite.results(of: result)?.passed ?? -1
        }
        let sampled = try await EvalSampleStrategy(task: task, extra: repaired.answer.map { (passed, $0) }).run(context)
        return sampled.answer == nil ? repaired : sampled
    }
}
