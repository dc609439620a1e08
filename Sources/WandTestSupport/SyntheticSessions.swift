public import WandEngine

/// Large generated sessions for load tests and benchmarks.
public enum SyntheticSessions {
    /// A long session of repeated think–code–run turns, cut to exactly `eventCount` events.
    public static func longRun(eventCount: Int) -> [EventRecord] {
        var events: [AgentEvent] = [
            .sessionStarted(FixtureSessions.started(goal: "A long session for load testing", strategy: "codeact")),
            .runStarted(RunStarted(run: 1, goal: "A long session for load testing", strategy: "codeact")),
        ]
        var call = 0
        while events.count < eventCount {
            call += 1
            events.append(.modelStarted(ModelStarted(call: call, purpose: .act)))
            for index in 0..<8 { events.append(.modelDelta(ModelDelta(call: call, text: "token \(index) "))) }
            let source = "total = sum(range(\(call)))\nprint(total)"
            events.append(.modelFinished(ModelFinished(call: call, text: "```python\n\(source)\n```",
                                                       usage: TokenUsage(prompt: 100, completion: 20),
                                                       firstTokenMs: 100, totalMs: 400, finishReason: "stop")))
            events.append(.codeProposed(CodeProposed(attempt: call, language: .python, source: source)))
            events.append(.execStarted(ExecStarted(attempt: call, language: .python, runner: .kernel)))
            for line in 0..<4 {
                events.append(.execOutput(ExecOutput(attempt: call, stream: line == 3 ? .stderr : .stdout, chunk: "line \(line)\n")))
            }
            events.append(.execFinished(ExecFinished(attempt: call, exitStatus: 0, durationMs: 5)))
            events.append(.feedbackSent(FeedbackSent(attempt: call, kind: .observation, text: "line 0")))
        }
        return FixtureSessions.records(Array(events.prefix(eventCount)), stepMs: 10)
    }
}
