import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Comparisons and recorded settings changes", .serialized)
struct ComparisonTests {
    @Test("a comparison runs its sides in turn, each in its own kernel, without the other's answer, in one marked session")
    func sidesAreSeparate() async throws {
        let first = try ExecutorFixtures.make()
        let second = try ExecutorFixtures.make()
        let firstModel = ScriptedModel(["```python\nx = 41\nprint(x + 1)\n```", "Final Answer: 42"])
        let secondModel = ScriptedModel(["```python\nprint(x)\n```", "Final Answer: unknown"])
        let recorder = EventRecorder(writer: nil)
        let collector = EventCollector(listeningTo: recorder)
        let comparison = Comparison(id: "compare", sides: [
            ComparisonSide(strategy: .codeact, model: firstModel, profileSettings: ["model.temperature": "0"], executor: first),
            ComparisonSide(strategy: .codeact, model: secondModel, profileSettings: ["model.temperature": "0.5"], executor: second),
        ], recorder: recorder, limits: first.limits)
        let results = await comparison.run(goal: "What is 6 * 7?", settings: AgentSettings(maxRepairs: 1))
        #expect(results.map(\.run) == [1, 2])
        let events = collector.records
        guard case .sessionStarted(let started) = events.first?.event else { Issue.record("no session.started"); return }
        #expect(started.comparison?.map(\.run) == [1, 2])
        #expect(started.comparison?.map(\.strategy) == ["codeact", "codeact"])
        let executions = events.compactMap { if case .execFinished(let finished) = $0.event { finished } else { nil } }
        #expect(executions.first?.succeeded == true)
        #expect(executions.dropFirst().first?.error?.hasPrefix("NameError") == true,
                "the second side's kernel has none of the first side's variables")
        let asked = secondModel.requests.flatMap(\.messages).map(\.content).joined(separator: "\n")
        #expect(!asked.contains("42"), "the second side never sees the first side's answer")
        let changes = events.compactMap { if case .settingsChanged(let change) = $0.event { change } else { nil } }
        #expect(changes == [SettingsChanged(settings: ["model.temperature": "0.5"])],
                "the second side's own profile settings are recorded before its run")
        #expect(events.last.map { if case .sessionFinished = $0.event { true } else { false } } == true)
    }

    @Test("a run whose settings or model differ from the last one records settings.changed before run.started")
    func settingsChange() async throws {
        let executor = try ExecutorFixtures.make()
        let recorder = EventRecorder(writer: nil)
        let collector = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "settings", recorder: recorder, model: ScriptedModel(["Final Answer: 1"]),
                                   executor: executor, limits: executor.limits, settings: ["model.temperature": "0"])
        _ = await session.run(goal: "one", strategy: .codeact, settings: AgentSettings(samples: 5))
        _ = await session.run(goal: "two", strategy: .codeact, settings: AgentSettings(samples: 3))
        _ = await session.run(goal: "three", strategy: .pal, settings: AgentSettings(samples: 3))
        let other = OtherModel()
        _ = await session.run(goal: "four", strategy: .codeact, settings: AgentSettings(samples: 3),
                              on: RunLane(model: other, profileSettings: ["model.temperature": "0"]))
        await session.finish()
        let types = collector.records.map(\.event.typeName)
        let changes = collector.records.compactMap { if case .settingsChanged(let change) = $0.event { change } else { nil } }
        #expect(changes == [SettingsChanged(settings: ["samples": "3"]),
                            SettingsChanged(settings: [:], model: other.descriptor)])
        let runStarts = types.indices.filter { types[$0] == "run.started" }
        #expect(runStarts.count == 4)
        #expect(types[runStarts[1] - 1] == "settings.changed")
        #expect(types[runStarts[2] - 1] != "settings.changed", "a strategy change is in run.started alone")
        #expect(types[runStarts[3] - 1] == "settings.changed")
        var state = SessionState(folding: collector.records)
        #expect(state.model == other.descriptor)
        #expect(state.settings["samples"] == "3")
        state = SessionState(folding: collector.records.prefix(runStarts[1] - 1))
        #expect(state.settings["samples"] == "5")
    }
}

/// A scripted model with a descriptor of its own, standing for another profile.
private struct OtherModel: LanguageModel {
    let descriptor = ModelDescriptor(profile: "fast", name: "other", baseURL: "memory")
    let inner = ScriptedModel(["Final Answer: 4"])

    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> { inner.generate(request) }
}

@Suite("Cost across a change of model")
struct ModelChangeCostTests {
    @Test("each run is priced at its own model's prices, and an unpriced run makes the session's cost unknown")
    func perRunPricing() {
        let cheap = ModelPricing(promptPerMillion: 1, completionPerMillion: 1)
        let dear = ModelPricing(promptPerMillion: 10, completionPerMillion: 10)
        let usage = TokenUsage(prompt: 500_000, completion: 500_000)
        func run(_ number: Int) -> [AgentEvent] {
            [.runStarted(RunStarted(run: number, goal: "g", strategy: "codeact")),
             .modelFinished(ModelFinished(call: number, text: "", usage: usage, firstTokenMs: nil, totalMs: 1, finishReason: "stop")),
             .runFinished(RunFinished(run: number, status: .answered, totals: RunTotals(usage: usage)))]
        }
        let started = AgentEvent.sessionStarted(SessionStarted(
            session: "s", goal: "g", model: ModelDescriptor(profile: "cheap", name: "c", baseURL: "u"), strategy: "codeact",
            pricing: cheap, sandbox: SandboxDescriptor(mode: .bubblewrap, detail: "")))
        let change = AgentEvent.settingsChanged(SettingsChanged(settings: [:], model: ModelDescriptor(profile: "dear", name: "d", baseURL: "u"),
                                                                pricing: dear))
        let priced = SessionState(folding: FixtureSessions.records([started] + run(1) + [change] + run(2)))
        #expect(priced.costUSD == 1.0 + 10.0)
        let unpriced = AgentEvent.settingsChanged(SettingsChanged(settings: [:], model: ModelDescriptor(profile: "free", name: "f", baseURL: "u")))
        let unknown = SessionState(folding: FixtureSessions.records([started] + run(1) + [unpriced] + run(2)))
        #expect(unknown.costUSD == nil, "a run whose prices are unknown makes the total unknown, not smaller")
    }
}
