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
        var messages = [ChatMessage(.system, context.withTools(Prompts.codeActSystem))]
        messages += context.seedMessages.isEmpty
            ? [ChatMessage(.user, context.goalMessage + Prompts.codeActKickoff + context.lessonsParagraph)] : context.seedMessages
        var lastSuccess: CodeRun?
        var observed = ObservedValues()
        var lastSource: String?
        var lastFailure: String?
        var formatMisses = 0
        var temperature: Double?
        while true {
            let reply = try await context.ask(messages, purpose: .act, temperature: temperature)
            let parsed = ReplyParser.parse(reply)
            messages.append(ChatMessage(.assistant, reply))
            guard let block = parsed.firstRunnable, let language = block.language else {
                if let answer = parsed.finalAnswer, !context.isWandText(answer) {
                    return StrategyOutcome(status: .answered, answer: answer, source: AnswerSource(kind: .model))
                }
                if lastSuccess != nil, !parsed.prose.isEmpty {
                    return Self.closing(prose: parsed.prose, observed: observed, context: context)
                }
                formatMisses += 1
                if formatMisses >= 2 {
                    return StrategyOutcome(status: .failed, reason: "the model's replies had neither code nor an answer")
                }
                messages.append(ChatMessage(.user, context.feedback(Prompts.formatReminder, kind: .format, attempt: nil)))
                continue
            }
            formatMisses = 0
            if block.source == lastSource, lastSuccess != nil {
                context.notice("The model repeated its last code; the run ends with the last value its code computed.")
                return Self.closing(prose: parsed.finalAnswer ?? "", observed: observed, context: context)
            }
            if block.source == lastSource, let lastFailure {
                temperature = 0.8
                messages.append(ChatMessage(.user, context.feedback(Prompts.repeatedFailure(lastFailure), kind: .repeat,
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
                observed.record(run)
                if let final = parsed.finalAnswer, Self.output(of: run).contains(final), !context.isWandText(final) {
                    return StrategyOutcome(status: .answered, answer: final,
                                           source: AnswerSource(kind: .program, attempt: run.attempt))
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

    /// The answer when the model stops without the marker or repeats itself: its words if short and
    /// not an echo of Wand's own text, else the last value its code computed (code that only printed a
    /// constant, or printed nothing, does not replace a value computed before it).
    static func closing(prose: String, observed: ObservedValues, context: AgentContext) -> StrategyOutcome {
        if !prose.isEmpty, prose.count <= 300, !context.isWandText(prose) {
            return StrategyOutcome(status: .answered, answer: prose, source: AnswerSource(kind: .model))
        }
        guard let value = observed.latest else {
            return StrategyOutcome(status: .failed, reason: "the model stopped before its code printed a value")
        }
        return StrategyOutcome(status: .answered, answer: value.text, source: AnswerSource(kind: .program, attempt: value.attempt))
    }
}

/// Values the run's code computed, so a later step that drifts (prints a constant, or nothing) cannot
/// replace a value computed earlier.
struct ObservedValues: Sendable {
    private(set) var values: [(attempt: Int, text: String, computed: Bool)] = []

    /// The latest computed value, or the latest value at all when none was computed.
    var latest: (attempt: Int, text: String)? {
        (values.last(where: \.computed) ?? values.last).map { ($0.attempt, $0.text) }
    }

    /// Records what a successful run printed (its last line) or, failing that, its final value.
    mutating func record(_ run: CodeRun) {
        guard let text = ProgramAnswer.extract(run.stdout) ?? run.result.value.flatMap(ProgramAnswer.extract) else { return }
        values.append((run.attempt, text, !Self.onlyPrintsConstants(run.source)))
    }

    /// Whether code does nothing but print literals (`print(1)`, `print("done")`): the drift of a
    /// small model that has lost the thread.
    static func onlyPrintsConstants(_ source: String) -> Bool {
        let statements = source.lines().map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return !statements.isEmpty && statements.allSatisfy { line in
            line.wholeMatch(of: /print\(\s*(-?[0-9][0-9_.]*|'[^']*'|"[^"]*")?\s*\)/) != nil
        }
    }
}
