/// `codeact`: code as action (Wang et al., 2024). Each turn the model writes a thought and one code
/// block; it runs in the persistent kernel; the observation goes back; errors become self-debugging
/// turns; the model ends with `Final Answer: …`.
public struct CodeActStrategy: Strategy {
    /// `codeact`.
    public let name = "codeact"

    /// Creates the strategy.
    public init() {}

    /// Runs the loop.
    public func run(_ context: AgentContext) async throws -> StrategyOutcome {
        if context.settings.actions == .native { return try await NativeToolsLoop().run(context) }
        var messages = [ChatMessage(.system, Prompts.codeActSystem)]
        messages += context.seedMessages.isEmpty
            ? [ChatMessage(.user, context.goalMessage + Prompts.codeActKickoff + context.lessonsParagraph)] : context.seedMessages
        var lastSuccess: CodeRun?
        var lastSource: String?
        var lastFailure: String?
        var formatMisses = 0
        var temperature: Double?
        while true {
            let reply = try await context.ask(messages, purpose: "act", temperature: temperature)
            let parsed = ReplyParser.parse(reply)
            messages.append(ChatMessage(.assistant, reply))
            guard let block = parsed.firstRunnable, let language = block.language else {
                if let answer = parsed.finalAnswer { return StrategyOutcome(status: .answered, answer: answer) }
                if let lastSuccess, !parsed.prose.isEmpty {
                    return StrategyOutcome(status: .answered, answer: Self.answer(prose: parsed.prose, run: lastSuccess))
                }
                formatMisses += 1
                if formatMisses >= 2 {
                    return StrategyOutcome(status: .failed, reason: "the model's replies had neither code nor an answer")
                }
                messages.append(ChatMessage(.user, context.feedback(Prompts.formatReminder, kind: "format", attempt: nil)))
                continue
            }
            formatMisses = 0
            if block.source == lastSource, let lastSuccess {
                let answer = parsed.finalAnswer ?? Self.answer(prose: "", run: lastSuccess)
                context.notice("The model repeated its last code; its output is taken as the answer.")
                return StrategyOutcome(status: .answered, answer: answer)
            }
            if block.source == lastSource, let lastFailure {
                temperature = 0.8
                messages.append(ChatMessage(.user, context.feedback(Prompts.repeatedFailure(lastFailure), kind: "repeat",
                                                                   attempt: nil)))
                continue
            }
            temperature = nil
            lastSource = block.source
            let run = try await context.runCode(language, block.source)
            let observation = context.observe(run)
            let succeeded = run.result.succeeded && !run.skipped
            lastFailure = succeeded ? nil : (run.result.error ?? "it failed")
            if run.skipped { lastSource = nil }
            if succeeded {
                lastSuccess = run
                if let final = parsed.finalAnswer, Self.output(of: run).contains(final) {
                    return StrategyOutcome(status: .answered, answer: final)
                }
            } else if !run.skipped {
                try await context.reflect(on: observation, attempt: run.attempt)
            }
            messages.append(ChatMessage(.user, Prompts.codeActObservation(observation, succeeded: succeeded) + context.lessonsParagraph))
        }
    }

    static func output(of run: CodeRun) -> String {
        [run.stdout, run.result.value ?? ""].joined(separator: "\n")
    }

    /// The answer when the model stops without the marker: its words if short, else what the code printed.
    static func answer(prose: String, run: CodeRun) -> String {
        let printed = output(of: run).trimmingCharacters(in: .whitespacesAndNewlines)
        if !prose.isEmpty, prose.count <= 300 { return prose }
        let lines = printed.split(separator: "\n")
        return lines.suffix(3).joined(separator: "\n")
    }
}
