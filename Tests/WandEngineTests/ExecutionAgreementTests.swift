import Foundation
import Testing
@testable import WandEngine
import WandTestSupport

@Suite("Execution agreement", .serialized)
struct ExecutionAgreementTests {
    @Test("the consensus set with the most (candidates × tests passed) wins; ties go to the preferred candidate")
    func dualAgreement() {
        let t = true
        let f = false
        #expect(ExecutionAgreement.choose([[t, t, f], [t, t, f], [t, f, f], [f, f, f]]) == 0)
        #expect(ExecutionAgreement.choose([[t, t, f], [t, t, f], [t, f, f], [f, f, f]], preferred: 1) == 1)
        #expect(ExecutionAgreement.choose([[t, t, f], [t, t, f], [t, f, f], [f, f, f]], preferred: 2) == 0,
                "the preferred candidate only wins within the best set")
        #expect(ExecutionAgreement.choose([[f, f, f], [t, t, t], [f, f, f], [f, f, f]]) == 1,
                "three that agree on failing everything score nothing")
        #expect(ExecutionAgreement.choose([[t, t, t], [t, f, f], [t, f, f], [t, f, f]]) == 0, "3 × 1 ties 1 × 3: the first set")
        #expect(ExecutionAgreement.choose([[t, t, t], [t, f, f], [t, f, f], [t, f, f]], preferred: 3) == 3)
        #expect(ExecutionAgreement.choose([[f, f], [f, t], [f, t], [t, f]]) == 1, "2 × 1 beats 1 × 1")
        #expect(ExecutionAgreement.choose([[f], [f]], preferred: 1) == 1, "no test passed by anyone: the largest set")
        #expect(ExecutionAgreement.choose([]) == 0)
    }

    @Test("only the model's asserts that call the entry point become tests")
    func modelAsserts() {
        let reply = "Here are tests:\n```python\nassert is_even(2) == True\nassert True\nprint(is_even(3))\n  assert is_even(3) is False\n```"
        #expect(ExecutionAgreement.asserts(in: reply, calling: "is_even") == "assert is_even(2) == True\nassert is_even(3) is False")
        #expect(ExecutionAgreement.asserts(in: "no tests here", calling: "is_even") == nil)
    }

    /// A task with no examples; the hidden check needs `is_even` right.
    static let parity = EvalTask(id: "P/0", prompt: "def is_even(n):\n    \"\"\"Whether n is even.\"\"\"\n",
                                 check: .tests(source: "def check(candidate):\n    assert candidate(4)\n    assert not candidate(7)\n",
                                               entryPoint: "is_even"))

    /// Greedy is wrong; of the samples, two are right and one repeats greedy's mistake; the model's
    /// tests (one of them wrong) are mostly right.
    struct ParityModel: LanguageModel {
        let descriptor = ModelDescriptor(profile: "scripted", name: "scripted", baseURL: "memory")
        let samples = Locked(0)

        static let wrong = "```python\ndef is_even(n):\n    return n % 2 == 1\n```"
        static let right = "```python\ndef is_even(n):\n    return n % 2 == 0\n```"
        static let rightToo = "```python\ndef is_even(n):\n    return not n & 1\n```"
        static let tests = "```python\nassert is_even(2)\nassert not is_even(3)\nassert is_even(0)\nassert is_even(5)\n```"

        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
            let reply: String
            if request.messages.first?.content == Prompts.testWriterSystem {
                reply = Self.tests
            } else if (request.temperature ?? 0) == 0 {
                reply = Self.wrong
            } else {
                let index = samples.withLock { count in
                    defer { count += 1 }
                    return count
                }
                reply = [Self.right, Self.wrong, Self.rightToo][index % 3]
            }
            return AsyncThrowingStream { continuation in
                continuation.yield(.delta(reply))
                continuation.yield(.finished(GenerationResult(text: reply, usage: TokenUsage(prompt: 30, completion: 15),
                                                              firstTokenMs: 1, totalMs: 1, finishReason: "stop")))
                continuation.finish()
            }
        }
    }

    @Test("without examples, best chooses by agreement where direct takes the greedy mistake; the report shows the oracle")
    func bestByAgreement() async throws {
        let directory = try FixtureSessions.temporaryDirectory("eval-agreement")
        let runner = EvalRunner(directory: EvalRunDirectory(url: directory), model: ParityModel(),
                                settings: AgentSettings(maxSteps: 10, maxRepairs: 1, samples: 3), limits: ExecutionLimits(timeout: 10),
                                parallel: 1) { _ in try ExecutorFixtures.make() }
        let results = try await runner.run(tasks: [Self.parity], strategies: [.direct, .best]) { _ in }
        let direct = try #require(results.first { $0.strategy == "direct" })
        let best = try #require(results.first { $0.strategy == "best" })
        #expect(!direct.passed && direct.oracle == false && direct.candidates == 1)
        #expect(best.passed, "two right samples agree on 3 of the model's 4 tests; greedy and its twin pass 1")
        #expect(best.oracle == true && best.candidates == 3, "greedy, and the two distinct right samples")

        let events = try SessionReader().load(directory.appendingPathComponent(best.session)).events
        let selection = events.compactMap { record -> String? in
            if case .feedbackSent(let feedback) = record.event, feedback.kind == .selection { return feedback.text }
            return nil
        }
        #expect(selection == ["Chose by agreement on 4 tests the model wrote: 2 of 3 candidates behave like the chosen one, which passes 3 of them."])

        let report = EvalReport.markdown(title: "t", results: results, details: [:])
        #expect(report.contains("| strategy | mean candidates | oracle | passed | of the oracle |"))
        #expect(report.contains("| direct | 1.00 | 0 | 0 | – |"))
        #expect(report.contains("| best | 3.00 | 1 | 1 | 100.0% |"))
    }

    @Test("with examples, best answers the greedy completion when it passes them all, with one model call")
    func greedyFirst() async throws {
        let task = EvalTask(id: "P/1", prompt: Self.parity.prompt, check: Self.parity.check, visibleTests: "assert is_even(6)")
        struct RightModel: LanguageModel {
            let descriptor = ModelDescriptor(profile: "scripted", name: "scripted", baseURL: "memory")
            func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
                let reply = (request.temperature ?? 0) == 0 ? ParityModel.right : ParityModel.wrong
                return AsyncThrowingStream { continuation in
                    continuation.yield(.finished(GenerationResult(text: reply, usage: TokenUsage(prompt: 30, completion: 15),
                                                                  firstTokenMs: 1, totalMs: 1, finishReason: "stop")))
                    continuation.finish()
                }
            }
        }
        let directory = try FixtureSessions.temporaryDirectory("eval-greedy-first")
        let runner = EvalRunner(directory: EvalRunDirectory(url: directory), model: RightModel(),
                                settings: AgentSettings(maxSteps: 10, maxRepairs: 1, samples: 3), limits: ExecutionLimits(timeout: 10),
                                parallel: 1) { _ in try ExecutorFixtures.make() }
        let results = try await runner.run(tasks: [task], strategies: [.best]) { _ in }
        #expect(results.map(\.passed) == [true])
        #expect(results.map(\.modelCalls) == [1])
        #expect(results.map(\.attempts) == [1])
    }
}
