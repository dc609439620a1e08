import Foundation
import Testing
import WandEngine
@testable import WandExport
import WandTestSupport

/// The chat-jsonl export: real runs (a scripted model, the real executor) become examples holding exactly
/// what the model was sent; the schema; which runs count; older sessions re-enacted, and refused when the
/// re-enactment does not reproduce them.
@Suite("Chat training export", .serialized)
struct ChatTrainingExportTests {
    struct Recorded {
        var loaded: LoadedSession
        var requests: [GenerationRequest]
    }

    /// Runs goals through the real agent loop and returns the session as if loaded from a file.
    static func record(_ strategy: StrategyName, goals: [String] = ["What is 6 * 7?"], settings: AgentSettings = AgentSettings(maxRepairs: 1),
                       respond: @escaping @Sendable (GenerationRequest, Int) -> String) async throws -> Recorded {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 20, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collector = EventCollector(listeningTo: recorder)
        let model = ScriptedModel(respond: respond)
        let session = AgentSession(id: "chat-export", recorder: recorder, model: model, executor: executor, limits: executor.limits)
        for goal in goals { _ = await session.run(goal: goal, strategy: strategy, settings: settings) }
        await session.finish()
        return Recorded(loaded: LoadedSession(url: URL(fileURLWithPath: "/tmp/chat-export.jsonl"), events: collector.records, problems: []),
                        requests: model.requests)
    }

    static func replies(_ replies: [String]) -> @Sendable (GenerationRequest, Int) -> String {
        { _, index in replies[min(index, replies.count - 1)] }
    }

    static let code42 = "Let me compute it.\n```python\nprint(6 * 7)\n```"

    /// The session as written before `model.started` carried the messages.
    static func withoutMessages(_ loaded: LoadedSession) -> LoadedSession {
        var old = loaded
        old.events = loaded.events.map { record in
            guard case .modelStarted(let started) = record.event else { return record }
            var stripped = record
            stripped.event = .modelStarted(ModelStarted(call: started.call, purpose: started.purpose))
            return stripped
        }
        return old
    }

    @Test("codeact: system, goal, reply with code, the observation as sent, the final answer — exactly the last request")
    func codeact() async throws {
        let recorded = try await Self.record(.codeact, respond: Self.replies([Self.code42, "Final Answer: 42"]))
        let report = await ChatTrainingExport.examples(from: [.init(session: recorded.loaded)], includeAll: false, reenact: false)
        #expect(report.runs == 1 && report.chosen == 1 && report.skipped.isEmpty)
        let example = try #require(report.examples.first)
        #expect(example.messages.map(\.role) == [.system, .user, .assistant, .user, .assistant])
        #expect(Array(example.messages.dropLast()) == recorded.requests.last?.messages)
        #expect(example.messages[2].content == Self.code42)
        #expect(example.messages[3].content.hasPrefix("Observation:\n"))
        #expect(example.messages[3].content.contains("42"))
        #expect(example.messages.last == ChatMessage(.assistant, "Final Answer: 42"))
        #expect(example.tools == nil)
    }

