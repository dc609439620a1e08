import Foundation
import Testing
import WandEngine
import WandTestSupport

/// `--rerun` of a `--tools native` session: a scripted model makes native calls to the real
/// mcp-server-time and to the built-in `python` tool; the re-run replays the recorded tool calls and
/// answers the MCP call from the recording, with no server.
@Suite("Re-running native tool calls", .serialized, .requires(.sandbox),
       .enabled(if: MCPRequirements.testable, "needs `python3 -m pip install mcp mcp-server-time mcp-server-git`; WAND_REQUIRE_MCP=1 makes it mandatory"))
struct NativeToolRerunTests {
    static let convert = ToolCall(id: "call_convert", name: "time__convert_time",
                                  arguments: #"{"source_timezone": "UTC", "time": "12:00", "target_timezone": "Asia/Tokyo"}"#)
    static let multiply = ToolCall(id: "call_python", name: "python", arguments: #"{"code": "print(6 * 7)"}"#)
    static let thought = "I will convert the time and multiply."
    static let answer = "Noon UTC is 21:00 in Tokyo, and 6 * 7 = 42."

    /// A `--tools native` run against the real time server, read back through the session codec as
    /// a file would be.
    static func record() async throws -> [EventRecord] {
        let python = try MCPRequirements.requirePython()
        let servers = ToolServers(config: MCPConfig(servers: [
            MCPServerConfig(name: "time", transport: .stdio(command: python, arguments: ["-m", "mcp_server_time", "--local-timezone", "UTC"],
                                                            environment: [:])),
        ], policies: ToolPolicies(global: .auto)))
        let (toolbox, failures) = await Toolbox.start(servers)
        #expect(failures.isEmpty)
        let model = NativeCallingModel(turns: [.calls([convert, multiply], saying: thought), .text(answer)])
        let records = try await ToolScenarioTests.runNative(goal: "What time is noon UTC in Tokyo, and what is 6 * 7?",
                                                            model: model, toolbox: toolbox)
        let codec = EventLineCodec()
        return try records.map { try codec.decodeLine(try codec.encodeLine($0)) }
    }

    /// Re-runs `events` as `wand replay --rerun` does, with the recording's tools and no server.
    static func rerun(_ events: [EventRecord]) async throws -> (report: RerunReport, events: [EventRecord]) {
        let recorded = LoadedSession(url: URL(fileURLWithPath: "/tmp/native-tools.jsonl"), events: events, problems: [])
        let offline = try #require(Toolbox.recorded(from: events))
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let again = AgentSession(id: "native-rerun", recorder: recorder, model: SessionRerun.model(for: recorded), executor: executor,
                                 limits: executor.limits, toolbox: offline)
        let report = await SessionRerun.run(recorded, in: again)
        await again.finish()
        return (report, collected.records)
    }

    static func replies(_ events: [EventRecord]) -> [ModelFinished] {
        events.compactMap { if case .modelFinished(let finished) = $0.event { finished } else { nil } }
    }

    static func toolResults(_ events: [EventRecord]) -> [ToolReturned] {
        events.compactMap { if case .toolResult(let result) = $0.event { result } else { nil } }
    }

    static func answers(_ events: [EventRecord]) -> [String] {
        events.compactMap { if case .answer(let answer) = $0.event { answer.text } else { nil } }
    }

    static func stdout(_ events: [EventRecord]) -> String {
        events.compactMap { if case .execOutput(let output) = $0.event, output.stream == .stdout { output.chunk } else { nil } }.joined()
    }

    static func conversations(_ events: [EventRecord]) -> [[ChatMessage]] {
        events.compactMap { if case .modelStarted(let started) = $0.event { started.messages } else { nil } }
    }

    @Test("the re-run replays the recorded tool calls: the same calls, tool answers, output, conversation and answer, no server")
    func rerunIsDeterministic() async throws {
        let recorded = try await Self.record()
        let reply = try #require(Self.replies(recorded).first)
        #expect(reply.toolCalls == [Self.convert, Self.multiply], "the calls are kept whole, ids included")
        #expect(reply.text == Self.thought + "\n[tool call time__convert_time \(Self.convert.function.arguments)]\n"
            + "[tool call python \(Self.multiply.function.arguments)]")
        #expect(Self.toolResults(recorded).map(\.outcome) == [.ok])
        #expect(Self.stdout(recorded).contains("T21:00:00+09:00"))
        #expect(Self.stdout(recorded).hasSuffix("42\n"))

        let (report, rerun) = try await Self.rerun(recorded)
        #expect(report.isIdentical, "\(report.summary)")
        #expect(report.matching == 2)
        let started = rerun.compactMap { if case .sessionStarted(let started) = $0.event { started } else { nil } }.first
        #expect(started?.settings["actions"] == "native", "the run is re-run with native tool calls, as recorded")
        #expect(Self.replies(rerun).map(\.text) == Self.replies(recorded).map(\.text))
        #expect(Self.replies(rerun).map(\.toolCalls) == Self.replies(recorded).map(\.toolCalls))
        let called = { (events: [EventRecord]) in
            events.compactMap { if case .toolCalled(let call) = $0.event { "\(call.server).\(call.tool) \(call.arguments.compactText)" } else { nil } }
        }
        #expect(called(rerun) == called(recorded))
        #expect(Self.toolResults(rerun).map(\.result) == Self.toolResults(recorded).map(\.result))
        #expect(Self.toolResults(rerun).map(\.durationMs) == Self.toolResults(recorded).map(\.durationMs), "the recorded call, not a new one")
        #expect(Self.stdout(rerun) == Self.stdout(recorded))
        #expect(Self.conversations(rerun) == Self.conversations(recorded), "the model is sent the same conversation, tool call ids included")
        #expect(Self.answers(rerun) == [Self.answer])
        #expect(!rerun.contains { if case .notice(let notice) = $0.event { notice.level == .warning } else { false } })
    }

    @Test("a replay shows the native calls: the reply's tool call lines, each call's step with its MCP call and result")
    func replayShowsNativeCalls() async throws {
        let recorded = try await Self.record()
        let transcript = TranscriptPrinter.transcript(of: recorded)
        #expect(transcript.contains("  " + Self.thought + "\n  [tool call time__convert_time {\"source_timezone\": \"UTC\""), "\(transcript)")
        #expect(transcript.contains("  [tool call python {\"code\": \"print(6 * 7)\"}]"), "\(transcript)")
        #expect(transcript.contains("⚙ tools.time.convert_time(source_timezone=\"UTC\", target_timezone=\"Asia/Tokyo\", time=\"12:00\") · policy auto"),
                "\(transcript)")
        #expect(transcript.contains("⚙ → "), "\(transcript)")
        let state = SessionState(folding: recorded)
        #expect(state.attempts.count == 2, "each native call is a step of its own")
        #expect(state.attempts.first?.toolCalls.map { "\($0.called.server).\($0.called.tool) \($0.result?.outcome.rawValue ?? "-")" }
            == ["time.convert_time ok"])
        #expect(state.attempts.last?.source == "print(6 * 7)")
        #expect(state.answer == Self.answer)
    }

    @Test("a call the recording has no answer for fails with a notice, and the re-run goes on to the end")
    func unansweredCall() async throws {
        var recorded = try await Self.record()
        // The model asks for another tool than it did in the recording.
        let asked = ToolCall(id: "call_convert", name: "time__get_current_time", arguments: #"{"timezone": "Asia/Tokyo"}"#)
        let index = try #require(recorded.firstIndex { if case .modelFinished = $0.event { true } else { false } })
        guard case .modelFinished(let original) = recorded[index].event else { return }
        recorded[index].event = .modelFinished(ModelFinished(call: original.call, reply: GenerationResult(
            text: Self.thought, usage: original.usage, firstTokenMs: original.firstTokenMs, totalMs: original.totalMs,
            finishReason: original.finishReason, toolCalls: [asked, Self.multiply])))

        let (report, rerun) = try await Self.rerun(recorded)
        let notices = rerun.compactMap { if case .notice(let notice) = $0.event, notice.level == .warning { notice.message } else { nil } }
        #expect(notices.first == "Re-run: the recording has no answer for this call of tools.time.get_current_time (the re-run called "
            + "tools.time.get_current_time where the recording called tools.time.convert_time); the call fails and the run goes on.")
        let result = try #require(Self.toolResults(rerun).first)
        #expect(result.outcome == .failed)
        #expect(result.error?.hasPrefix("not in the recording: the re-run called tools.time.get_current_time") == true)
        #expect(Self.stdout(rerun).hasSuffix("42\n"), "the next call still runs")
        #expect(Self.answers(rerun) == [Self.answer], "the run reaches its recorded end")
        #expect(rerun.contains { if case .runFinished(let finished) = $0.event { finished.status == .answered } else { false } })
        #expect(!report.isIdentical)
        #expect(report.matching == 1 && report.differences.map(\.index) == [1], "\(report.summary)")
    }
}

