import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Fork and re-run", .serialized)
struct ForkAndRerunTests {
    @Test("a fork copies the events up to a point under a new id, closes the open run, and rebuilds the conversation")
    func fork() throws {
        let records = FixtureSessions.fibonacci()
        let source = LoadedSession(url: URL(fileURLWithPath: "/tmp/original.jsonl"), events: records, problems: [])
        let fork = SessionFork(source: source, upTo: 23, newSessionID: "forked", now: FixtureSessions.start)
        #expect(fork.events.map(\.seq) == Array(1...fork.events.count))
        #expect(fork.events.count == 25, "23 copied, a closing run.finished and a notice")
        #expect(fork.events.first.map { if case .sessionStarted(let started) = $0.event { started.session } else { "" } } == "forked")
        let state = SessionState(folding: fork.events)
        #expect(state.runStatus == .cancelled)
        #expect(state.runReason == "forked at event 23")
        #expect(fork.goal.hasPrefix("What is the 30th Fibonacci"))
        #expect(fork.strategy == "plan")
        #expect(fork.messages.map(\.role) == [.user, .assistant, .user, .assistant, .user])
        #expect(fork.messages.last?.content.contains("F30 = 832040") == true)
        #expect(fork.messages[2].content.hasPrefix("Observation:\nSyntaxError"))
        #expect(fork.restoreCode.count == 1, "only the attempt that succeeded is re-run")
        #expect(fork.restoreCode.first?.contains("result = fib(30)") == true)
    }

    @Test("re-running a recorded session against the executor finds no difference, and a changed recording is caught")
    func rerun() async throws {
        let executor = try ExecutorFixtures.make()
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let original = AgentSession(id: "original", recorder: recorder,
                                    model: ScriptedModel(["```python\nimport math\nprint(math.factorial(5))\n```", "Final Answer: 120"]),
                                    executor: executor, limits: executor.limits)
        _ = await original.run(goal: "5!", strategy: .codeact, settings: AgentSettings())
        await original.finish()
        let recorded = LoadedSession(url: URL(fileURLWithPath: "/tmp/recorded.jsonl"), events: collected.records, problems: [])

        func rerun(_ session: LoadedSession) async throws -> (RerunReport, RunStatus?) {
            let executor = try ExecutorFixtures.make()
            let recorder = EventRecorder(writer: nil)
            let collected = EventCollector(listeningTo: recorder)
            let again = AgentSession(id: "rerun", recorder: recorder, model: SessionRerun.model(for: session),
                                     executor: executor, limits: executor.limits)
            let report = await SessionRerun.run(session, in: again, settings: SessionRerun.settings(for: session))
            await again.finish()
            return (report, SessionState(folding: collected.records).runStatus)
        }

        let (same, status) = try await rerun(recorded)
        #expect(same.isIdentical, "\(same.summary)")
        #expect(same.matching == 1)
        #expect(status == .answered)

        var changed = recorded
        changed.events = recorded.events.map { record in
            guard case .execOutput(var output) = record.event else { return record }
            output.chunk = "999\n"
            return EventRecord(seq: record.seq, time: record.time, event: .execOutput(output))
        }
        let (different, _) = try await rerun(changed)
        #expect(!different.isIdentical)
        #expect(different.differences.first?.recorded.contains("999") == true)
        #expect(different.differences.first?.now.contains("120") == true)
    }

    @Test("a recorded model answers with the recorded replies in order, then says it has no more")
    func recordedModel() async throws {
        let model = RecordedModel(events: FixtureSessions.fibonacci())
        let first = try await model.complete(GenerationRequest(messages: []))
        #expect(first.text.hasPrefix("I will compute it iteratively."))
        _ = try await model.complete(GenerationRequest(messages: []))
        await #expect(throws: ModelError.self) { _ = try await model.complete(GenerationRequest(messages: [])) }
    }
}