    @Test("schema: one JSON object per line with messages of role and string content, readable by Python's json")
    func schema() async throws {
        let recorded = try await Self.record(.codeact, goals: ["What is 6 * 7?", "And 6 * 8?"],
                                             respond: Self.replies([Self.code42, "Final Answer: 42", "```python\nprint(6 * 8)\n```",
                                                                    "Final Answer: 48"]))
        let report = await ChatTrainingExport.examples(from: [.init(session: recorded.loaded)], includeAll: false, reenact: false)
        #expect(report.examples.count == 2)
        let data = try ChatTrainingExport.jsonLines(report.examples)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines.last == "")
        for line in lines.dropLast() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["messages"])
            let messages = try #require(object["messages"] as? [[String: Any]])
            #expect(messages.first?["role"] as? String == "system")
            #expect(messages[1]["role"] as? String == "user")
            #expect(messages.last?["role"] as? String == "assistant")
            for message in messages {
                #expect(Set(message.keys) == ["role", "content"])
                #expect(["system", "user", "assistant", "tool"].contains(message["role"] as? String ?? ""))
                #expect(message["content"] is String)
            }
        }
        // The second run's goal carries the first run, as the model was told.
        #expect(report.examples[1].messages[1].content.contains("Earlier in this session"))
        let file = try FixtureSessions.temporaryDirectory("chat-schema").appendingPathComponent("examples.jsonl")
        try data.write(to: file)
        let python = try await WandProcess.runProgram("python3", ["-c",
            "import json, sys; rows = [json.loads(l) for l in open(sys.argv[1])]; print(len(rows), rows[0]['messages'][-1]['content'])",
            file.path])
        #expect(python.status == 0)
        #expect(python.stdout == "2 Final Answer: 42\n")
    }

    @Test("only accepted runs by default; --all takes failed ones too; an eval's verdict decides when there is one")
    func selection() async throws {
        let failed = try await Self.record(.codeact, settings: AgentSettings(maxSteps: 2),
                                           respond: Self.replies(["```python\nprint(6 * seven)\n```"]))
        let answered = try await Self.record(.codeact, respond: Self.replies([Self.code42, "Final Answer: 42"]))
        let sources = [ChatTrainingExport.Source(session: failed.loaded), .init(session: answered.loaded)]
        let accepted = await ChatTrainingExport.examples(from: sources, includeAll: false, reenact: false)
        #expect(accepted.runs == 2 && accepted.chosen == 1 && accepted.examples.count == 1)
        let all = await ChatTrainingExport.examples(from: sources, includeAll: true, reenact: false)
        #expect(all.examples.count == 2)
        #expect(all.examples[0].messages.last?.content.contains("6 * seven") == true)
        let judged = await ChatTrainingExport.examples(from: [.init(session: answered.loaded, verdict: false),
                                                              .init(session: failed.loaded, verdict: true)],
                                                       includeAll: false, reenact: false)
        #expect(judged.chosen == 1)
        #expect(judged.examples.first?.messages.last?.content.contains("6 * seven") == true)
    }

    @Test("auto: the example is the conversation that wrote the answer's program — the repair, not the failed draft")
    func answerConversation() async throws {
        let recorded = try await Self.record(.auto, respond: { request, _ in
            request.messages.last?.content.contains("does not work") == true
                ? "```python\nprint(6 * 7)\n```" : "```python\nprint(6 * seven)\n```"
        })
        let report = await ChatTrainingExport.examples(from: [.init(session: recorded.loaded)], includeAll: false, reenact: false)
        let example = try #require(report.examples.first)
        #expect(example.messages.map(\.role) == [.system, .user, .assistant])
        #expect(example.messages[1].content.contains("This program does not work"))
        #expect(example.messages[2].content == "```python\nprint(6 * 7)\n```")
    }

    @Test("an older session is skipped unless re-enacted; re-enacting gives the same examples as recording did")
    func reenactment() async throws {
        for (strategy, replies) in [(StrategyName.codeact, [Self.code42, "Final Answer: 42"]),
                                    (.vote, ["```python\nprint(42)\n```", "```python\nprint(6 * 7)\n```", "```python\nprint(41)\n```"])] {
            let settings = AgentSettings(maxRepairs: 1, samples: 3)
            let recorded = try await Self.record(strategy, settings: settings, respond: Self.replies(replies))
            let expected = await ChatTrainingExport.examples(from: [.init(session: recorded.loaded)], includeAll: false, reenact: false)
            #expect(expected.examples.count == 1)
            let old = Self.withoutMessages(recorded.loaded)
            let skipped = await ChatTrainingExport.examples(from: [.init(session: old)], includeAll: false, reenact: false)
            #expect(skipped.examples.isEmpty)
            #expect(skipped.skipped.first?.reason.contains("--reenact") == true)
            let reenacted = await ChatTrainingExport.examples(from: [.init(session: old)], includeAll: false, reenact: true)
            #expect(reenacted.examples == expected.examples, "\(strategy)")
            #expect(reenacted.reenacted == 1)
        }
    }

    @Test("a re-enactment that does not reproduce the recording is refused, with the first difference")
    func reenactmentDiverges() async throws {
        let recorded = try await Self.record(.codeact, respond: Self.replies([Self.code42, "Final Answer: 42"]))
        var old = Self.withoutMessages(recorded.loaded)
        old.events = old.events.map { record in
            guard case .feedbackSent(var feedback) = record.event else { return record }
            feedback.text = "Output:\n41"
            var changed = record
            changed.event = .feedbackSent(feedback)
            return changed
        }
        let report = await ChatTrainingExport.examples(from: [.init(session: old)], includeAll: false, reenact: true)
        #expect(report.examples.isEmpty)
        let reason = try #require(report.skipped.first?.reason)
        #expect(reason.contains("did not reproduce the recording (first difference: feedback (observation): Output:"))
    }

    @Test("bundled demo sessions re-enact into examples, or are refused with the first difference from the recording")
    func bundledDemos() async throws {
        let directory = WandResourcesLocator.sessions
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "jsonl" }
        var reenacted: [String] = []
        for file in files {
            let loaded = try SessionReader().load(file)
            let report = await ChatTrainingExport.examples(from: [.init(session: loaded)], includeAll: false, reenact: true)
            #expect(report.examples.count + report.skipped.count == report.chosen, "\(file.lastPathComponent)")
            for skipped in report.skipped { #expect(skipped.reason.contains("did not reproduce the recording (first difference:")) }
            if !report.examples.isEmpty { reenacted.append(file.deletingPathExtension().lastPathComponent) }
        }
        #expect(Set(["codeact-fibonacci", "pal-average-speed", "auto-multiples"]).isSubset(of: reenacted), "\(reenacted)")
    }

    @Test("native tool calls: the tools offered are the built-in ones and the session's MCP tools, with their schemas")
    func nativeWithMCPTools() async throws {
        let schema: JSONValue = .object(["type": .string("object"),
                                         "properties": .object(["timezone": .object(["type": .string("string")])]),
                                         "required": .array([.string("timezone")])])
        let tool = MCPToolInfo(server: "time", name: "get_current_time", description: "Get the current time", inputSchema: schema)
        // The tool's answers come from a recording, so no server runs.
        let answers = [
            AgentEvent.sessionStarted(SessionStarted(session: "answers", goal: "g", model: ModelDescriptor(profile: "p", name: "m", baseURL: "u"),
                                                     strategy: "codeact", sandbox: SandboxDescriptor(mode: .recorded, detail: "d"),
                                                     mcpTools: [tool])),
            .toolCalled(ToolCalled(call: 1, attempt: 1, server: "time", tool: "get_current_time",
                                   arguments: .object(["timezone": .string("Asia/Tokyo")]), policy: .auto)),
            .toolResult(ToolReturned(call: 1, server: "time", tool: "get_current_time", outcome: .ok,
                                     result: ToolCallResult(text: "21:00"), durationMs: 3)),
        ].enumerated().map { EventRecord(seq: $0.offset + 1, time: FixtureSessions.start, event: $0.element) }
        let call = ToolCall(id: "call_1", name: "time__get_current_time", arguments: #"{"timezone": "Asia/Tokyo"}"#)
        let model = NativeCallingModel(turns: [.calls([call], saying: "Asking the clock."), .text("It is 21:00 in Tokyo.")])
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 20, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collector = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "native-export", recorder: recorder, model: model, executor: executor, limits: executor.limits,
                                   toolbox: Toolbox.recorded(from: answers))
        let finished = await session.run(goal: "What time is it in Tokyo?", strategy: .codeact, settings: AgentSettings(actions: .native))
        await session.finish()
        #expect(finished.status == .answered)
        let loaded = LoadedSession(url: URL(fileURLWithPath: "/tmp/native-export.jsonl"), events: collector.records, problems: [])

        let report = await ChatTrainingExport.examples(from: [.init(session: loaded)], includeAll: false, reenact: false)
        let example = try #require(report.examples.first)
        let offered = try #require(model.requests.last?.tools)
        #expect(example.tools == offered, "exactly the tools the model was offered")
        #expect(example.tools?.map(\.name) == ["python", "shell", "read_file", "write_file", "list_files", "time__get_current_time"])
        #expect(example.messages.map(\.role) == [.system, .user, .assistant, .tool, .assistant])
        #expect(Array(example.messages.dropLast()) == model.requests.last?.messages)
        #expect(example.messages[2] == ChatMessage(.assistant, "Asking the clock.", toolCalls: [call]))
        #expect(example.messages[3].content.contains("21:00"))
        let line = try #require(String(decoding: try ChatTrainingExport.jsonLines(report.examples), as: UTF8.self).split(separator: "\n").first)
        let wire = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
        let exported = wire.object?["tools"]?.array?.last?.object?["function"]?.object
        #expect(exported?["name"] == .string("time__get_current_time"))
        #expect(exported?["description"] == .string("Get the current time"))
        #expect(exported?["parameters"] == schema, "the server's input schema, as the model got it")
    }
}
