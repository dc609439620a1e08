import Foundation
import Testing
import WandEngine
import WandTestSupport

/// The default strategy and the stopping rules with a scripted model and the real sandboxed executor:
/// the vote picks the majority and breaks ties as documented, disagreement widens the vote, failure
/// escalates, and neither Wand's own words nor a later drift become the answer.
@Suite("Vote and answer provenance", .serialized)
struct VoteScenarioTests {
    struct Outcome {
        var finished: RunFinished
        var events: [EventRecord]
        var requests: [GenerationRequest]

        var answer: AnswerGiven? {
            events.lazy.compactMap { if case .answer(let answer) = $0.event { answer } else { nil } }.last
        }
        var executions: Int { events.count { if case .execFinished = $0.event { true } else { false } } }
    }

    /// A program printing `value`.
    static func program(_ value: String) -> String { "```python\nprint(\(value))\n```" }

    /// Replies for voting strategies: the greedy request (temperature 0) gets `greedy`, sample `n`
    /// (seed offset n, counted from 1) gets `samples[n - 1]`, repairs get `repair`.
    static func voter(greedy: String, samples: [String], repair: String = program("0")) -> @Sendable (GenerationRequest, Int) -> String {
        { request, _ in
            let isRepair = request.messages.last?.content.contains("does not work") == true
            if isRepair { return repair }
            if request.temperature == 0 { return greedy }
            let index = (request.seed ?? 0) - 1
            return samples.indices.contains(index) ? samples[index] : samples.last ?? greedy
        }
    }

    func run(_ strategy: StrategyName, settings: AgentSettings = AgentSettings(samples: 3),
             model: ScriptedModel) async throws -> Outcome {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 20, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "vote", recorder: recorder, model: model, executor: executor, limits: executor.limits)
        let finished = await session.run(goal: "What is 6 * 7?", strategy: strategy, settings: settings)
        await session.finish()
        #expect(SessionState(folding: collected.records).isFinished)
        return Outcome(finished: finished, events: collected.records, requests: model.requests)
    }

    @Test("vote: the majority answer wins, with its count recorded")
    func majority() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: Self.program("41"), samples: [Self.program("42"), Self.program("6 * 7")]))
        let outcome = try await run(.vote, model: model)
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source?.kind == .vote)
        #expect(outcome.answer?.source?.agreeing == 2)
        #expect(outcome.answer?.source?.voters == 3)
        #expect(outcome.answer?.source?.summary == "2 of 3 programs agree")
        #expect(outcome.answer?.source?.tally == [VoteCount(answer: "42", count: 2), VoteCount(answer: "41", count: 1)])
    }

    @Test("vote: labels and number formats count as the same answer")
    func normalizedAgreement() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: Self.program("'The answer is 42'"),
                                                      samples: [Self.program("42.0"), Self.program("'1,000'")]))
        let outcome = try await run(.vote, model: model)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source?.agreeing == 2)
    }

    @Test("vote: a tie goes to the answer that needed fewer repairs")
    func tieFewerErrors() async throws {
        // The greedy program fails and its repair prints 41; the sample prints 42 without a repair.
        let model = ScriptedModel(respond: Self.voter(greedy: "```python\nprint(6 * seven)\n```", samples: [Self.program("42")],
                                                      repair: Self.program("41")))
        let outcome = try await run(.vote, settings: AgentSettings(samples: 2), model: model)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source?.agreeing == 1)
        #expect(outcome.answer?.source?.voters == 2)
    }

    @Test("vote: an even tie with equal repairs goes to the greedy program's answer")
    func tieGreedy() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: Self.program("41"), samples: [Self.program("42")]))
        let outcome = try await run(.vote, settings: AgentSettings(samples: 2), model: model)
        #expect(outcome.answer?.text == "41")
    }

    @Test("vote: samples are drawn above zero temperature, each with its own seed")
    func samplesDiffer() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: Self.program("42"), samples: [Self.program("42"), Self.program("42")]))
        let outcome = try await run(.vote, model: model)
        let sampled = outcome.requests.filter { ($0.temperature ?? 0) > 0 }
        #expect(outcome.requests.count == 3)
        #expect(sampled.count == 2)
        #expect(Set(sampled.compactMap(\.seed)).count == 2)
    }

    @Test("vote: a program that computes its answer outweighs one that prints a constant")
    func computedOutweighsConstant() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: Self.program("41"), samples: [Self.program("6 * 7")]))
        let outcome = try await run(.vote, settings: AgentSettings(samples: 2), model: model)
        #expect(outcome.answer?.text == "42")
    }

    @Test("auto: the greedy program's answer is the answer; nothing else is drawn")
    func autoGreedy() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: Self.program("6 * 7"), samples: [Self.program("41")]))
        let outcome = try await run(.auto, settings: AgentSettings(), model: model)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source == AnswerSource(kind: .program, attempt: 1))
        #expect(outcome.answer?.source?.summary == "printed by attempt 1")
        #expect(outcome.requests.count == 1)
        #expect(outcome.requests[0].temperature == 0)
    }

    @Test("auto: a failing greedy program is repaired from a short, fresh prompt, and its fix answers")
    func autoRepairs() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: "```python\nprint(6 * seven)\n```", samples: [Self.program("41")],
                                                      repair: Self.program("6 * 7")))
        let outcome = try await run(.auto, settings: AgentSettings(), model: model)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source?.attempt == 2)
        #expect(outcome.requests.count == 2)
        let repair = try #require(outcome.requests.last?.messages)
        #expect(repair.count == 2, "a fresh prompt, not a growing chat")
        #expect(repair[1].content.contains("NameError"))
    }

    @Test("auto: when the greedy program and its repair fail, two samples vote")
    func autoSamplesOnFailure() async throws {
        let broken = "```python\nprint(6 * seven)\n```"
        let model = ScriptedModel(respond: Self.voter(greedy: broken, samples: [Self.program("6 * 7"), Self.program("42")],
                                                      repair: broken))
        let outcome = try await run(.auto, settings: AgentSettings(), model: model)
        #expect(outcome.requests.count == 4)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source?.summary == "2 of 2 programs agree")
        #expect(outcome.requests.dropFirst(2).allSatisfy { $0.temperature == 0.5 })
    }

    @Test("auto: when no program works, the goal continues step by step (codeact)")
    func autoEscalates() async throws {
        let model = ScriptedModel { request, _ in
            if request.messages.first?.content.contains("one step at a time") == true {
                return request.messages.count <= 2 ? Self.program("6 * 7") : "Final Answer: 42"
            }
            return "```python\nprint(6 * seven)\n```"
        }
        let outcome = try await run(.auto, settings: AgentSettings(), model: model)
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer?.text == "42")
        let notices = outcome.events.compactMap { if case .notice(let notice) = $0.event { notice.message } else { nil } }
        #expect(notices.contains { $0.contains("codeact") })
    }

    @Test("codeact: feedback echoed back by the model never becomes the answer")
    func echoIsNotAnAnswer() async throws {
        let echo = "```python\n# The code ran without error.\n```"
        let model = ScriptedModel(["```python\nx = 6 * 7\nprint(x)\n```", echo, echo])
        let outcome = try await run(.codeact, settings: AgentSettings(), model: model)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source?.kind == .program)

        let prose = ScriptedModel(["```python\nprint(6 * 7)\n```", "The code ran without error."])
        let second = try await run(.codeact, settings: AgentSettings(), model: prose)
        #expect(second.answer?.text == "42")
    }

    @Test("codeact: a value computed earlier is not lost when the model drifts to printing a constant")
    func driftKeepsValue() async throws {
        let model = ScriptedModel(["```python\nx = 6 * 7\nx\n```", Self.program("1"), Self.program("1")])
        let outcome = try await run(.codeact, settings: AgentSettings(), model: model)
        #expect(outcome.finished.status == .answered)
        #expect(outcome.answer?.text == "42")
        #expect(outcome.answer?.source?.attempt == 1)
    }

    @Test("the transcript and the fold show where the answer came from")
    func provenanceShown() async throws {
        let model = ScriptedModel(respond: Self.voter(greedy: Self.program("42"), samples: [Self.program("6 * 7")]))
        let outcome = try await run(.vote, settings: AgentSettings(samples: 2), model: model)
        var printer = TranscriptPrinter()
        let transcript = outcome.events.map { printer.text(for: $0) }.joined()
        #expect(transcript.contains("Answer\n  42\n  — 2 of 2 programs agree"))
        #expect(SessionState(folding: outcome.events).answerSource?.kind == .vote)
    }
}

