/// One program drawn for a vote, after at most one repair.
struct VotedProgram: Sendable, Equatable {
    /// The attempt whose output counts.
    var attempt: Int
    /// Whether it was the greedy (temperature 0) draw.
    var greedy: Bool
    /// Failed runs before it printed an answer (0 or 1).
    var errors: Int
    /// What it printed as its answer, or nil when it never did.
    var answer: String?
    /// Whether its code computed the answer rather than printing a constant (a guess in code form).
    var computed = true

    /// Its weight in the vote: a program that only prints a constant is the model guessing, as when it
    /// answers without code, and counts half.
    var weight: Double { computed ? 1 : 0.5 }
}

/// The result of counting programs' answers.
struct VoteResult: Sendable, Equatable {
    /// The chosen answer as first printed.
    var answer: String
    /// Where it came from.
    var source: AnswerSource
    /// Whether every program that printed an answer printed this one.
    var unanimous: Bool
}

/// Self-consistency over programs (Wang et al., 2023; Gao et al., 2023): several programs for the same
/// question, each run in a fresh process, and the answer most of them print.
enum ProgramVote {
    /// Counts the answers. Most votes wins (a program printing a constant counts half); a tie goes to
    /// the answer whose programs needed fewer repairs, then to the one the greedy program printed, then
    /// to the one printed first.
    static func count(_ programs: [VotedProgram]) -> VoteResult? {
        let voters = programs.filter { $0.answer != nil }
        guard !voters.isEmpty else { return nil }
        var groups: [(key: String, members: [VotedProgram])] = []
        for program in voters {
            let key = ProgramAnswer.voteKey(program.answer!)
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].members.append(program)
            } else {
                groups.append((key, [program]))
            }
        }
        let ranked = groups.enumerated().sorted { left, right in
            let (l, r) = (left.element.members, right.element.members)
            let (lWeight, rWeight) = (l.map(\.weight).reduce(0, +), r.map(\.weight).reduce(0, +))
            if lWeight != rWeight { return lWeight > rWeight }
            let (lErrors, rErrors) = (l.map(\.errors).reduce(0, +), r.map(\.errors).reduce(0, +))
            if lErrors != rErrors { return lErrors < rErrors }
            let (lGreedy, rGreedy) = (l.contains(where: \.greedy), r.contains(where: \.greedy))
            if lGreedy != rGreedy { return lGreedy }
            return left.offset < right.offset
        }.map(\.element)
        let winner = ranked[0].members
        let tally = ranked.map { VoteCount(answer: $0.members[0].answer!, count: $0.members.count) }
        let source = AnswerSource(kind: .vote, attempt: winner[0].attempt, agreeing: winner.count, voters: voters.count,
                                  tally: tally)
        return VoteResult(answer: winner[0].answer!, source: source, unanimous: ranked.count == 1)
    }

    /// Draws `count` programs at once (the first greedy when `greedyFirst`; the others at
    /// `temperature`), runs each in a fresh process, and gives each that fails or prints nothing one
    /// repair from a short, fresh prompt.
    static func draw(_ count: Int, greedyFirst: Bool, temperature: Double, context: AgentContext,
                     seedOffset: Int) async throws -> [VotedProgram] {
        let messages = [ChatMessage(.system, context.withTools(Prompts.programSystem)), ChatMessage(.user, Prompts.programTask(context.goalMessage))]
        try context.checkBudgets()
        let count = max(1, min(count, context.callsLeft))
        let calls = (0..<count).map { index in
            let greedy = greedyFirst && index == 0
            return context.begin(messages, purpose: greedy ? .program : .sample,
                                 temperature: greedy ? 0 : temperature,
                                 seed: greedy ? nil : (context.settings.seed ?? 0) + seedOffset + index)
        }
        let replies = try await context.finishAll(calls)
        var programs: [VotedProgram] = []
        var failures: [(index: Int, code: String, feedback: String)] = []
        for (index, reply) in replies.enumerated() {
            let greedy = greedyFirst && index == 0
            guard let block = ReplyParser.parse(reply).firstRunnable, let language = block.language else {
                programs.append(VotedProgram(attempt: 0, greedy: greedy, errors: 1, answer: nil))
                continue
            }
            let (run, answer) = try await runProgram(language, block.source, context: context)
            programs.append(VotedProgram(attempt: run.attempt, greedy: greedy, errors: answer == nil ? 1 : 0, answer: answer,
                                         computed: !ObservedValues.onlyPrintsConstants(run.source)))
            if answer == nil, !run.skipped { failures.append((index, block.source, observeFailure(run, context: context))) }
        }
        let repairable = Array(failures.prefix(max(0, context.callsLeft)))
        guard !repairable.isEmpty else { return programs }
        try context.checkBudgets()
        let repairCalls = repairable.map { failure in
            let prompt = Prompts.programRepairTask(goal: context.goalMessage, code: failure.code, feedback: failure.feedback)
            return context.begin([ChatMessage(.system, context.withTools(Prompts.programSystem)), ChatMessage(.user, prompt)], purpose: .repair,
                                 temperature: 0)
        }
        let repairs = zip(repairable.map(\.index), try await context.finishAll(repairCalls))
        for (index, reply) in repairs {
            guard let block = ReplyParser.parse(reply).firstRunnable, let language = block.language else { continue }
            let (run, answer) = try await runProgram(language, block.source, context: context)
            if let answer {
                programs[index] = VotedProgram(attempt: run.attempt, greedy: programs[index].greedy, errors: 1, answer: answer,
                                               computed: !ObservedValues.onlyPrintsConstants(run.source))
            }
            else if !run.skipped { observeFailure(run, context: context) }
        }
        return programs
    }

    /// Runs a program in a fresh process; its answer is what it printed, when it ran without error.
    private static func runProgram(_ language: CodeLanguage, _ source: String,
                                   context: AgentContext) async throws -> (CodeRun, String?) {
        let run = try await context.runCode(language, source, fresh: true)
        guard run.result.succeeded, !run.skipped, let answer = ProgramAnswer.extract(run.stdout) else { return (run, nil) }
        context.feedback("Printed answer: \(answer)", kind: .observation, attempt: run.attempt)
        return (run, answer)
    }

    /// Records why a program gave no answer and returns that text.
    @discardableResult
    private static func observeFailure(_ run: CodeRun, context: AgentContext) -> String {
        guard run.result.succeeded else { return context.observe(run) }
        return context.feedback(Prompts.printedNothing, kind: .observation, attempt: run.attempt)
    }

    /// Records the vote and returns the outcome.
    static func outcome(_ vote: VoteResult, context: AgentContext) -> StrategyOutcome {
        let tally = vote.source.tally?.map { "\($0.answer) (\($0.count))" }.joined(separator: ", ") ?? ""
        context.feedback("Vote: \(tally) → \(vote.answer), \(vote.source.summary).", kind: .selection,
                         attempt: vote.source.attempt)
        return StrategyOutcome(status: .answered, answer: vote.answer, source: vote.source)
    }
}