@Suite("model.finished keeps native tool calls")
struct ModelFinishedToolCallTests {
    static let call = ToolCall(id: "c1", name: "python", arguments: #"{"code": "print(1)"}"#)

    @Test("the model's own words come back from the text that shows its calls", arguments: ["", "Let me run it.", "ends with CR\r", "two\nlines"])
    func replyText(words: String) throws {
        let finished = ModelFinished(call: 1, reply: GenerationResult(text: words, usage: TokenUsage(), firstTokenMs: nil, totalMs: 1,
                                                                      finishReason: "tool_calls", toolCalls: [Self.call, Self.call]))
        #expect(finished.text.hasSuffix("[tool call python {\"code\": \"print(1)\"}]\n[tool call python {\"code\": \"print(1)\"}]"))
        #expect(finished.replyText == words)
        let codec = EventLineCodec()
        let record = EventRecord(seq: 1, time: FixtureSessions.start, event: .modelFinished(finished))
        #expect(try codec.decodeLine(try codec.encodeLine(record).dropLast()) == record)
    }

    @Test("a reply without tool calls, and one from a session written before they were kept, is its text")
    func withoutToolCalls() {
        let plain = ModelFinished(call: 1, reply: GenerationResult(text: "Final Answer: 42", usage: TokenUsage(), firstTokenMs: nil,
                                                                   totalMs: 1, finishReason: "stop"))
        #expect(plain.toolCalls == nil && plain.replyText == "Final Answer: 42")
        let older = ModelFinished(call: 1, text: "[tool call python {}]", usage: TokenUsage(), firstTokenMs: nil, totalMs: 1,
                                  finishReason: "tool_calls")
        #expect(older.replyText == older.text)
    }
}
