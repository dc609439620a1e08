import Foundation
import Testing
import WandEngine
import WandTestSupport

/// The agent's code calling real MCP servers (mcp-server-time and the fault server fixture) from the
/// real sandbox, with a scripted model; the session replays and re-runs offline.
@Suite("Tool calls from the agent's code", .serialized, .requires(.sandbox),
       .enabled(if: MCPRequirements.testable, "needs `python3 -m pip install mcp mcp-server-time mcp-server-git`; WAND_REQUIRE_MCP=1 makes it mandatory"))
struct ToolScenarioTests {
    static func servers(python: String, policies: ToolPolicies) -> ToolServers {
        ToolServers(config: MCPConfig(servers: [
            MCPServerConfig(name: "time", transport: .stdio(command: python, arguments: ["-m", "mcp_server_time", "--local-timezone", "UTC"],
                                                            environment: [:])),
            MCPServerConfig(name: "fault", transport: .stdio(command: python, arguments: [MCPRequirements.faultServer],
                                                             environment: ["WAND_TEST_SECRET": "s3cr3t-for-tool-scenario"])),
        ], policies: policies))
    }

    /// One codeact run with `--tools native` against `toolbox`, expected to end answered: its events.
    static func runNative(goal: String, model: NativeCallingModel, toolbox: Toolbox?) async throws -> [EventRecord] {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "native", recorder: recorder, model: model, executor: executor,
                                   limits: executor.limits, toolbox: toolbox)
        let finished = await session.run(goal: goal, strategy: .codeact, settings: AgentSettings(actions: .native))
        await session.finish()
        #expect(finished.status == .answered)
        return collected.records
    }

    static let loopCode = """
        import tools
        parts = []
        for zone in ["Asia/Tokyo", "Asia/Kolkata"]:
            converted = tools.time.convert_time(source_timezone="UTC", time="12:00", target_timezone=zone)
            echoed = tools.fault.echo(text=zone.split("/")[1] + "=" + converted["target"]["datetime"][11:16])
            parts.append(echoed["result"] if isinstance(echoed, dict) else echoed)
        print(", ".join(parts))
        """

    /// Runs codeact with a scripted model; returns the events and the run's end.
    static func run(replies: [String], toolbox: Toolbox?, goal: String = "What time is noon UTC in Tokyo and Kolkata?",
                    gate: ApprovalGate = ApprovalGate()) async throws -> (RunFinished, [EventRecord]) {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "tools", recorder: recorder, model: ScriptedModel(replies), executor: executor,
                                   limits: executor.limits, gate: gate, toolbox: toolbox)
        let finished = await session.run(goal: goal, strategy: .codeact, settings: AgentSettings())
        await session.finish()
        return (finished, collected.records)
    }

    /// The codeact system prompt as it is without tools, which must not change.
    static let codeActSystemWithoutTools = """
        You solve tasks by writing and running Python code, one step at a time.
        In each reply, write one short sentence, then exactly one ```python code block.
        The code runs in a persistent Python session: variables and imports are kept between steps.
        Always print() the values you need to see; you will get the output back.
        When the output answers the task, reply with one line: Final Answer: <the answer>
        """

    @Test("without tools, the prompt is exactly the one small models always got")
    func promptWithoutTools() async throws {
        let (_, events) = try await Self.run(replies: ["```python\nprint(6 * 7)\n```", "Final Answer: 42"], toolbox: nil, goal: "6*7?")
        let system = events.compactMap { if case .modelStarted(let started) = $0.event { started.messages?.first?.content } else { nil } }.first
        #expect(system == Self.codeActSystemWithoutTools)
        let started = events.compactMap { if case .sessionStarted(let started) = $0.event { started } else { nil } }.first
        #expect(started?.mcpTools == nil)
    }

    static func stdout(_ events: [EventRecord]) -> String {
        events.compactMap { if case .execOutput(let output) = $0.event, output.stream == .stdout { output.chunk } else { nil } }.joined()
    }

    @Test("code calls two tools in a loop and prints a combined result; the session replays, and re-runs offline with the same output")
    func loopReplayRerun() async throws {
        let python = try MCPRequirements.requirePython()
        let (toolbox, failures) = await Toolbox.start(Self.servers(python: python, policies: ToolPolicies(global: .auto)))
        #expect(failures.isEmpty)
        let replies = ["Convert, then echo.\n```python\n\(Self.loopCode)\n```", "Final Answer: Tokyo=21:00, Kolkata=17:30"]
        let (finished, events) = try await Self.run(replies: replies, toolbox: toolbox)
        #expect(finished.status == .answered)
        #expect(Self.stdout(events) == "Tokyo=21:00, Kolkata=17:30\n")
        let called = events.compactMap { if case .toolCalled(let call) = $0.event { call } else { nil } }
        let results = events.compactMap { if case .toolResult(let result) = $0.event { result } else { nil } }
        #expect(called.map { "\($0.server).\($0.tool)" } == ["time.convert_time", "fault.echo", "time.convert_time", "fault.echo"])
        #expect(called.map(\.call) == [1, 2, 3, 4])
        #expect(called.allSatisfy { $0.policy == .auto && $0.attempt == 1 })
        #expect(called[0].arguments == .object(["source_timezone": .string("UTC"), "time": .string("12:00"),
                                                "target_timezone": .string("Asia/Tokyo")]))
        #expect(results.map(\.outcome) == [.ok, .ok, .ok, .ok])
        let started = events.compactMap { if case .sessionStarted(let started) = $0.event { started } else { nil } }.first
        #expect(started?.mcpTools?.map(\.name).contains("convert_time") == true)
        let system = events.compactMap { if case .modelStarted(let started) = $0.event { started.messages?.first?.content } else { nil } }.first
        #expect(system?.hasPrefix(Self.codeActSystemWithoutTools + "\n\nThe code can also call these tools") == true)
        #expect(system?.contains("\n- tools.time.convert_time(source_timezone, time, target_timezone)") == true)

        // The session file round-trips, folds with each call in its attempt, and prints offline.
        let codec = EventLineCodec()
        let decoded = try events.map { try codec.decodeLine(try codec.encodeLine($0)) }
        #expect(decoded.map(\.event) == events.map(\.event))
        let state = SessionState(folding: decoded)
        #expect(state.attempts.first?.toolCalls.count == 4)
        #expect(state.attempts.first?.toolCalls.allSatisfy { $0.result?.outcome == .ok } == true)
        let transcript = TranscriptPrinter.transcript(of: decoded)
        #expect(transcript.contains("⚙ tools.time.convert_time(source_timezone=\"UTC\", target_timezone=\"Asia/Tokyo\", time=\"12:00\") · policy auto"))
        #expect(transcript.contains("Tokyo=21:00, Kolkata=17:30"))

        // Re-run with no server at all: the tool calls are answered from the recording.
        let recorded = LoadedSession(url: URL(fileURLWithPath: "/tmp/tools.jsonl"), events: decoded, problems: [])
        let offline = try #require(Toolbox.recorded(from: recorded.events))
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let again = AgentSession(id: "rerun", recorder: recorder, model: SessionRerun.model(for: recorded), executor: executor,
                                 limits: executor.limits, toolbox: offline)
        let report = await SessionRerun.run(recorded, in: again)
        await again.finish()
        #expect(report.isIdentical, "\(report.summary)")
        #expect(Self.stdout(collected.records) == "Tokyo=21:00, Kolkata=17:30\n")
        #expect(collected.records.count { if case .toolResult = $0.event { true } else { false } } == 4)
    }

    @Test("a resumed session's code calls tools; servers that failed are said after its run.started")
    func resumedSessionGetsTools() async throws {
        let python = try MCPRequirements.requirePython()
        let (_, earlier) = try await Self.run(replies: ["```python\nprint(6 * 7)\n```", "Final Answer: 42"], toolbox: nil, goal: "6*7?")
        let loaded = LoadedSession(url: URL(fileURLWithPath: "/tmp/resumed.jsonl"), events: earlier, problems: [])
        let (toolbox, _) = await Toolbox.start(Self.servers(python: python, policies: ToolPolicies(global: .auto)))
        let failure = Notice(level: .warning, message: "the MCP server `broken` did not start — its tools are not offered.")
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 20))
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let code = "import tools\nprint(tools.time.convert_time(source_timezone=\"UTC\", time=\"12:00\", target_timezone=\"Asia/Tokyo\")[\"target\"][\"datetime\"][11:16])"
        let session = AgentSession(resuming: loaded, recorder: recorder, model: ScriptedModel(["```python\n\(code)\n```", "Final Answer: 21:00"]),
                                   executor: executor, limits: executor.limits, toolbox: toolbox, notices: [failure])
        let finished = await session.run(goal: "Noon UTC in Tokyo?", strategy: .codeact, settings: AgentSettings())
        await session.finish()
        #expect(finished.status == .answered)
        #expect(Self.stdout(collected.records) == "21:00\n")
        let called = collected.records.compactMap { if case .toolCalled(let call) = $0.event { call } else { nil } }
        #expect(called.map(\.tool) == ["convert_time"])
        let started = try #require(collected.records.firstIndex { if case .runStarted = $0.event { true } else { false } })
        let notices = collected.records[(started + 1)...].prefix(2).map { record in
            if case .notice(let notice) = record.event { notice.message } else { "not a notice" }
        }
        #expect(notices == ["Session resumed: the Python session starts fresh, so variables from before are gone.", failure.message])
    }

    @Test("--tools native offers the MCP tools beside the built-in ones; a native call goes through the same policy and events")
    func nativeToolCalls() async throws {
        let python = try MCPRequirements.requirePython()
        let policies = ToolPolicies(global: .auto, tools: ["time": ["get_current_time": .never]])
        let (toolbox, failures) = await Toolbox.start(Self.servers(python: python, policies: policies))
        #expect(failures.isEmpty)
        let model = NativeCallingModel(turns: [
            .calls([ToolCall(id: "c1", name: "time__convert_time",
                             arguments: #"{"source_timezone": "UTC", "time": "12:00", "target_timezone": "Asia/Tokyo"}"#),
                    ToolCall(id: "c2", name: "time__get_current_time", arguments: #"{"timezone": "Asia/Tokyo"}"#)]),
            .text("It is 21:00 in Tokyo."),
        ])
        let events = try await Self.runNative(goal: "What time is noon UTC in Tokyo?", model: model, toolbox: toolbox)
        let offered = model.requests.first?.tools ?? []
        let builtIn = ToolDefinition.nativeActionTools(offering: []).map(\.name)
        #expect(Array(offered.map(\.name).prefix(builtIn.count)) == builtIn)
        #expect(Set(offered.map(\.name).dropFirst(builtIn.count)) == Set((toolbox?.tools ?? []).map { "\($0.server)__\($0.name)" }))
        #expect(offered.contains { $0.name == "time__get_current_time" })
        let convert = offered.first { $0.name == "time__convert_time" }
        #expect(convert?.inputSchema?.object?["required"] == .array([.string("source_timezone"), .string("time"), .string("target_timezone")]))
        let wire = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(try #require(convert)))
        #expect(wire.object?["function"]?.object?["parameters"] == convert?.inputSchema, "the server's schema goes on the wire as it is")
        #expect(model.requests.first?.messages.first?.content.contains("The tools named SERVER__TOOL call the MCP server SERVER") == true)

        let called = events.compactMap { if case .toolCalled(let call) = $0.event { call } else { nil } }
        let results = events.compactMap { if case .toolResult(let result) = $0.event { result } else { nil } }
        #expect(called.map { "\($0.server).\($0.tool)" } == ["time.convert_time", "time.get_current_time"])
        #expect(called.map(\.attempt) == [1, 2], "each native call is an attempt of its own")
        #expect(called.map(\.policy) == [.auto, .never])
        #expect(results.map(\.outcome) == [.ok, .refused])
        let toolMessages = model.requests.last?.messages.filter { $0.role == .tool }.map(\.content) ?? []
        #expect(toolMessages.count == 2)
        #expect(toolMessages.first?.contains("T21:00:00+09:00") == true, "\(toolMessages)")
        #expect(toolMessages.last?.contains("its policy is `never` (mcp.servers.time.tools.get_current_time in config.toml)") == true,
                "\(toolMessages)")
    }

    @Test("policies: never refuses naming the setting, ask waits for the user, a forged call on the channel is refused too")
    func policies() async throws {
        let python = try MCPRequirements.requirePython()
        let policies = ToolPolicies(global: .auto, servers: ["fault": .ask], tools: ["time": ["get_current_time": .never]])
        let (toolbox, _) = await Toolbox.start(Self.servers(python: python, policies: policies))
        let gate = ApprovalGate()
        let code = """
            import tools, json, os
            try:
                tools.time.get_current_time(timezone="UTC")
            except tools.ToolError as error:
                print("refused:", error)
            print("echo:", tools.fault.echo(text="allowed"))
            try:
                tools.fault.echo(text="declined")
            except tools.ToolError as error:
                print("declined:", error)
            """
        // The user allows the first `ask` call and refuses the second (a decision given early is kept until asked for).
        gate.decide(toolCall: 2, decision: .run)
        gate.decide(toolCall: 3, decision: .skip)
        // Then code forges a call to the refused tool by writing to the kernel's protocol pipe itself.
        let forge = """
            channel = tools._wand_call.__self__
            fd = type(channel).call.__globals__["PROTOCOL_OUT"]
            os.write(fd, (json.dumps({"type": "tool_call", "id": channel.cell_id, "call": 999, "server": "time",
                                      "tool": "get_current_time", "arguments": {"timezone": "UTC"}}) + "\\n").encode())
            print("forged")
            # No other way to a server: its processes are invisible (own PID namespace) and there is no network.
            seen = 0
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    seen += b"mcp_server" in open("/proc/%s/cmdline" % pid, "rb").read() or b"fault_server" in open("/proc/%s/cmdline" % pid, "rb").read()
                except OSError:
                    pass
            print("servers seen:", seen)
            import socket, errno
            try:
                socket.create_connection(("1.1.1.1", 53), timeout=2)
                print("network: reached")
            except OSError as error:
                print("network:", errno.errorcode.get(error.errno, error.errno))
            """
        let (_, events) = try await Self.run(replies: ["```python\n\(code)\n\(forge)\n```", "Final Answer: done"],
                                             toolbox: toolbox, gate: gate)
        let out = Self.stdout(events)
        #expect(out.contains("refused: tools.time.get_current_time is not allowed: its policy is `never` (mcp.servers.time.tools.get_current_time in config.toml)"), "\(out)")
        #expect(out.contains("echo:"), "\(out)")
        #expect(out.contains("declined: the user did not allow the call of tools.fault.echo"), "\(out)")
        let results = events.compactMap { if case .toolResult(let result) = $0.event { result.outcome } else { nil } }
        #expect(results == [.refused, .ok, .declined, .refused], "the forged call is recorded and refused")
        let requested = events.compactMap { if case .approvalRequested(let request) = $0.event { request.toolCall } else { nil } }
        #expect(requested == [2, 3])
        #expect(out.contains("forged"))
        #expect(out.contains("servers seen: 0"), "\(out)")
        #expect(out.contains("network: ENETUNREACH"), "no route out of the sandbox: \(out)")

    }
}
