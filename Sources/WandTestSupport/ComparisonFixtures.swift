public import WandEngine

extension FixtureSessions {
    /// A comparison session: one goal run by `codeact` (a failing attempt, a repair, the model's answer)
    /// and then by `pal` (one program whose output is the answer), as `/compare codeact,pal` records it.
    public static func comparison() -> [EventRecord] {
        let goal = "What is the sum of the squares of 1 to 10? Use code."
        let model = ModelDescriptor(profile: "local", name: "qwen2.5-coder-0.5b-instruct", baseURL: "http://127.0.0.1:8080/v1")
        let lanes = [ComparisonLane(run: 1, strategy: "codeact", model: model), ComparisonLane(run: 2, strategy: "pal", model: model)]
        let broken = "total = sum(i ** 2 for i in range(1, 11)\nprint(total)"
        let fixed = "total = sum(i ** 2 for i in range(1, 11))\nprint(total)"
        let program = "squares = [n * n for n in range(1, 11)]\nprint(sum(squares))"
        let events: [AgentEvent] = [
            .sessionStarted(SessionStarted(session: "fixture-compare", goal: goal, model: model, strategy: "codeact",
                                           settings: ["budget.max_steps": "10"], tools: ["wand": "0.1.0"],
                                           sandbox: SandboxDescriptor(mode: .bubblewrap, detail: "no network"),
                                           comparison: lanes)),
            .runStarted(RunStarted(run: 1, goal: goal, strategy: "codeact")),
            .modelStarted(ModelStarted(call: 1, purpose: .act)),
            .modelFinished(ModelFinished(call: 1, text: "Sum the squares.\n```python\n\(broken)\n```",
                                         usage: TokenUsage(prompt: 180, completion: 40), firstTokenMs: 90, totalMs: 900,
                                         finishReason: "stop")),
            .codeProposed(CodeProposed(attempt: 1, language: .python, source: broken)),
            .execStarted(ExecStarted(attempt: 1, language: .python, runner: .kernel)),
            .execFinished(ExecFinished(attempt: 1, exitStatus: 1, error: "SyntaxError: '(' was never closed", durationMs: 8)),
            .feedbackSent(FeedbackSent(attempt: 1, kind: .error, text: "SyntaxError: '(' was never closed")),
            .modelStarted(ModelStarted(call: 2, purpose: .act)),
            .modelFinished(ModelFinished(call: 2, text: "Close the parenthesis.\n```python\n\(fixed)\n```",
                                         usage: TokenUsage(prompt: 260, completion: 38), firstTokenMs: 80, totalMs: 850,
                                         finishReason: "stop")),
            .codeProposed(CodeProposed(attempt: 2, language: .python, source: fixed)),
            .execStarted(ExecStarted(attempt: 2, language: .python, runner: .kernel)),
            .execOutput(ExecOutput(attempt: 2, stream: .stdout, chunk: "385\n")),
            .execFinished(ExecFinished(attempt: 2, exitStatus: 0, durationMs: 7)),
            .feedbackSent(FeedbackSent(attempt: 2, kind: .observation, text: "stdout:\n385")),
            .modelStarted(ModelStarted(call: 3, purpose: .act)),
            .modelFinished(ModelFinished(call: 3, text: "Final Answer: 385", usage: TokenUsage(prompt: 300, completion: 6),
                                         firstTokenMs: 70, totalMs: 300, finishReason: "stop")),
            .answer(AnswerGiven(text: "385", source: AnswerSource(kind: .model))),
            .runFinished(RunFinished(run: 1, status: .answered, totals: RunTotals(
                modelCalls: 3, executions: 2, usage: TokenUsage(prompt: 740, completion: 84), durationMs: 4250))),
            .runStarted(RunStarted(run: 2, goal: goal, strategy: "pal")),
            .modelStarted(ModelStarted(call: 4, purpose: .program)),
            .modelFinished(ModelFinished(call: 4, text: "```python\n\(program)\n```", usage: TokenUsage(prompt: 150, completion: 30),
                                         firstTokenMs: 60, totalMs: 700, finishReason: "stop")),
            .codeProposed(CodeProposed(attempt: 3, language: .python, source: program)),
            .execStarted(ExecStarted(attempt: 3, language: .python, runner: .process)),
            .execOutput(ExecOutput(attempt: 3, stream: .stdout, chunk: "385\n")),
            .execFinished(ExecFinished(attempt: 3, exitStatus: 0, durationMs: 30)),
            .answer(AnswerGiven(text: "385", source: AnswerSource(kind: .program, attempt: 3))),
            .runFinished(RunFinished(run: 2, status: .answered, totals: RunTotals(
                modelCalls: 1, executions: 1, usage: TokenUsage(prompt: 150, completion: 30), durationMs: 1500))),
            .sessionFinished(SessionFinished(status: .answered, totals: RunTotals(
                modelCalls: 4, executions: 3, usage: TokenUsage(prompt: 890, completion: 114), durationMs: 5750))),
        ]
        return records(events)
    }
}
