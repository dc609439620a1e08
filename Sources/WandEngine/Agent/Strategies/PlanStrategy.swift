/// `plan`: plan-and-solve (Wang et al., 2023) with code as the action of each step. The model writes
/// a numbered plan (shown in the Plan pane); each step is done as code in the persistent kernel; a
/// failed step triggers one revised plan.
public struct PlanStrategy: Strategy {
    /// `plan`.
    public let name = "plan"

    /// Creates the strategy.
    public init() {}

    /// Plans, executes each step, and answers.
    public func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let planReply = try await context.ask([ChatMessage(.system, Prompts.planSystem), ChatMessage(.user, context.goalMessage)],
                                              purpose: .plan, maxTokens: 300)
        var steps = Self.parsePlan(planReply).map { PlanStep(title: $0) }
        if steps.isEmpty { steps = [PlanStep(title: context.goal)] }
        var revision = 1
        context.plan(steps, revision: revision)
        var results: [String] = []
        var index = 0
        while index < steps.count {
            steps[index].status = .active
            context.step(index, .active)
            let (done, summary, failure) = try await carryOut(index, steps: steps, results: results, context: context)
            if done {
                steps[index].status = .done
                context.step(index, .done)
                results.append("Step \(index + 1) (\(steps[index].title)): \(summary)")
                index += 1
                continue
            }
            steps[index].status = .failed
            context.step(index, .failed, note: failure)
            guard revision < 2 else {
                return StrategyOutcome(status: .failed, reason: "step \(index + 1) failed after a revised plan: \(failure)")
            }
            revision += 1
            let revised = try await context.ask([ChatMessage(.system, Prompts.planSystem),
                                                 ChatMessage(.user, Prompts.planRevision(goal: context.goal, failedStep: steps[index].title,
                                                                                         failure: failure))],
                                                purpose: .plan, maxTokens: 300)
            let newSteps = Self.parsePlan(revised).map { PlanStep(title: $0) }
            guard !newSteps.isEmpty else {
                return StrategyOutcome(status: .failed, reason: "step \(index + 1) failed and no revised plan came: \(failure)")
            }
            steps = Array(steps.prefix(index)) + newSteps
            context.plan(steps, revision: revision)
        }
        let final = try await context.ask([ChatMessage(.system, "You answer tasks briefly."),
                                           ChatMessage(.user, Prompts.planAnswer(goal: context.goal, results: results))],
                                          purpose: .answer, maxTokens: 200)
        let parsed = ReplyParser.parse(final)
        let answer = parsed.finalAnswer ?? (parsed.prose.isEmpty ? results.last ?? "" : parsed.prose)
        return StrategyOutcome(status: .answered, answer: answer)
    }

    private func carryOut(_ index: Int, steps: [PlanStep], results: [String],
                          context: AgentContext) async throws -> (Bool, String, String) {
        var messages = [ChatMessage(.system, Prompts.codeActSystem),
                        ChatMessage(.user, Prompts.planStep(goal: context.goal, plan: steps, index: index, results: results)
                                    + context.lessonsParagraph)]
        var failure = "no code was written for this step"
        for _ in 0...context.settings.maxRepairs {
            let reply = try await context.ask(messages, purpose: .act)
            messages.append(ChatMessage(.assistant, reply))
            let parsed = ReplyParser.parse(reply)
            guard let block = parsed.firstRunnable, let language = block.language else {
                if let answer = parsed.finalAnswer ?? (parsed.prose.isEmpty ? nil : parsed.prose) {
                    return (true, answer, "")
                }
                messages.append(ChatMessage(.user, context.feedback(Prompts.formatReminder, kind: .format, attempt: nil)))
                continue
            }
            let run = try await context.runCode(language, block.source, step: index)
            let observation = context.observe(run)
            if run.result.succeeded {
                let printed = (run.stdout + (run.result.value.map { "\n" + $0 } ?? "")).trimmingCharacters(in: .whitespacesAndNewlines)
                return (true, FeedbackFormatter.headAndTail(printed.isEmpty ? "done" : printed, budget: 400), "")
            }
            failure = run.result.error ?? "it failed"
            try await context.reflect(on: observation, attempt: run.attempt)
            messages.append(ChatMessage(.user, Prompts.codeActObservation(observation, succeeded: false)))
        }
        return (false, "", failure)
    }

    /// Reads a numbered (or bulleted) list; at most six steps.
    static func parsePlan(_ text: String) -> [String] {
        var steps: [String] = []
        for line in text.lines() {
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") { continue }
            let digits = trimmed.prefix(while: \.isNumber)
            if !digits.isEmpty, let marker = trimmed.dropFirst(digits.count).first, marker == "." || marker == ")" || marker == ":" {
                trimmed = String(trimmed.dropFirst(digits.count + 1))
            } else if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                trimmed = String(trimmed.dropFirst(2))
            } else {
                continue
            }
            let title = trimmed.replacingOccurrences(of: "**", with: "").trimmingCharacters(in: .whitespaces)
            if !title.isEmpty { steps.append(title.count > 160 ? String(title.prefix(159)) + "…" : title) }
        }
        return Array(steps.prefix(6))
    }
}
