import Foundation
import Testing
@testable import WandEngine
import WandTestSupport

@Suite("Balanced model", .serialized)
struct BalancedModelTests {
    @Test("requests go to the server with the fewest in flight, idle servers in turn")
    func leastInFlight() {
        let pool = EndpointPool(count: 3)
        let first = pool.acquire().index
        let second = pool.acquire().index
        let third = pool.acquire().index
        #expect([first, second, third] as [Int] == [0, 1, 2], "idle servers take turns")
        pool.release(1, outcome: .succeeded, cooldown: .seconds(1), maximumCooldown: .seconds(8))
        #expect(pool.acquire().index == 1, "the one with nothing in flight")
        #expect(pool.acquire().index == 2, "all have one: the turn goes on after the last chosen")
        #expect(pool.snapshot.map(\.inFlight) == [1, 1, 2])
        #expect(pool.acquire().index == 0)
        #expect(pool.acquire().index == 1)
        #expect(pool.snapshot.map(\.inFlight) == [2, 2, 2])
    }

    @Test("a failing server is taken out, for longer after each failure in a row, and back after its cooldown")
    func takenOutAndBack() {
        let pool = EndpointPool(count: 2)
        let start = ContinuousClock.now
        let cooldown = Duration.seconds(1)
        let maximum = Duration.seconds(3)
        _ = pool.acquire(now: start)
        pool.release(0, outcome: .failed, cooldown: cooldown, maximumCooldown: maximum, now: start)
        #expect(pool.snapshot[0].outUntil == start + .seconds(1))
        for _ in 0..<3 {
            let (index, returnsAt) = pool.acquire(now: start + .milliseconds(500))
            #expect(index == 1 && returnsAt == nil, "while out, the other server gets every request")
            pool.release(index, outcome: .succeeded, cooldown: cooldown, maximumCooldown: maximum)
        }
        #expect(pool.acquire(now: start + .milliseconds(1_100)).index == 0, "after the cooldown it gets requests again")
        pool.release(0, outcome: .failed, cooldown: cooldown, maximumCooldown: maximum, now: start + .seconds(2))
        #expect(pool.snapshot[0].outUntil == start + .seconds(4), "a second failure in a row: twice the cooldown")
        _ = pool.acquire(now: start + .seconds(5))
        pool.release(0, outcome: .failed, cooldown: cooldown, maximumCooldown: maximum, now: start + .seconds(5))
        #expect(pool.snapshot[0].outUntil == start + .seconds(8), "at most the maximum cooldown")
        _ = pool.acquire(now: start + .seconds(9))
        pool.release(0, outcome: .succeeded, cooldown: cooldown, maximumCooldown: maximum)
        #expect(pool.snapshot[0].failures == 0 && pool.snapshot[0].outUntil == nil, "a success puts it back for good")

        let allOut = EndpointPool(count: 2)
        for index in 0..<2 {
            _ = allOut.acquire(now: start)
            allOut.release(index, outcome: .failed, cooldown: .seconds(index + 1), maximumCooldown: maximum, now: start)
        }
        let (index, returnsAt) = allOut.acquire(now: start)
        #expect(index == 0 && returnsAt == start + .seconds(1), "all out: the first to return, and when")
    }

    @Test("several servers: --endpoint (repeatable) and a profile's base_urls")
    func endpoints() throws {
        let profile = try ModelSelection(model: "qwen", endpoints: ["http://10.0.0.1:8000/v1", "http://10.0.0.2:8000/v1"])
            .resolve(config: .empty, environment: [:])
        #expect(profile.baseURLs.map(\.absoluteString) == ["http://10.0.0.1:8000/v1", "http://10.0.0.2:8000/v1"])
        #expect(profile.model == "qwen" && !profile.isEmbedded)
        #expect(ModelRuntime(profile: profile, paths: WandPaths()).model is BalancedModel)
        let one = try ModelSelection(baseURL: "http://127.0.0.1:9/v1").resolve(config: .empty, environment: [:])
        #expect(ModelRuntime(profile: one, paths: WandPaths()).model is OpenAICompatibleModel)
        #expect(throws: ModelError.configuration("--endpoint `vllm:8000` is not an http(s) URL")) {
            try ModelSelection(endpoints: ["http://a:1/v1", "vllm:8000"]).resolve(config: .empty, environment: [:])
        }

