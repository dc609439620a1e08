import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("End to end: wand run with the embedded model", .serialized)
struct AgentEndToEndTests {
    @Test("the Fibonacci goal is answered with 832040, using code, as JSON Lines", .requires(.model))
    func fibonacci() async throws {
        let data = try WandProcess.isolatedDataHome()
        let result = try await WandProcess.run(["run", "What is the 30th Fibonacci number (F1 = F2 = 1)? Use code.", "--json"],
                                               environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let codec = EventLineCodec()
        let events = try result.stdout.split(separator: "\n").map { try codec.decodeLine(Data($0.utf8)) }
        let answer = events.compactMap { if case .answer(let answer) = $0.event { answer.text } else { nil } }.last
        #expect(answer?.contains("832040") == true, "answer: \(answer ?? "none")")
        #expect(events.contains { if case .execFinished = $0.event { true } else { false } }, "at least one execution")
        let saved = try SessionReader().load(SessionDirectory(url: data.appendingPathComponent("wand/sessions")).sessionFiles()[0])
        #expect(saved.events.map(\.event) == events.map(\.event), "the session file holds the same events")
    }

    /// Goals of the public benchmark that the default answered in the measured run, of four kinds: a
    /// smoke test that the default works end to end.
    static let benchmarkGoals = ["arith-01", "dates-01", "strings-02", "geom-01"]

    @Test("the default strategy answers goals from the benchmark correctly, and says where each answer came from", .requires(.model))
    func defaultOnBenchmarkGoals() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/goals/goals.jsonl")
        let (tasks, errors) = TaskFile.parse(try String(contentsOf: file, encoding: .utf8), file: file.path)
        #expect(errors.isEmpty)
        for id in Self.benchmarkGoals {
            let task = try #require(tasks.first { $0.id == id })
            guard case .answer(let expected) = task.check else { Issue.record("\(id) has no answer"); continue }
            let data = try WandProcess.isolatedDataHome()
            let result = try await WandProcess.run(["run", task.prompt, "--json"], environment: ["XDG_DATA_HOME": data.path])
            #expect(result.status == 0, "\(id): \(result.stderr)")
            let events = try result.stdout.split(separator: "\n").map { try EventLineCodec().decodeLine(Data($0.utf8)) }
            let strategy = events.compactMap { if case .runStarted(let run) = $0.event { run.strategy } else { nil } }.first
            #expect(strategy == "auto")
            let answer = events.compactMap { if case .answer(let answer) = $0.event { answer } else { nil } }.last
            #expect(answer.map { EvalScoring.matches($0.text, expected: expected) } == true,
                    "\(id): answered \(answer?.text ?? "nothing"), expected \(expected)")
            #expect(answer?.source != nil, "\(id): the answer records where it came from")
        }
    }

    @Test("a tdd run with a provided test file ends with all tests passing", .requires(.model))
    func tdd() async throws {
        let data = try WandProcess.isolatedDataHome()
        let tests = data.appendingPathComponent("test_median.py")
        try """
            assert median([3, 1, 2]) == 2
            assert median([4, 1, 3, 2]) == 2.5
            assert median([7]) == 7
            assert median([]) is None
            """.write(to: tests, atomically: true, encoding: .utf8)
        let result = try await WandProcess.run(["run", "Write a Python function median(numbers) that returns the median of a list of numbers, or None for an empty list.",
                                                "--strategy", "tdd", "--tests", tests.path, "--json"],
                                               environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let events = try result.stdout.split(separator: "\n").map { try EventLineCodec().decodeLine(Data($0.utf8)) }
        let last = events.compactMap { if case .execFinished(let finished) = $0.event { finished } else { nil } }.last
        let cases = try #require(last?.tests)
        #expect(cases.count == 4)
        #expect(cases.allSatisfy { $0.error == nil })
    }

    @Test("no API key from the environment is written anywhere under the data directory or printed")
    func apiKeyNeverWritten() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-key")
        let key = "sk-wand-secret-\(UUID().uuidString)"
        let result = try await WandProcess.run(["run", "Say hello.", "--base-url", server.baseURL("chunked").absoluteString,
                                                "--model", "fake", "--api-key-env", "WAND_TEST_KEY", "--max-steps", "2", "--json"],
                                               environment: ["XDG_DATA_HOME": data.path, "WAND_TEST_KEY": key, "OPENAI_API_KEY": key])
        #expect([0, 1, 3].contains(result.status), "it ran: \(result.stderr)")
        #expect(!result.stdout.contains(key))
        #expect(!result.stderr.contains(key))
        let files = FileManager.default.enumerator(at: data, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        let sessions = files.filter { $0.pathExtension == "jsonl" }
        #expect(!sessions.isEmpty, "a session was written")
        for file in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let contents = (try? Data(contentsOf: file)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            #expect(!contents.contains(key), "\(file.path) holds the key")
        }
    }

    @Test("usage errors exit with status 2 and say what was wrong")
    func usageError() async throws {
        let result = try await WandProcess.run(["run", "x", "--strategy", "magic"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("magic"))
    }

    @Test("a dead model server is a clear error, not a crash")
    func deadServer() async throws {
        let data = try FixtureSessions.temporaryDirectory("wand-dead")
        let result = try await WandProcess.run(["run", "x", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"],
                                               environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot reach the model server at http://127.0.0.1:9/v1"))
    }

    @Test("when wand is killed with SIGKILL, its model server and sandbox die with it", .requires(.model))
    func noOrphans() async throws {
        let data = try WandProcess.isolatedDataHome()
        let run = Task {
            try await WandProcess.run(["run", "Print the numbers 1 to 3 with Python, slowly: sleep 20 seconds first.", "--json"],
                                      environment: ["XDG_DATA_HOME": data.path])
        }
        var serverPID: Int32?
        var wandPID: Int32?
        for _ in 0..<300 where serverPID == nil {
            try await Task.sleep(for: .milliseconds(100))
            serverPID = ProcessTable.pids(commandContaining: data.path + "/wand/models").first
            wandPID = ProcessTable.pids(commandContaining: "wand run Print the numbers 1 to 3").first
        }
        let server = try #require(serverPID, "the model server started")
        let wand = try #require(wandPID)
        let serverCommand = String(decoding: (FileManager.default.contents(atPath: "/proc/\(server)/cmdline") ?? Data()).map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        #expect(serverCommand.contains("llama-server"), "found the model server, not \(serverCommand)")
        let sandbox = try #require(ProcessTable.pids(commandContaining: data.path + "/wand/workspaces").first,
                                   "the sandboxed kernel started")
        kill(wand, SIGKILL)
        _ = try? await run.value
        for pid in [server, sandbox] {
            var alive = true
            for _ in 0..<50 where alive {
                alive = kill(pid, 0) == 0 && !ProcessTable.isZombie(pid)
                if alive { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(!alive, "process \(pid) outlived wand")
        }
    }
}
