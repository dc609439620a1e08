import Foundation
import Testing
import WandEngine
import WandTestSupport

/// Each strategy with a scripted model and the real sandboxed executor: success, a repaired error,
/// budget exhaustion, cancellation mid-generation and mid-execution, and an unparseable reply.
@Suite("Strategy scenarios", .serialized)
struct StrategyScenarioTests {
    struct Outcome {
        var finished: RunFinished
        var events: [EventRecord]

        var answer: String? {
            events.lazy.compactMap { if case .answer(let answer) = $0.event { answer.text } else { nil } }.last
        }
        var executions: [ExecFinished] { events.compactMap { if case .execFinished(let finished) = $0.event { finished } else { nil } } }
        var feedback: [FeedbackSent] { events.compactMap { if case .feedbackSent(let feedback) = $0.event { feedback } else { nil } } }
    }

    func run(_ strategy: StrategyName, replies: [String], settings: AgentSettings = AgentSettings(maxRepairs: 2),
             tests: TestSuite? = nil, pieceDelay: Duration = .zero, goal: String = "What is 6 * 7?",
             cancelWhen: (@Sendable (EventRecord) -> Bool)? = nil) async throws -> Outcome {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 20, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "scenario", recorder: recorder, model: ScriptedModel(replies, pieceDelay: pieceDelay),
                                   executor: executor, limits: executor.limits)
        // The run waits until the listener is in place: under load it could otherwise emit the event
        // that should cancel it before anyone listens (seen: a cancel test ran into its 20 s time limit).
        let (listening, listenerReady) = AsyncStream<Void>.makeStream()
        let task = Task {
            for await _ in listening {}
            return await session.run(goal: goal, strategy: strategy, settings: settings, tests: tests)
        }
        if let cancelWhen {
            recorder.listen { record in if cancelWhen(record) { task.cancel() } }
        }
        listenerReady.finish()
        let finished = await task.value
        await session.finish()
        let events = collected.records
        #expect(SessionState(folding: events).isFinished)
        return Outcome(finished: finished, events: events)
    }

    static let code42 = "Let me compute it.\n```python\nprint(6 * 7)\n```"
    static let broken = "```python\nprint(6 * seven)\n```"

    // MARK: success

    @Test("codeact: code, observation, final answer")
    func codeactSuccess() async throws {
        let outcome = try await run(.codeact, replies: [Self.code42, "Final Answer: 42"])
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer == "42")
        #expect(outcome.executions.count == 1)
        #expect(outcome.feedback.first?.text.contains("Output:\n42") == true)
    }

    @Test("pal: the printed result is the answer")
    func palSuccess() async throws {
        let outcome = try await run(.pal, replies: [Self.code42])
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer == "42")
    }

    @Test("plan: a numbered plan, each step as code, then the answer; steps end done")
    func planSuccess() async throws {
        let outcome = try await run(.plan, replies: ["1. Multiply the numbers\n2. Report the result",
                                                     "```python\nx = 6 * 7\nprint(x)\n```", "```python\nprint(x)\n```",
                                                     "Final Answer: 42"])
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer == "42")
        let state = SessionState(folding: outcome.events)
        #expect(state.plan.map(\.status) == [.done, .done])
        #expect(state.plan.map(\.title) == ["Multiply the numbers", "Report the result"])
        #expect(outcome.executions.count == 2, "the second step used the first step's variable: the kernel persists")
    }

    @Test("tdd: a candidate that passes the given tests is the answer")
    func tddSuccess() async throws {
        let tests = TestSuite(source: "assert double(2) == 4\nassert double(-1) == -2\n", origin: "test")
        let outcome = try await run(.tdd, replies: ["```python\ndef double(x):\n    return 2 * x\n```"], tests: tests,
                                    goal: "Write double(x).")
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer?.contains("def double") == true)
        #expect(outcome.executions.first?.tests?.count == 2)
    }

    @Test("sample: the answer most candidates agree on wins")
    func sampleSuccess() async throws {
        let outcome = try await run(.sample, replies: [Self.code42, "```python\nprint(41)\n```", "```python\nprint(6*7)\n```"],
                                    settings: AgentSettings(samples: 3))
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer == "42")
        #expect(outcome.feedback.last?.kind == .selection)
        #expect(outcome.feedback.last?.text.contains("2 of 3") == true)
    }

    @Test("sample with tests: the candidate passing most tests wins")
    func sampleWithTests() async throws {
        let tests = TestSuite(source: "assert inc(1) == 2\nassert inc(5) == 6\n", origin: "test")
        let outcome = try await run(.sample, replies: ["```python\ndef inc(x):\n    return x\n```",
                                                       "```python\ndef inc(x):\n    return x + 1\n```"],
                                    settings: AgentSettings(samples: 2), tests: tests, goal: "Write inc(x).")
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer?.contains("x + 1") == true)
    }

    // MARK: repaired error

    @Test("repaired error: the traceback goes back and the fix is answered", arguments: [StrategyName.codeact, .pal])
    func repaired(strategy: StrategyName) async throws {
        let replies = strategy == .codeact ? [Self.broken, Self.code42, "Final Answer: 42"] : [Self.broken, Self.code42]
        let outcome = try await run(strategy, replies: replies)
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer == "42")
        #expect(outcome.executions.first?.error == "NameError: name 'seven' is not defined")
        let errorFeedback = try #require(outcome.feedback.first)
        #expect(errorFeedback.kind == .error)
        #expect(errorFeedback.text.contains("NameError: name 'seven' is not defined"))
        #expect(errorFeedback.text.contains("<cell"), "the trimmed traceback is part of the feedback")
    }

    @Test("tdd repaired: failing tests with got/expected are the feedback, the fix passes")
    func tddRepaired() async throws {
        let tests = TestSuite(source: "assert double(2) == 4\nassert double(3) == 6\n", origin: "test")
        let outcome = try await run(.tdd, replies: ["```python\ndef double(x):\n    return x + 2\n```",
                                                    "```python\ndef double(x):\n    return x * 2\n```"],
                                    tests: tests, goal: "Write double(x).")
        #expect(outcome.finished.status == .answered)
        let feedback = try #require(outcome.feedback.first)
        #expect(feedback.kind == .tests)
        #expect(feedback.text.contains("1 of 2 tests fail"))
        #expect(feedback.text.contains("got 5, expected 6"))
    }

    @Test("plan repaired: a failing step is retried with its error and ends done")
    func planRepaired() async throws {
        let outcome = try await run(.plan, replies: ["1. Compute the product", Self.broken, Self.code42, "Final Answer: 42"])
        #expect(outcome.finished.status == .answered)
        #expect(SessionState(folding: outcome.events).plan.map(\.status) == [.done])
        #expect(outcome.executions.count == 2)
    }

    @Test("reflection: after a failure the model's lesson is recorded and shown on the next attempt")
    func reflection() async throws {
        let model = ScriptedModel([Self.broken, "I used an undefined name; define values before use.", Self.code42])
        let executor = try ExecutorFixtures.make()
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "reflect", recorder: recorder, model: model, executor: executor, limits: executor.limits)
        let finished = await session.run(goal: "6*7?", strategy: .pal, settings: AgentSettings(reflect: true))
        await session.finish()
        #expect(finished.status == .answered)
        let reflections = collected.records.compactMap { if case .feedbackSent(let f) = $0.event, f.kind == .reflection { f.text } else { nil } }
        #expect(reflections == ["I used an undefined name; define values before use."])
        #expect(model.requests.last?.messages.last?.content.contains("Lessons from your earlier attempts") == true)
    }

    // MARK: budget exhaustion

    @Test("budget: running out of model calls ends the run with budget-exhausted", arguments: StrategyName.allCases)
    func budget(strategy: StrategyName) async throws {
        let tests = TestSuite(source: "assert f() == 1\n", origin: "test")
        let outcome = try await run(strategy, replies: [Self.broken], settings: AgentSettings(maxSteps: 2, maxRepairs: 10, samples: 5),
                                    tests: tests, goal: "f")
        #expect(outcome.finished.status == .budgetExhausted)
        #expect(outcome.finished.totals.modelCalls <= 2)
        #expect(outcome.finished.reason?.contains("budget of 2 model calls") == true, "\(outcome.finished.reason ?? "no reason")")
    }

    @Test("budget: the token budget stops the run")
    func tokenBudget() async throws {
        let outcome = try await run(.codeact, replies: [Self.broken], settings: AgentSettings(maxTokens: 30))
        #expect(outcome.finished.status == .budgetExhausted)
        #expect(outcome.finished.reason?.contains("token budget") == true)
    }

    // MARK: cancellation

    @Test("cancelling mid-generation ends the run cancelled and the session consistent", arguments: StrategyName.allCases)
    func cancelDuringGeneration(strategy: StrategyName) async throws {
        let outcome = try await run(strategy, replies: [Self.code42], pieceDelay: .milliseconds(100),
                                    cancelWhen: { if case .modelDelta = $0.event { true } else { false } })
        #expect(outcome.finished.status == .cancelled)
        let finishedCalls = outcome.events.compactMap { if case .modelFinished(let finished) = $0.event { finished } else { nil } }
        #expect(finishedCalls.last?.finishReason == "cancelled")
        #expect(outcome.executions.isEmpty)
    }

    @Test("cancelling mid-execution stops the code, records it, and ends the run cancelled")
    func cancelDuringExecution() async throws {
        let start = Date()
        let outcome = try await run(.codeact, replies: ["```python\nimport time\ntime.sleep(30)\n```"],
                                    cancelWhen: { if case .execStarted = $0.event { true } else { false } })
        #expect(outcome.finished.status == .cancelled)
        #expect(outcome.executions.first?.limit == .cancelled)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    // MARK: unparseable reply

    @Test("an unparseable reply gets a format reminder, then the run fails clearly", arguments: [StrategyName.codeact, .pal])
    func unparseable(strategy: StrategyName) async throws {
        let outcome = try await run(strategy, replies: ["I am not sure what you mean."], settings: AgentSettings(maxRepairs: 1))
        #expect(outcome.finished.status == .failed)
        #expect(outcome.feedback.contains { $0.kind == .format })
        #expect(outcome.executions.isEmpty)
    }

    @Test("tdd: a reply without code is reported and fails after the attempts", arguments: [StrategyName.tdd, .sample])
    func unparseableTests(strategy: StrategyName) async throws {
        let tests = TestSuite(source: "assert f() == 1\n", origin: "test")
        let outcome = try await run(strategy, replies: ["no code here"], settings: AgentSettings(maxSteps: 4, samples: 2),
                                    tests: tests, goal: "f")
        #expect(outcome.finished.status == .failed)
        #expect(outcome.executions.isEmpty)
    }

    @Test("plan: a reply that is not a list becomes a one-step plan of the goal")
    func unparseablePlan() async throws {
        let outcome = try await run(.plan, replies: ["Sure!", Self.code42, "Final Answer: 42"])
        #expect(outcome.finished.status == .answered)
        #expect(SessionState(folding: outcome.events).plan.map(\.title) == ["What is 6 * 7?"])
    }

    // MARK: approvals

    @Test("ask mode: the gate's decisions run, skip or replace the code")
    func approvals() async throws {
        let executor = try ExecutorFixtures.make()
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "ask", recorder: recorder, model: ScriptedModel([Self.broken, Self.broken, "Final Answer: 42"]),
                                   executor: executor, limits: executor.limits)
        recorder.listen { record in
            guard case .approvalRequested(let request) = record.event else { return }
            if request.attempt == 1 {
                session.gate.decide(attempt: 1, decision: .skip)
            } else {
                session.gate.decide(attempt: request.attempt, decision: .edit, source: "print(6 * 7)")
            }
        }
        let finished = await session.run(goal: "6*7", strategy: .codeact, settings: AgentSettings(approval: .ask))
        await session.finish()
        let state = SessionState(folding: collected.records)
        #expect(finished.status == .answered)
        #expect(state.attempts.map(\.approval) == [.skip, .edit])
        #expect(state.attempts[1].source == "print(6 * 7)")
        #expect(state.attempts[1].output.first?.text == "42\n")
    }

    @Test("never mode: nothing runs, and the model is told")
    func neverRun() async throws {
        let outcome = try await run(.pal, replies: [Self.code42], settings: AgentSettings(maxRepairs: 0, approval: .never))
        #expect(outcome.executions.isEmpty)
        #expect(outcome.finished.status == .failed)
    }

    @Test("native tools: tool calls run in the sandbox and their results go back as tool messages")
    func nativeTools() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let model = OpenAICompatibleModel(endpoint: ModelEndpoint(profile: "fake", baseURL: server.baseURL("tools"), model: "m",
                                                                  apiKey: nil))
        let executor = try ExecutorFixtures.make()
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "tools", recorder: recorder, model: model, executor: executor, limits: executor.limits)
        let finished = await session.run(goal: "6*7", strategy: .codeact, settings: AgentSettings(actions: .native))
        await session.finish()
        let state = SessionState(folding: collected.records)
        #expect(finished.status == .answered)
        #expect(state.answer == "The answer is 42.")
        #expect(state.attempts.map(\.source) == ["print(6 * 7)", "import os\nfor name in sorted(os.listdir(\".\")):\n    print(name)"])
        #expect(state.attempts.first?.output.first?.text == "42\n")
    }

    // MARK: saved files

    /// What a session shows of a saved file: in `exec.finished`, on the attempt in the fold, in the
    /// transcript, and the same after a round trip through session lines.
    func expectSaved(_ file: String, size expectedSize: Int?, in outcome: Outcome,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let saved = try #require(outcome.executions.first?.files?.first, sourceLocation: sourceLocation)
        #expect(outcome.executions.first?.files?.count == 1 && saved.path == file && saved.isImage, sourceLocation: sourceLocation)
        if let expectedSize { #expect(saved.size == expectedSize, sourceLocation: sourceLocation) }
        #expect(SessionState(folding: outcome.events).attempts.first?.result?.files == [saved], sourceLocation: sourceLocation)
        let line = "  saved \(file) (image, \(TranscriptPrinter.formatSize(bytes: saved.size)))\n"
        let transcript = TranscriptPrinter.transcript(of: outcome.events)
        #expect(transcript.contains("  ⤷ exit 0 · ") && transcript.contains(line), "\(transcript)", sourceLocation: sourceLocation)
        let codec = EventLineCodec()
        let reread = try outcome.events.map { try codec.decodeLine(codec.encodeLine($0).dropLast()) }
        #expect(TranscriptPrinter.transcript(of: reread).contains(line), "a replay of the file shows it too", sourceLocation: sourceLocation)
    }

    @Test("codeact: a PNG the code writes is listed with its path and size, in the events, the fold and the transcript")
    func savedFile() async throws {
        let reply = "Saving it.\n```python\nopen('plot.png', 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + bytes(60))\nprint('saved')\n```"
        let outcome = try await run(.codeact, replies: [reply, "Final Answer: saved plot.png"])
        #expect(outcome.finished.status == .answered)
        try expectSaved("plot.png", size: 68, in: outcome)
    }

    @Test("codeact: a plot saved with matplotlib is listed", .requires(.codeEnvironment), .requires(.sandbox))
    func savedPlot() async throws {
        let reply = """
            Plotting.
            ```python
            import os
            import matplotlib.pyplot as plt
            os.makedirs("charts")
            plt.plot([1, 2, 3], [1, 4, 9])
            plt.savefig("charts/squares.png")
            print("done")
            ```
            """
        let outcome = try await run(.codeact, replies: [reply, "Final Answer: charts/squares.png"])
        #expect(outcome.finished.status == .answered, "\(outcome.executions.first?.error ?? "")")
        try expectSaved("charts/squares.png", size: nil, in: outcome)
        #expect((outcome.executions.first?.files?.first?.size ?? 0) > 1_000, "a real plot, not an empty file")
    }
}