        let config = try WandConfig.parse(TOMLDocument(source: """
            [profiles.replicas]
            base_urls = ["http://gpu-0:8000/v1", "http://gpu-1:8000/v1"]
            model = "Qwen/Qwen2.5-Coder-0.5B-Instruct"
            """, file: "config.toml"))
        #expect(config.profiles["replicas"]?.baseURLs.count == 2)
        #expect(config.profiles["replicas"]?.baseURL?.absoluteString == "http://gpu-0:8000/v1")
        #expect(throws: ConfigFileError(file: "config.toml", line: 2, message: "`base_urls` must be a non-empty list of http(s) URLs")) {
            try WandConfig.parse(TOMLDocument(source: "[profiles.r]\nbase_urls = [\"gpu-0:8000\"]\nmodel = \"m\"\n", file: "config.toml"))
        }
        #expect(throws: ConfigFileError.self) {
            try WandConfig.parse(TOMLDocument(source: "[profiles.r]\nbase_url = \"http://a/v1\"\nbase_urls = [\"http://b/v1\"]\nmodel = \"m\"\n",
                                              file: "config.toml"))
        }
    }

    @Test("which failures take a server out: the server's, not the request's")
    func failureKinds() {
        #expect(BalancedModel.takesServerOut(.unreachable(server: "s", reason: "refused", attempts: 1)))
        #expect(BalancedModel.takesServerOut(.incomplete(server: "s", partial: "half")))
        #expect(BalancedModel.takesServerOut(.http(server: "s", status: 503, body: "")))
        #expect(BalancedModel.takesServerOut(.http(server: "s", status: 429, body: "")))
        #expect(!BalancedModel.takesServerOut(.http(server: "s", status: 400, body: "context too long")))
        #expect(!BalancedModel.takesServerOut(.http(server: "s", status: 401, body: "")))
        #expect(!BalancedModel.takesServerOut(.cancelled))
    }

    static func client(_ url: URL) -> OpenAICompatibleModel {
        OpenAICompatibleModel(endpoint: ModelEndpoint(profile: "replicas", baseURL: url, model: "m", apiKey: nil),
                              policy: RequestPolicy(idleTimeout: 10, deadline: 30, maxAttempts: 1))
    }

    static let heldText = (0..<30).map { "tick\($0) " }.joined()

    @Test("a server killed while its streams are in flight: every request completes on the other, which then gets all new requests")
    func killedMidStream() async throws {
        let a = try await FakeModelServer.start()
        let b = try await FakeModelServer.start()
        defer { Task { await b.stop() } }
        let model = BalancedModel(servers: [Self.client(a.baseURL("held")), Self.client(b.baseURL("held"))],
                                  cooldown: .seconds(30))
        #expect(model.descriptor.baseURL == "\(a.baseURL("held").absoluteString), \(b.baseURL("held").absoluteString)")
        let notices = Locked<[String]>([])
        let requests = (0..<4).map { _ in
            Task {
                var text = ""
                var final = ""
                for try await event in model.generate(GenerationRequest(messages: [ChatMessage(.user, "tick")], maxTokens: 64)) {
                    switch event {
                    case .delta(let delta): text += delta
                    case .notice(let notice): notices.withLock { $0.append(notice) }
                    case .finished(let result): final = result.text
                    }
                }
                return (text, final)
            }
        }
        while try await a.count("held") < 2 { try await Task.sleep(for: .milliseconds(20)) }
        while try await b.count("held") < 2 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(model.requestsInFlight == [2, 2])
        await a.stop()
        // The two cut requests are asked again on b; only then may b's streams finish.
        let deadline = ContinuousClock.now + .seconds(60)
        while try await b.count("held") < 4, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await b.release()
        for request in requests {
            let (streamed, final) = try await request.value
            #expect(final == Self.heldText, "the complete reply")
            #expect(streamed.hasSuffix(Self.heldText))
        }
        #expect(try await b.count("held") == 4, "the two cut requests were asked again on the other server")
        #expect(notices.withLock { $0 }.count == 2)
        #expect(notices.withLock { $0 }.allSatisfy { $0.contains("the stream was cut") && $0.contains("the reply starts again") })
        #expect(model.takenOut == [true, false])

        for _ in 0..<2 {
            let result = try await model.complete(GenerationRequest(messages: [ChatMessage(.user, "tick")], maxTokens: 64))
            #expect(result.text == Self.heldText)
        }
        #expect(try await b.count("held") == 6, "while out, the dead server gets no requests")
        #expect(notices.withLock { $0 }.count == 2)
    }

    @Test("a request to a server that is down goes to the other at once")
    func downFromTheStart() async throws {
        let live = try await FakeModelServer.start()
        defer { Task { await live.stop() } }
        let dead = URL(string: "http://127.0.0.1:\(try LocalModelServer.freeLoopbackPort())/v1")!
        let model = BalancedModel(servers: [Self.client(dead), Self.client(live.baseURL("chunked"))])
        let started = ContinuousClock.now
        var notices: [String] = []
        var text = ""
        for try await event in model.generate(GenerationRequest(messages: [ChatMessage(.user, "hi")], maxTokens: 16)) {
            if case .notice(let notice) = event { notices.append(notice) }
            if case .finished(let result) = event { text = result.text }
        }
        #expect(text == "Hello, world")
        #expect(notices.count == 1 && notices[0].contains(dead.absoluteString))
        #expect(ContinuousClock.now - started < .seconds(5), "no backoff spent on the dead server")
        #expect(model.takenOut == [true, false])
    }

    @Test("a request the server refuses (HTTP 400) fails without taking the server out")
    func requestErrorsPassThrough() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let model = BalancedModel(servers: [Self.client(server.baseURL("bad-request")), Self.client(server.baseURL("bad-request"))])
        await #expect(throws: ModelError.self) {
            _ = try await model.complete(GenerationRequest(messages: [ChatMessage(.user, "hi")], maxTokens: 16))
        }
        #expect(try await server.count("bad-request") == 1, "not retried elsewhere: every server would refuse it")
        #expect(model.takenOut == [false, false])
    }

    /// What the eval runs: answers that a program computes (`naive` runs it once and takes its output).
    static let answerTasks = (0..<8).map { index in
        EvalTask(id: "A/\(index)", prompt: "What is 6 times 7? (\(index))", check: .answer("42"))
    }

    @Test("an eval spread over two servers completes on one when the other is killed mid-run")
    func evalSurvivesKilledEndpoint() async throws {
        let a = try await FakeModelServer.start()
        let b = try await FakeModelServer.start()
        defer { Task { await b.stop() } }
        let model = BalancedModel(servers: [Self.client(a.baseURL("agent")), Self.client(b.baseURL("agent"))], cooldown: .seconds(30))
        let directory = try FixtureSessions.temporaryDirectory("eval-endpoints")
        let runner = EvalRunner(directory: EvalRunDirectory(url: directory), model: model,
                                settings: AgentSettings(maxSteps: 6, maxRepairs: 1, samples: 2), limits: ExecutionLimits(timeout: 10),
                                parallel: 2) { _ in try ExecutorFixtures.make() }
        let run = Task { try await runner.run(tasks: Self.answerTasks, strategies: [.naive]) { _ in } }
        while EvalRunDirectory(url: directory).loadResults().count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await a.count("agent") >= 1, "both servers took requests before one died")
        await a.stop()
        let results = try await run.value
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0.status == "answered" && $0.passed }, "\(results.map { "\($0.task) \($0.status)" })")
        #expect(model.takenOut == [true, false])
    }
}

