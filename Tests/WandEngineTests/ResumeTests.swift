import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Resuming sessions", .serialized)
struct ResumeTests {
    @Test("a resumed session appends to the same file: numbering continues and earlier runs are remembered")
    func resume() async throws {
        let file = try FixtureSessions.temporaryDirectory("resume").appendingPathComponent("s.jsonl")
        let first = AgentSession(id: "s", recorder: EventRecorder(writer: try SessionWriter(url: file)),
                                 model: ScriptedModel(["```python\nprint(6 * 7)\n```", "Final Answer: 42"]),
                                 executor: try ExecutorFixtures.make(), limits: nil)
        _ = await first.run(goal: "6*7", strategy: .codeact, settings: AgentSettings())
        await first.finish()

        let loaded = try SessionReader().load(file)
        let model = ScriptedModel(["```python\nprint(7 * 7)\n```", "Final Answer: 49"])
        let resumed = AgentSession(resuming: loaded, recorder: try EventRecorder(continuing: loaded),
                                   model: model, executor: try ExecutorFixtures.make(), limits: nil)
        let finished = await resumed.run(goal: "7*7", strategy: .codeact, settings: AgentSettings())
        await resumed.finish()
        #expect(finished.run == 2)
        let all = try SessionReader().load(file)
        #expect(all.problems.isEmpty)
        #expect(all.events.map(\.seq) == Array(1...all.events.count))
        let state = SessionState(folding: all.events)
        #expect(state.run == 2)
        #expect(state.answer == "49")
        #expect(state.attempts.map(\.number) == [1, 2], "attempt numbers continue")
        #expect(state.notices.contains { $0.message.hasPrefix("Session resumed") })
        #expect(model.requests.first?.messages.contains { $0.content.contains("6*7 → 42") } == true,
                "the model hears about the earlier run")
        let runs = all.events.compactMap { if case .runFinished(let run) = $0.event { run.totals } else { nil } }
        let closings = all.events.compactMap { if case .sessionFinished(let end) = $0.event { end.totals } else { nil } }
        #expect(runs.count == 2 && closings.count == 2)
        #expect(closings.last?.modelCalls == runs[0].modelCalls + runs[1].modelCalls, "the resumed session counts both runs")
        #expect(closings.last?.executions == 2)
        #expect(closings.last?.usage == runs[0].usage + runs[1].usage)
        let calls = all.events.compactMap { if case .modelStarted(let call) = $0.event { call.call } else { nil } }
        #expect(calls == Array(1...calls.count), "call numbers continue")
    }

    @Test("with prices in the profile, the session knows its cost")
    func cost() {
        var state = SessionState()
        state.apply(EventRecord(seq: 1, time: FixtureSessions.start, event: .sessionStarted(SessionStarted(
            session: "c", goal: "g", model: ModelDescriptor(profile: "p", name: "m", baseURL: "u"), strategy: "codeact",
            pricing: ModelProfile(name: "p", baseURL: URL(string: "http://x")!, model: "m", pricePromptPerMillion: 1,
                                  priceCompletionPerMillion: 4).pricing,
            sandbox: SandboxDescriptor(mode: .bubblewrap, detail: "")))))
        state.apply(EventRecord(seq: 2, time: FixtureSessions.start, event: .runStarted(RunStarted(run: 1, goal: "g", strategy: "codeact"))))
        state.apply(EventRecord(seq: 3, time: FixtureSessions.start, event: .modelFinished(ModelFinished(
            call: 1, text: "", usage: TokenUsage(prompt: 1_000_000, completion: 500_000), firstTokenMs: nil, totalMs: 1,
            finishReason: "stop"))))
        #expect(state.costUSD == 3.0)
        #expect(SessionState(folding: FixtureSessions.fibonacci()).costUSD == nil, "no prices, no cost")
    }
}