/// `vote`: self-consistency over programs. The greedy program and samples at a temperature above zero,
/// each run in a fresh sandboxed process (failing ones repaired once), and the majority answer.
public struct VoteStrategy: Strategy {
    /// `vote`.
    public let name = "vote"

    /// Creates the strategy.
    public init() {}

    /// Draws `samples` programs and counts their answers.
    public func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let programs = try await ProgramVote.draw(max(1, context.settings.samples), greedyFirst: true,
                                                  temperature: context.settings.sampleTemperature, context: context, seedOffset: 0)
        guard let vote = ProgramVote.count(programs) else {
            // When the budget cut the vote short, that is why it ended.
            try context.checkBudgets()
            return StrategyOutcome(status: .failed, reason: "none of \(programs.count) programs printed an answer")
        }
        return ProgramVote.outcome(vote, context: context)
    }
}

/// `auto` (the default): the greedy program, run in a fresh sandboxed process; if it prints an answer,
/// that is the answer. If it fails or prints nothing, it is repaired once from a short, fresh prompt
/// (goal, code, error); if that fails too, two samples (each repaired once) vote; if none of them
/// works either, the goal continues step by step as `codeact`.
///
/// The first working program is not put to a vote against samples: on the goal benchmark, the 0.5B
/// model's samples were wrong more often than its greedy program, and often wrong the same way, so
/// voting them against it (the first design of `auto`, measured in docs/PERFORMANCE.md and kept as
/// `vote`) lost goals the greedy program had right and won none it had wrong. More programs are drawn
/// only when the first gives nothing, where any answer is better than none.
public struct AutoStrategy: Strategy {
    /// `auto`.
    public let name = "auto"
    /// Samples drawn when the greedy program gives no answer even after its repair.
    static let fallbackSamples = 2
    /// The samples' temperature: near the greedy program, which is right more often than hot samples.
    static let temperature = 0.5

    /// Creates the strategy.
    public init() {}

    /// The greedy program, its repair, samples when both fail, codeact when nothing works.
    public func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let first = try await ProgramVote.draw(1, greedyFirst: true, temperature: 0, context: context, seedOffset: 0)
        if let program = first.first, let answer = program.answer {
            let source = AnswerSource(kind: .program, attempt: program.attempt)
            context.feedback("Answer: \(answer), \(source.summary).", kind: .selection, attempt: program.attempt)
            return StrategyOutcome(status: .answered, answer: answer, source: source)
        }
        let samples = min(Self.fallbackSamples, context.callsLeft)
        if samples > 0 {
            context.notice("The first program gave no answer, even repaired; drawing \(samples) more to vote.")
            let drawn = try await ProgramVote.draw(samples, greedyFirst: false, temperature: Self.temperature,
                                                   context: context, seedOffset: 1)
            if let vote = ProgramVote.count(drawn) { return ProgramVote.outcome(vote, context: context) }
        }
        context.notice("No program printed an answer; continuing step by step (codeact).")
        return try await CodeActStrategy().run(context)
    }
}