@Suite("Balanced model with llama-server", .serialized)
struct BalancedLlamaServerTests {
    /// Small code tasks: `direct` asks for one completion each, nothing runs but the hidden check.
    static let tasks = [("add", "a + b"), ("sub", "a - b"), ("mul", "a * b")].enumerated().map { index, entry in
        EvalTask(id: "L/\(index)", prompt: "def \(entry.0)(a, b):\n    \"\"\"Returns \(entry.1).\"\"\"\n",
                 check: .tests(source: "def check(candidate):\n    assert candidate(7, 3) == (lambda a, b: \(entry.1))(7, 3)\n",
                               entryPoint: entry.0))
    }

    @Test("two llama-servers: one is killed while it generates, and the eval completes on the other", .requires(.model))
    func killedLlamaServer() async throws {
        let layout = Requirement.modelLayout
        // Two slots each, so that when one server is gone both requests in flight run on the other at
        // once instead of one waiting in its queue; on a loaded machine that wait can outlast a timeout.
        let first = LocalModelServer(layout: layout, contextSize: 4_096, parallel: 2)
        let second = LocalModelServer(layout: layout, contextSize: 4_096, parallel: 2)
        defer { Task { await first.stop(); await second.stop() } }
        let urls = [try await first.ensureRunning(), try await second.ensureRunning()]
        let model = BalancedModel(servers: urls.map { url in
            OpenAICompatibleModel(endpoint: ModelEndpoint(profile: "local", baseURL: url, model: "qwen2.5-coder-0.5b-instruct",
                                                          apiKey: nil, temperature: 0, maxTokens: 96),
                                  policy: RequestPolicy(idleTimeout: 300, deadline: 600, maxAttempts: 1))
        }, cooldown: .seconds(900))
        let directory = try FixtureSessions.temporaryDirectory("eval-llama-endpoints")
        let runner = EvalRunner(directory: EvalRunDirectory(url: directory), model: model,
                                settings: AgentSettings(maxSteps: 4, maxRepairs: 0, samples: 1, maxReplyTokens: 64),
                                limits: ExecutionLimits(timeout: 10), parallel: 2) { _ in try ExecutorFixtures.make() }
        let run = Task { try await runner.run(tasks: Self.tasks, strategies: [.direct]) { _ in } }
        while model.requestsInFlight[0] == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await first.stop()
        let results = try await run.value
        #expect(results.count == 3)
        #expect(results.allSatisfy { $0.status == "answered" }, "\(results.map { "\($0.task) \($0.status)" })")
        #expect(model.takenOut == [true, false], "the killed server is out; the live one never was")
        let notices = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") && $0.hasPrefix("sessions/") }
            .flatMap { path in try SessionReader().load(directory.appendingPathComponent(path)).events }
            .compactMap { record -> String? in
                if case .notice(let notice) = record.event, notice.message.contains(urls[0].absoluteString) { return notice.message }
                return nil
            }
        #expect(!notices.isEmpty, "the session that lost its server says so")
    }
}
