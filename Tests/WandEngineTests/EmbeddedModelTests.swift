import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Embedded model (real llama.cpp and Qwen2.5-Coder-0.5B)", .serialized, .requires(.model))
struct EmbeddedModelTests {
    @Test("a short prompt streams a non-empty answer with usage figures, and the server stops with Wand")
    func streamsAnAnswer() async throws {
        let layout = Requirement.modelLayout
        let server = LocalModelServer(layout: layout, contextSize: 4_096, parallel: 1)
        let model = EmbeddedModel(server: server)
        var deltas = 0
        var result: GenerationResult?
        for try await event in model.generate(GenerationRequest(
            messages: [ChatMessage(.user, "Write one line of Python that prints 6*7.")], temperature: 0, maxTokens: 64)) {
            switch event {
            case .delta: deltas += 1
            case .notice: break
            case .finished(let finished): result = finished
            }
        }
        let finished = try #require(result)
        #expect(deltas > 1, "the reply streamed in several deltas")
        #expect(!finished.text.isEmpty)
        #expect(finished.usage.prompt > 0)
        #expect(finished.usage.completion > 0)
        #expect(finished.firstTokenMs.map { $0 > 0 && $0 <= finished.totalMs } == true)
        let pid = try #require(await server.pid)
        #expect(kill(pid, 0) == 0)
        await server.stop()
        #expect(kill(pid, 0) != 0, "no server process is left behind")
    }

    @Test("the server listens on loopback only, and the next request after it is killed starts a new one")
    func restartsAfterDeath() async throws {
        let layout = Requirement.modelLayout
        let server = LocalModelServer(layout: layout, contextSize: 2_048, parallel: 1)
        let url = try await server.ensureRunning()
        #expect(url.host == "127.0.0.1")
        let first = try #require(await server.pid)
        kill(first, SIGKILL)
        let reply = try await EmbeddedModel(server: server).complete(
            GenerationRequest(messages: [ChatMessage(.user, "Say hi.")], temperature: 0, maxTokens: 8))
        #expect(!reply.text.isEmpty)
        let second = try #require(await server.pid)
        #expect(second != first)
        #expect(await server.restarts == 1)
        await server.stop()
    }

    @Test("a busy server is not restarted: asking for it again returns the same process")
    func busyServerIsKept() async throws {
        let layout = Requirement.modelLayout
        let server = LocalModelServer(layout: layout, contextSize: 2_048, parallel: 1)
        _ = try await server.ensureRunning()
        let pid = try #require(await server.pid)
        kill(pid, SIGSTOP)
        _ = try await server.ensureRunning()
        #expect(await server.pid == pid, "a stopped (unresponsive) server is still the same process")
        kill(pid, SIGCONT)
        await server.stop()
    }
}
