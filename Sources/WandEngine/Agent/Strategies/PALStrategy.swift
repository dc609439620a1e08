/// `pal`: program-aided language models (Gao et al., 2023). The model writes one program that
/// prints the answer; Wand runs it in a fresh process; on an error the traceback goes back for a
/// bounded number of repairs; the printed result is the answer.
public struct PALStrategy: Strategy {
    /// `pal`.
    public let name = "pal"

    /// Creates the strategy.
    public init() {}

    /// Runs the program-repair loop.
    public func run(_ context: AgentContext) async throws -> StrategyOutcome {
        var messages = [ChatMessage(.system, context.withTools(Prompts.palSystem)), ChatMessage(.user, context.goalMessage + context.lessonsParagraph)]
        for _ in 0...context.settings.maxRepairs {
            let reply = try await context.ask(messages, purpose: .program)
            messages.append(ChatMessage(.assistant, reply))
            guard let block = ReplyParser.parse(reply).firstRunnable, let language = block.language else {
                messages.append(ChatMessage(.user, context.feedback("Reply with the program in one ```python code block.",
                                                                   kind: .format, attempt: nil)))
                continue
            }
            let run = try await context.runCode(language, block.source, fresh: true)
            let printed = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if run.result.succeeded, !printed.isEmpty {
                context.observe(run)
                return StrategyOutcome(status: .answered, answer: printed.count > 2_000 ? String(printed.suffix(2_000)) : printed)
            }
            let observation = run.result.succeeded
                ? context.feedback("The program printed nothing. It must print the answer with print().", kind: .observation,
                                   attempt: run.attempt)
                : context.observe(run)
            if !run.result.succeeded { try await context.reflect(on: observation, attempt: run.attempt) }
            messages.append(ChatMessage(.user, Prompts.palRepair(observation) + context.lessonsParagraph))
        }
        return StrategyOutcome(status: .failed, reason: "no working program after \(context.settings.maxRepairs + 1) attempts")
    }
}
