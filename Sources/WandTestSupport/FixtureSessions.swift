public import Foundation
public import WandEngine

/// Hand-built sessions for tests, shaped like real runs, with deterministic times.
public enum FixtureSessions {
    /// A fixed start time (2026-11-25 10:00:00 UTC).
    public static let start = Date(timeIntervalSince1970: 1_795_600_800)

    /// Stamps events with sequence numbers and times a given number of milliseconds apart.
    public static func records(_ events: [AgentEvent], stepMs: Int = 250, start: Date = start) -> [EventRecord] {
        events.enumerated().map { index, event in
            EventRecord(seq: index + 1, time: start.addingTimeInterval(Double(index * stepMs) / 1000), event: event)
        }
    }

    /// The `session.started` used by fixtures.
    public static func started(goal: String, strategy: String = "plan") -> SessionStarted {
        SessionStarted(session: "fixture-fibonacci", goal: goal,
                       model: ModelDescriptor(profile: "local", name: "qwen2.5-coder-0.5b-instruct", baseURL: "http://127.0.0.1:8080/v1"),
                       strategy: strategy, settings: ["max_steps": "8"], tools: ["wand": "0.1.0", "python": "3.11.2"],
                       sandbox: SandboxDescriptor(mode: .bubblewrap, detail: "no network, read-only root"))
    }

    /// A plan run that computes the 30th Fibonacci number: a failing first attempt, a repair, an answer
    /// (saying where it came from when `answerSource` is given).
    public static func fibonacci(answerSource: AnswerSource? = nil) -> [EventRecord] {
        let goal = "What is the 30th Fibonacci number (F1 = F2 = 1)? Use code."
        let firstReply = "I will compute it iteratively.\n```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\nprint(fib(30)\n```"
        let secondReply = "The parenthesis was not closed.\n```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nresult = fib(30)  # 30th number\nprint(f\"F30 = {result}\")\nresult\n```"
        let firstCode = "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\nprint(fib(30)"
        let secondCode = "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nresult = fib(30)  # 30th number\nprint(f\"F30 = {result}\")\nresult"
        let events: [AgentEvent] = [
            .sessionStarted(started(goal: goal)),
            .runStarted(RunStarted(run: 1, goal: goal, strategy: "plan")),
            .planUpdated(PlanUpdated(steps: [PlanStep(title: "Write a function for Fibonacci numbers"),
                                             PlanStep(title: "Print the 30th number and answer")])),
            .stepUpdated(StepUpdated(index: 0, status: .active)),
            .modelStarted(ModelStarted(call: 1, purpose: .act)),
            .modelDelta(ModelDelta(call: 1, text: "I will compute it ")),
            .modelDelta(ModelDelta(call: 1, text: String(firstReply.dropFirst(18)))),
            .modelFinished(ModelFinished(call: 1, text: firstReply, usage: TokenUsage(prompt: 210, completion: 64),
                                         firstTokenMs: 180, totalMs: 1500, finishReason: "stop")),
            .codeProposed(CodeProposed(attempt: 1, language: .python, source: firstCode, step: 0)),
            .execStarted(ExecStarted(attempt: 1, language: .python, runner: .kernel)),
            .execFinished(ExecFinished(attempt: 1, exitStatus: 1, error: "SyntaxError: '(' was never closed",
                                       traceback: "  File \"<cell 1>\", line 6\n    print(fib(30)\n         ^\nSyntaxError: '(' was never closed",
                                       durationMs: 12)),
            .feedbackSent(FeedbackSent(attempt: 1, kind: .error,
                                       text: "SyntaxError: '(' was never closed (line 6). Fix the code.")),
            .modelStarted(ModelStarted(call: 2, purpose: .act)),
            .modelDelta(ModelDelta(call: 2, text: secondReply)),
            .modelFinished(ModelFinished(call: 2, text: secondReply, usage: TokenUsage(prompt: 330, completion: 80),
                                         firstTokenMs: 150, totalMs: 1800, finishReason: "stop")),
            .codeProposed(CodeProposed(attempt: 2, language: .python, source: secondCode, step: 0)),
            .execStarted(ExecStarted(attempt: 2, language: .python, runner: .kernel)),
            .execOutput(ExecOutput(attempt: 2, stream: .stdout, chunk: "F30 = 832040\n")),
            .execOutput(ExecOutput(attempt: 2, stream: .stderr, chunk: "note: computed in 30 steps\n")),
            .execFinished(ExecFinished(attempt: 2, exitStatus: 0, value: "832040", durationMs: 9)),
            .stepUpdated(StepUpdated(index: 0, status: .done)),
            .stepUpdated(StepUpdated(index: 1, status: .done)),
            .feedbackSent(FeedbackSent(attempt: 2, kind: .observation, text: "stdout:\nF30 = 832040\nvalue: 832040")),
            .answer(AnswerGiven(text: "832040", source: answerSource)),
            .runFinished(RunFinished(run: 1, status: .answered,
                                     totals: RunTotals(modelCalls: 2, executions: 2, usage: TokenUsage(prompt: 540, completion: 144),
                                                       durationMs: 6000))),
            .sessionFinished(SessionFinished(status: .answered,
                                             totals: RunTotals(modelCalls: 2, executions: 2,
                                                               usage: TokenUsage(prompt: 540, completion: 144), durationMs: 6250))),
        ]
        return records(events)
    }

    /// Writes records to a file as a session log.
    public static func write(_ records: [EventRecord], to url: URL) throws {
        let writer = try SessionWriter(url: url)
        for record in records { try writer.append(record: record) }
        writer.close()
    }

    /// A fresh temporary directory for a test.
    public static func temporaryDirectory(_ name: String = "wand-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
