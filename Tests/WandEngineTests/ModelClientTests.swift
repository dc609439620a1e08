import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("OpenAI-compatible client against a fault-injecting server", .serialized)
struct ModelClientTests {
    func client(_ server: FakeModelServer, _ scenario: String, policy: RequestPolicy = RequestPolicy(backoff: 0.05),
                apiKey: String? = nil) -> OpenAICompatibleModel {
        OpenAICompatibleModel(endpoint: ModelEndpoint(profile: "fake", baseURL: server.baseURL(scenario), model: "fake",
                                                      apiKey: apiKey), policy: policy)
    }

    func collect(_ model: OpenAICompatibleModel) async -> (deltas: [String], notices: [String], result: GenerationResult?, error: (any Error)?) {
        var deltas: [String] = []
        var notices: [String] = []
        var result: GenerationResult?
        do {
            for try await event in model.generate(GenerationRequest(messages: [ChatMessage(.user, "hi")], maxTokens: 50)) {
                switch event {
                case .delta(let text): deltas.append(text)
                case .notice(let text): notices.append(text)
                case .finished(let finished): result = finished
                }
            }
            return (deltas, notices, result, nil)
        } catch {
            return (deltas, notices, result, error)
        }
    }

    @Test("chunked deltas arrive in order and end with usage and timing")
    func chunked() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let outcome = await collect(client(server, "chunked"))
        #expect(outcome.error == nil)
        #expect(outcome.deltas == ["Hel", "lo", ", ", "wor", "ld"])
        let result = try #require(outcome.result)
        #expect(result.text == "Hello, world")
        #expect(result.usage == TokenUsage(prompt: 11, completion: 3))
        #expect(result.finishReason == "stop")
        #expect(result.firstTokenMs != nil)
        #expect(result.totalMs >= (result.firstTokenMs ?? 0))
    }

    @Test("the request carries max_tokens, the messages and the bearer key")
    func requestShape() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let outcome = await collect(client(server, "echo", apiKey: "sk-test-123456"))
        let echoed = try #require(outcome.result?.text)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(echoed.utf8)) as? [String: Any])
        #expect(object["max_tokens"] as? Int == 50)
        #expect(object["messages"] as? Int == 1)
        #expect(object["auth"] as? String == "Bearer sk-test-123456")
    }

    @Test("a stream cut mid-way is a clear error that keeps the partial text count")
    func cut() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let outcome = await collect(client(server, "cut"))
        #expect(outcome.deltas == ["partial ", "answ"])
        let error = try #require(outcome.error as? ModelError)
        guard case .incomplete(_, let partial) = error else {
            Issue.record("expected .incomplete, got \(error)")
            return
        }
        #expect(partial == "partial answ")
        #expect(error.description.contains("closed the stream before the reply was complete"))
        #expect(try await server.count("cut") == 1, "no retry once tokens were streamed")
    }

    @Test("malformed event lines and comments are skipped with a notice; the reply completes")
    func malformed() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let outcome = await collect(client(server, "malformed"))
        #expect(outcome.error == nil)
        #expect(outcome.result?.text == "good still fine")
        #expect(outcome.notices.count == 1)
        #expect(outcome.notices.first?.contains("{this is not json") == true)
    }

    @Test("HTTP 500 before the first token is retried, then succeeds")
    func retryOn500() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let outcome = await collect(client(server, "fail-once"))
        #expect(outcome.result?.text == "recovered")
        #expect(outcome.notices.count == 1)
        #expect(outcome.notices.first?.hasPrefix("HTTP 500; retrying") == true)
        #expect(try await server.count("fail-once") == 2)
    }

    @Test("HTTP 429 honours Retry-After")
    func rateLimited() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let start = Date()
        let outcome = await collect(client(server, "rate-limit"))
        #expect(outcome.result?.text == "after the wait")
        #expect(Date().timeIntervalSince(start) >= 0.95, "waited the second the server asked for")
    }

    @Test("persistent 5xx ends with the status and body after the allowed attempts")
    func persistent503() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let outcome = await collect(client(server, "always-503", policy: RequestPolicy(maxAttempts: 3, backoff: 0.01)))
        #expect(outcome.error as? ModelError == .http(server: server.baseURL("always-503").absoluteString, status: 503,
                                                      body: "{\"error\": {\"message\": \"overloaded\"}}"))
        #expect(try await server.count("always-503") == 3)
    }

    @Test("a 4xx is not retried and its message never shows the API key")
    func badRequestRedacted() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let outcome = await collect(client(server, "bad-request", apiKey: "sk-secret-abcdef"))
        let error = try #require(outcome.error as? ModelError)
        #expect(error.description.contains("HTTP 400"))
        #expect(error.description.contains("[redacted]"))
        #expect(!error.description.contains("sk-secret-abcdef"))
        #expect(try await server.count("bad-request") == 1)
    }

    @Test("a server that never answers hits the deadline and nothing hangs")
    func deadline() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let start = Date()
        let outcome = await collect(client(server, "hang", policy: RequestPolicy(idleTimeout: 30, deadline: 1.5)))
        let error = try #require(outcome.error as? ModelError)
        guard case .deadline = error else {
            Issue.record("expected .deadline, got \(error)")
            return
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test("nobody listening: a clear unreachable error after the retries")
    func refused() async throws {
        let model = OpenAICompatibleModel(
            endpoint: ModelEndpoint(profile: "dead", baseURL: URL(string: "http://127.0.0.1:9/v1")!, model: "m", apiKey: nil),
            policy: RequestPolicy(maxAttempts: 2, backoff: 0.01))
        let outcome = await collect(model)
        let error = try #require(outcome.error as? ModelError)
        guard case .unreachable(_, _, let attempts) = error else {
            Issue.record("expected .unreachable, got \(error)")
            return
        }
        #expect(attempts == 2)
        #expect(error.description.hasPrefix("cannot reach the model server at http://127.0.0.1:9/v1"))
    }

    @Test("cancelling mid-stream stops the request at once and the server sees the client go")
    func cancellation() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let model = client(server, "slow")
        let consumer = Task { () -> Int in
            var count = 0
            do {
                for try await event in model.generate(GenerationRequest(messages: [ChatMessage(.user, "hi")])) {
                    if case .delta = event { count += 1 }
                }
            } catch {}
            return count
        }
        try await Task.sleep(for: .milliseconds(400))
        let cancelledAt = Date()
        consumer.cancel()
        let received = await consumer.value
        #expect(Date().timeIntervalSince(cancelledAt) < 1)
        #expect(received > 0 && received < 100)
        var seen = 0
        for _ in 0..<40 where seen == 0 {
            seen = try await server.count("slow-cancelled")
            if seen == 0 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(seen == 1, "the server noticed the closed connection")
    }

    @Test("server-sent event parsing is independent of how bytes are chunked", arguments: [1, 2, 3, 7, 64])
    func sseChunking(size: Int) {
        let stream = ": comment\r\ndata: one\r\n\r\nevent: x\ndata: two\ndata: lines\n\ndata: [DONE]\n\n"
        var parser = ServerSentEventParser()
        var events: [String] = []
        let bytes = Array(stream.utf8)
        var index = 0
        while index < bytes.count {
            events += parser.feed(bytes[index..<min(bytes.count, index + size)])
            index += size
        }
        events += parser.finish()
        #expect(events == ["one", "two\nlines", "[DONE]"])
    }
}
