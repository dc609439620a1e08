import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("End to end: wand tools", .enabled(if: MCPRequirements.testable,
                                         "needs `python3 -m pip install mcp mcp-server-time mcp-server-git`; WAND_REQUIRE_MCP=1 makes these tests mandatory"))
struct ToolsEndToEndTests {
    private func configHome(_ toml: String) throws -> URL {
        let home = try FixtureSessions.temporaryDirectory("wand-tools-config")
        let directory = home.appendingPathComponent("wand", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try toml.write(to: directory.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        return home
    }

    @Test("lists each server's tools as Python signatures with policies, and a server that did not start with its error, secret replaced")
    func listing() async throws {
        let python = try MCPRequirements.requirePython()
        let home = try configHome("""
            [mcp.servers.time]
            command = "\(python)"
            args = ["-m", "mcp_server_time", "--local-timezone", "UTC"]
            policy = "auto"

            [mcp.servers.time.tools]
            get_current_time = "never"
            not_a_tool = "ask"

            [mcp.servers.broken]
            command = "\(python)"
            args = ["\(MCPRequirements.faultServer)", "--fail-start"]
            env = { WAND_TEST_SECRET = "hunter2-but-longer" }
            """)
        let result = try await WandProcess.run(["tools"], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(result.status == 1, "a server did not start")
        let output = result.stdout
        #expect(output.contains("✓ time — \(python) -m mcp_server_time --local-timezone UTC — 2 tools"))
        #expect(output.contains("    tools.time.convert_time(source_timezone: str, time: str, target_timezone: str)\n"
            + "        Convert time between timezones · policy auto (mcp.servers.time.policy)"))
        #expect(output.contains("policy never (mcp.servers.time.tools.get_current_time)"))
        #expect(output.contains("! [mcp.servers.time.tools] names `not_a_tool`, which this server does not offer"))
        #expect(output.contains("✗ broken — WAND_TEST_SECRET=… \(python) \(MCPRequirements.faultServer) --fail-start — not started (start failed):"))
        #expect(output.contains("exited with status 3 while starting; its stderr ended with:"))
        #expect(output.contains("my token is ‹redacted›"))
        #expect(!output.contains("hunter2") && !result.stderr.contains("hunter2"))

        let json = try await WandProcess.run(["tools", "--json"], environment: ["XDG_CONFIG_HOME": home.path])
        let lines = json.stdout.split(separator: "\n").map { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        #expect(lines.count == 2)
        let time = lines.compactMap { $0?.object }.first { $0["name"] == .string("time") }
        let convert = time?["tools"]?.array?.compactMap(\.object).first { $0["name"] == .string("convert_time") }
        #expect(convert?["python"] == .string("tools.time.convert_time(source_timezone, time, target_timezone)"))
        #expect(convert?["input_schema"]?.object?["required"] == .array([.string("source_timezone"), .string("time"), .string("target_timezone")]))
    }

    @Test("a server dies with Wand: SIGKILL to `wand tools` while a server starts leaves no server process")
    func noOrphans() async throws {
        let python = try MCPRequirements.requirePython()
        let marker = UUID().uuidString
        let home = try configHome("""
            [mcp.servers.sleepy]
            command = "\(python)"
            args = ["\(MCPRequirements.faultServer)", "--hang-start"]
            env = { WAND_TEST_MARKER = "\(marker)" }
            startup_timeout = 120
            """)
        func servers() -> [Int32] {
            ProcessTable.allPIDs().filter { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
                return String(decoding: data, as: UTF8.self).contains("WAND_TEST_MARKER=\(marker)") && !ProcessTable.isZombie(pid)
            }
        }
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = home.path
        let wand = try await ChildProcess.launch(ChildCommand(executable: TmuxSession.wandBinary.path, arguments: ["tools"],
                                                              environment: environment))
        var deadline = Date().addingTimeInterval(20)
        while servers().isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!servers().isEmpty, "the server never started")
        wand.signal(SIGKILL)
        _ = await wand.waitForExit()
        deadline = Date().addingTimeInterval(10)
        while !servers().isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(servers().isEmpty, "the server outlived Wand")
        for pid in servers() { kill(pid, SIGKILL) }
    }

    @Test("--rerun of a --tools native session answers its MCP call from the recording while the server cannot start; replays and the chat export show the call")
    func nativeRerunWithoutServer() async throws {
        let python = try MCPRequirements.requirePython()
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let home = try configHome("""
            [mcp.servers.time]
            command = "\(python)"
            args = ["-m", "mcp_server_time", "--local-timezone", "UTC"]
            policy = "auto"
            """)
        let data = try FixtureSessions.temporaryDirectory("wand-native-rerun")
        let environment = ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": home.path]
        let run = try await WandProcess.run(["run", "What time is noon UTC in Tokyo?", "--base-url", server.baseURL("mcp-tools").absoluteString,
                                             "--model", "fake", "--approve", "auto", "--strategy", "codeact", "--tools", "native"],
                                            environment: environment)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let file = try #require(try SessionDirectory(url: data.appendingPathComponent("wand/sessions")).sessionFiles().first)
        let recorded = try SessionReader().load(file).events
        func answers(_ events: [EventRecord]) -> [String] {
            events.compactMap { if case .answer(let answer) = $0.event { answer.text } else { nil } }
        }
        func results(_ events: [EventRecord]) -> [ToolReturned] {
            events.compactMap { if case .toolResult(let result) = $0.event { result } else { nil } }
        }
        #expect(answers(recorded) == ["Noon UTC is 21:00 in Tokyo."])
        #expect(results(recorded).map(\.outcome) == [.ok])

        // Were the server started now, it would leave the marker and fail.
        let marker = data.appendingPathComponent("server-started")
        try """
            [mcp.servers.time]
            command = "/bin/sh"
            args = ["-c", "touch '\(marker.path)'; exit 3"]
            policy = "auto"
            """.write(to: home.appendingPathComponent("wand/config.toml"), atomically: true, encoding: .utf8)
        let rerun = try await WandProcess.run(["replay", file.path, "--rerun", "--json"], environment: environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("Re-run: 1 of 1 executions match the recording."), "\(rerun.stderr)")
        let events = try rerun.stdout.split(separator: "\n").map { try EventLineCodec().decodeLine(Data($0.utf8)) }
        #expect(answers(events) == answers(recorded))
        #expect(results(events).map(\.result) == results(recorded).map(\.result))
        #expect(!FileManager.default.fileExists(atPath: marker.path), "no server was started")
        #expect(!rerun.stdout.contains("did not start"))

        let printed = try await WandProcess.run(["replay", file.path, "--print"], environment: environment)
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("  Converting.\n  [tool call time__convert_time {\"source_timezone\": \"UTC\", \"time\": \"12:00\", "
            + "\"target_timezone\": \"Asia/Tokyo\"}]"), "\(printed.stdout)")
        #expect(printed.stdout.contains("⚙ tools.time.convert_time(source_timezone=\"UTC\", target_timezone=\"Asia/Tokyo\", time=\"12:00\") · policy auto"),
                "\(printed.stdout)")

