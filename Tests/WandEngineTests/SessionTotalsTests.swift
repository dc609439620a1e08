import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Session totals")
struct SessionTotalsTests {
    @Test("finished runs count as their run.finished recorded them; without prices the cost is unknown, not 0")
    func finishedRuns() {
        let totals = SessionTotals(folding: FixtureSessions.fibonacci())
        let recorded = RunTotals(modelCalls: 2, executions: 2, usage: TokenUsage(prompt: 540, completion: 144), durationMs: 6000)
        #expect(totals.finishedRuns == recorded)
        #expect(totals.openRun == nil)
        #expect(totals.session == recorded)
        #expect(totals.session.costUSD == nil)
        #expect(totals.lastStatus == .answered)
    }

    @Test("an open run counts calls and executions started, tokens of finished calls, and time to the latest event")
    func openRun() throws {
        let records = Array(FixtureSessions.fibonacci().prefix(18))
        let open = try #require(SessionTotals(folding: records).openRun)
        let started = try #require(records.first { $0.event.typeName == "run.started" })
        #expect(open.modelCalls == records.count { $0.event.typeName == "model.started" })
        #expect(open.executions == records.count { $0.event.typeName == "exec.started" })
        #expect(open.usage == records.reduce(TokenUsage()) { sum, record in
            if case .modelFinished(let finished) = record.event { sum + finished.usage } else { sum }
        })
        #expect(open.durationMs == Int((records[17].time.timeIntervalSince(started.time) * 1000).rounded()))
    }

    @Test("a session written by 0.1.0 keeps its prices from settings")
    func legacyPrices() throws {
        let events = try SessionReader().load(SessionCompatibilityTests.release).events
        let state = SessionState(folding: events)
        #expect(state.started?.pricing == nil)
        #expect(state.totals.pricing == ModelPricing(promptPerMillion: 1, completionPerMillion: 4))
        #expect(state.costUSD == (Double(state.usage.prompt) * 1 + Double(state.usage.completion) * 4) / 1_000_000)
    }

    @Test("a live session records its prices, and run.finished and session.finished carry the fold's totals and cost")
    func liveTotals() async throws {
        let file = try FixtureSessions.temporaryDirectory("totals").appendingPathComponent("s.jsonl")
        let pricing = ModelPricing(promptPerMillion: 2, completionPerMillion: 8)
        let session = AgentSession(id: "t", recorder: EventRecorder(writer: try SessionWriter(url: file),
                                                                    clock: .fixed(FixtureSessions.start)),
                                   model: ScriptedModel(["```python\nprint(6 * 7)\n```", "Final Answer: 42"]),
                                   executor: try ExecutorFixtures.make(), limits: nil, pricing: pricing)
        let finished = await session.run(goal: "6*7", strategy: .codeact, settings: AgentSettings())
        await session.finish()
        let events = try SessionReader().load(file).events
        let state = SessionState(folding: events)
        #expect(state.started?.pricing == pricing)
        let usage = state.usage
        #expect(finished.totals == RunTotals(modelCalls: 2, executions: 1, usage: usage, durationMs: 0,
                                             costUSD: pricing.cost(of: usage)))
        guard case .sessionFinished(let closing)? = events.last?.event else {
            Issue.record("the session does not end with session.finished")
            return
        }
        #expect(closing.totals == finished.totals)
        #expect(state.costUSD == pricing.cost(of: usage))
    }
}