@Suite("Program answers")
struct ProgramAnswerTests {
    @Test("the last printed line is the answer; a lone number is reduced to itself")
    func extract() {
        #expect(ProgramAnswer.extract("working...\n42\n") == "42")
        #expect(ProgramAnswer.extract("The total is $1,250.") == "1250")
        #expect(ProgramAnswer.extract("Final Answer: 2024-03-15") == "2024-03-15")
        #expect(ProgramAnswer.extract("3 hours and 20 minutes") == "3 hours and 20 minutes")
        #expect(ProgramAnswer.extract("1/6") == "1/6")
        #expect(ProgramAnswer.extract("345 days, 0:00:00") == "345")
        #expect(ProgramAnswer.extract("1 day, 2:30:00") == "1 day, 2:30:00")
        #expect(ProgramAnswer.extract("racecar") == "racecar")
        #expect(ProgramAnswer.extract("\n  \n") == nil)
    }

    @Test("vote keys fold case, space, labels and number formats")
    func keys() {
        #expect(ProgramAnswer.voteKey("42.0") == ProgramAnswer.voteKey("42"))
        #expect(ProgramAnswer.voteKey("1,000") == "1000")
        #expect(ProgramAnswer.voteKey("Paris.") == ProgramAnswer.voteKey("paris"))
        #expect(ProgramAnswer.voteKey("0.5") != ProgramAnswer.voteKey("0.50001"))
        #expect(ProgramAnswer.voteKey("2024-03-15") == "2024-03-15")
    }

    @Test("scoring reads the last line, and a number must stand alone in it")
    func scoringLastLine() {
        #expect(EvalScoring.matches("step 1: 12\nThe answer is 42", expected: "42"))
        #expect(!EvalScoring.matches("12 15 42", expected: "42"))
        #expect(!EvalScoring.matches("42\n17", expected: "42"))
        #expect(EvalScoring.matches("Answer: racecar", expected: "racecar"))
    }
}