        let tmux = try await TmuxSession.start(command: "'\(TmuxSession.wandBinary.path)' replay '\(file.path)'", environment: environment)
        try await tmux.waitFor("Plan", "Output")
        try await tmux.send(">")
        try await tmux.waitFor("⚙ tools.time.convert_time(source_timezone=\"UTC\"", "tools._wand_call(\"time\", \"convert_time\"")
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)

        let export = try await WandProcess.run(["export", file.path, "--format", "chat-jsonl"], environment: environment)
        #expect(export.status == 0, "\(export.stderr)")
        let example = try JSONDecoder().decode(JSONValue.self, from: Data(export.stdout.utf8))
        let tools = example.object?["tools"]?.array?.compactMap { $0.object?["function"]?.object } ?? []
        #expect(tools.compactMap { $0["name"]?.string } == ["python", "shell", "read_file", "write_file", "list_files",
                                                           "time__get_current_time", "time__convert_time"])
        let convert = tools.first { $0["name"] == .string("time__convert_time") }
        #expect(convert?["parameters"]?.object?["required"] == .array([.string("source_timezone"), .string("time"), .string("target_timezone")]))
    }

    /// The goal of the end-to-end run with the embedded model: it names the tool, as a user giving the
    /// agent a tool would, and the answer (21:00) can only come from the server, which the test checks.
    static let timeGoal = "Use tools.time.convert_time to convert 12:00 from UTC to Asia/Tokyo and print only the converted time as HH:MM."

    @Test("with the embedded model, a goal needing the time server is answered using a recorded tool.called", .requires(.model))
    func embeddedModelUsesTheTimeServer() async throws {
        let python = try MCPRequirements.requirePython()
        let home = try configHome("""
            [mcp.servers.time]
            command = "\(python)"
            args = ["-m", "mcp_server_time", "--local-timezone", "UTC"]
            policy = "auto"
            """)
        let data = try WandProcess.isolatedDataHome()
        let result = try await WandProcess.run(["run", Self.timeGoal, "--json"],
                                               environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": home.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let events = try result.stdout.split(separator: "\n").map { try EventLineCodec().decodeLine(Data($0.utf8)) }
        let started = events.compactMap { if case .sessionStarted(let started) = $0.event { started } else { nil } }.first
        #expect(started?.mcpTools?.contains { $0.server == "time" && $0.name == "convert_time" } == true)
        let called = events.compactMap { if case .toolCalled(let call) = $0.event { call } else { nil } }
            .filter { $0.server == "time" && $0.tool == "convert_time" }
        #expect(!called.isEmpty, "the agent's code called tools.time.convert_time")
        let results = events.compactMap { if case .toolResult(let result) = $0.event { result } else { nil } }
        #expect(results.contains { result in result.outcome == .ok && called.contains { $0.call == result.call } },
                "the server answered one of those calls")
        let answer = events.compactMap { if case .answer(let answer) = $0.event { answer.text } else { nil } }.last
        #expect(answer?.contains("21:00") == true, "answer: \(answer ?? "none")")
        let saved = try SessionReader().load(SessionDirectory(url: data.appendingPathComponent("wand/sessions")).sessionFiles()[0])
        #expect(saved.events.contains { if case .toolCalled(let call) = $0.event { call.server == "time" } else { false } },
                "the session file records the call")
    }
}
