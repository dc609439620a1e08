import Foundation
import Testing
import WandEngine
import WandTestSupport

/// Real MCP servers from PyPI (`mcp-server-time`, `mcp-server-git`) and a fault server written with
/// the `mcp` SDK (`Tests/Fixtures/mcp_fault_server.py`).
@Suite("MCP servers", .enabled(if: MCPRequirements.testable,
                               "needs `python3 -m pip install mcp mcp-server-time mcp-server-git`; WAND_REQUIRE_MCP=1 makes these tests mandatory"))
struct MCPServerTests {
    static let secret = "s3cr3t-token-for-tests"

    /// A fault server with a marker in its environment, so the test can find its process. Importing the
    /// `mcp` SDK takes Python seconds of CPU, far more while the rest of the suite runs beside it on two
    /// cores: the default start timeout is generous, and the test about start timeouts sets its own.
    private func faultServer(_ name: String, python: String, marker: String, flags: [String] = [],
                             startupTimeout: Double = 90, callTimeout: Double = 20) -> MCPServerConfig {
        MCPServerConfig(name: name, transport: .stdio(command: python, arguments: [MCPRequirements.faultServer] + flags,
                                                      environment: ["WAND_TEST_SECRET": Self.secret, "WAND_TEST_MARKER": marker]),
                        startupTimeout: startupTimeout, callTimeout: callTimeout)
    }

    /// The processes whose environment holds `marker`.
    private func processes(marked marker: String) -> [Int32] {
        ProcessTable.allPIDs().filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return String(decoding: data, as: UTF8.self).contains("WAND_TEST_MARKER=\(marker)")
        }
    }

    private func expectGone(_ marker: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = Date().addingTimeInterval(5)
        while !processes(marked: marker).isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(processes(marked: marker).isEmpty, "the server's process outlived it", sourceLocation: sourceLocation)
    }

    /// The failure `body` throws, or nil (recorded as an issue) when it does not throw one.
    private func failure(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> MCPServerFailure? {
        do {
            try await body()
            Issue.record("expected an MCP server failure", sourceLocation: sourceLocation)
        } catch let failure as MCPServerFailure {
            return failure
        } catch {
            Issue.record("expected an MCP server failure, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test("mcp-server-time: tools with schemas, a conversion with its structured result, and nothing left running")
    func timeServer() async throws {
        let python = try MCPRequirements.requirePython()
        let marker = UUID().uuidString
        let servers = ToolServers(config: MCPConfig(servers: [
            MCPServerConfig(name: "time", transport: .stdio(command: python, arguments: ["-m", "mcp_server_time", "--local-timezone", "UTC"],
                                                            environment: ["WAND_TEST_MARKER": marker])),
        ], policies: ToolPolicies()))
        #expect(processes(marked: marker).isEmpty, "servers start at first use")
        let tools = try await servers.tools(of: "time")
        #expect(tools.map(\.name).sorted() == ["convert_time", "get_current_time"])
        let convert = try #require(tools.first { $0.name == "convert_time" })
        #expect(PythonToolModule.signature(of: convert) == "tools.time.convert_time(source_timezone, time, target_timezone)")
        #expect(processes(marked: marker).count == 1)

        let result = try await servers.call(server: "time", tool: "convert_time", arguments: [
            "source_timezone": .string("UTC"), "time": .string("12:00"), "target_timezone": .string("Asia/Tokyo"),
        ])
        #expect(!result.isError)
        #expect(result.cutBytes == 0)
        let target = result.structured?.object?["target"]?.object
        #expect(target?["datetime"]?.string?.hasSuffix("T21:00:00+09:00") == true)
        #expect(result.text.contains("Asia/Tokyo"))

        await servers.shutdown()
        try await expectGone(marker)
        let afterStop = await failure { _ = try await servers.call(server: "time", tool: "convert_time", arguments: [:]) }
        #expect(afterStop?.error == .stopped("was stopped with its session"))
    }

    @Test("mcp-server-git reads the log of a repository the test creates")
    func gitServer() async throws {
        let python = try MCPRequirements.requirePython()
        let repository = try FixtureSessions.temporaryDirectory("wand-git-repo")
        for arguments in [["init", "-q"], ["-c", "user.name=Wand Test", "-c", "user.email=test@example.invalid",
                                         "commit", "-q", "--allow-empty", "-m", "first commit from the MCP test"]] {
            let git = try await ChildProcess.collect(ChildCommand(executable: "/usr/bin/git", arguments: ["-C", repository.path] + arguments,
                                                                  environment: ["PATH": "/usr/bin:/bin", "HOME": repository.path]))
            try #require(git.succeeded, "git \(arguments[0]) failed: \(git.stderr)")
        }
        let servers = ToolServers(config: MCPConfig(servers: [
            MCPServerConfig(name: "git", transport: .stdio(command: python, arguments: ["-m", "mcp_server_git", "--repository", repository.path],
                                                           environment: [:])),
        ], policies: ToolPolicies()))
        defer { Task { await servers.shutdown() } }
        let tools = try await servers.tools(of: "git").map(\.name)
        #expect(tools.contains("git_log") && tools.contains("git_status"))
        let log = try await servers.call(server: "git", tool: "git_log", arguments: ["repo_path": .string(repository.path)])
        #expect(!log.isError)
        #expect(log.text.contains("first commit from the MCP test"))
        let status = try await servers.call(server: "git", tool: "git_status", arguments: ["repo_path": .string(repository.path)])
        #expect(status.text.contains("nothing to commit") || status.text.lowercased().contains("clean"))
    }

    @Test("a server that exits at start is reported with its stderr, its secret replaced; the other server still works")
    func failedStart() async throws {
        let python = try MCPRequirements.requirePython()
        let marker = UUID().uuidString
        let servers = ToolServers(config: MCPConfig(servers: [
            faultServer("broken", python: python, marker: marker, flags: ["--fail-start"]),
            faultServer("fault", python: python, marker: marker),
        ], policies: ToolPolicies()))
        let (tools, failures) = await servers.startAll()
        #expect(tools.contains { $0.server == "fault" && $0.name == "echo" })
        let failure = try #require(failures.first)
        #expect(failures.count == 1 && failure.server == "broken")
        guard case .startFailed(let message) = failure.error else {
            Issue.record("expected a start failure, got \(failure.error)")
            return
        }
        #expect(message.contains("exited with status 3 while starting"))
        #expect(message.contains("refuses to start; my token is ‹redacted›"))
        #expect(!failure.description.contains(Self.secret))
        let echo = try await servers.call(server: "fault", tool: "echo", arguments: ["text": .string("still here")])
        #expect(echo.text == "still here")
        await servers.shutdown()
        try await expectGone(marker)
    }

    @Test("a server that hangs at start, and a call that hangs, time out; the server is stopped and fails fast afterwards")
    func hangs() async throws {
        let python = try MCPRequirements.requirePython()
        let marker = UUID().uuidString
        let servers = ToolServers(config: MCPConfig(servers: [
            faultServer("sleepy", python: python, marker: marker, flags: ["--hang-start"], startupTimeout: 2),
            faultServer("fault", python: python, marker: marker, callTimeout: 2),
        ], policies: ToolPolicies()))
        defer { Task { await servers.shutdown() } }
        var started = Date()
        let atStart = await failure { _ = try await servers.tools(of: "sleepy") }
        // The timeout is 2 s; the bound only tells "timed out" from "hung", with room for a loaded machine.
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(atStart?.error == .timedOut("did not finish starting (handshake and tool list) within 2 s; it was stopped"))

        _ = try await servers.tools(of: "fault")
        started = Date()
        let hung = await failure { _ = try await servers.call(server: "fault", tool: "hang", arguments: [:]) }
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(hung?.error == .timedOut("did not answer `hang` within 2 s; it was stopped"))
        try await expectGone(marker)

        started = Date()
        let later = await failure { _ = try await servers.call(server: "fault", tool: "echo", arguments: ["text": .string("x")]) }
        #expect(later?.error == hung?.error)
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test("a crash in the middle of a call is reported with the exit status and stderr, secrets replaced")
    func crash() async throws {
        let python = try MCPRequirements.requirePython()
        let marker = UUID().uuidString
        let servers = ToolServers(config: MCPConfig(servers: [faultServer("fault", python: python, marker: marker)],
                                                    policies: ToolPolicies()))
        defer { Task { await servers.shutdown() } }
        let crashed = await failure { _ = try await servers.call(server: "fault", tool: "crash", arguments: ["code": .int(7)]) }
        guard case .stopped(let message)? = crashed?.error else {
            Issue.record("expected the server to be reported stopped, got \(String(describing: crashed))")
            return
        }
        #expect(message.contains("exited with status 7"))
        #expect(message.contains("crashing; my token is ‹redacted›"))
        #expect(!message.contains(Self.secret))
        try await expectGone(marker)
        let later = await failure { _ = try await servers.tools(of: "fault") }
        #expect(later?.error == crashed?.error)
    }

    @Test("a tool error is a result marked as an error, 5 MB is cut to the limit, a secret the server echoes is replaced, and the server goes on")
    func errorsAndBigResults() async throws {
        let python = try MCPRequirements.requirePython()
        let servers = ToolServers(config: MCPConfig(servers: [faultServer("fault", python: python, marker: UUID().uuidString)],
                                                    policies: ToolPolicies()))
        defer { Task { await servers.shutdown() } }
        let failed = try await servers.call(server: "fault", tool: "fail", arguments: ["message": .string("the disk is on fire")])
        #expect(failed.isError)
        #expect(failed.text.contains("the disk is on fire"))

        let big = try await servers.call(server: "fault", tool: "big", arguments: ["megabytes": .int(5)])
        #expect(!big.isError)
        #expect(big.structured == nil)
        // The text is compared by its size and its end: a failed comparison would print all of it.
        let kept = big.text.utf8.count
        #expect(kept < ToolCallResult.defaultLimitBytes + 300)
        let ending = String(big.text.suffix(131))
        #expect(ending == "xxxx\n[… cut by Wand: 4,934,464 of 5,000,000 bytes of text and the structured result "
            + "(5,000,013 bytes) over the 65,536-byte limit …]")
        #expect(big.cutBytes == 4_934_464 + 5_000_013)

        let unknown = await failure { _ = try await servers.call(server: "fault", tool: "nosuch", arguments: [:]) }
        guard case .unknownTool(let message)? = unknown?.error else {
            Issue.record("expected an unknown tool, got \(String(describing: unknown))")
            return
        }
        #expect(message.hasPrefix("has no tool `nosuch`; its tools are "))
        let badArguments = try await servers.call(server: "fault", tool: "echo", arguments: ["times": .string("many")])
        #expect(badArguments.isError)
        let echoedSecret = try await servers.call(server: "fault", tool: "env", arguments: ["name": .string("WAND_TEST_SECRET")])
        #expect(echoedSecret.text == "‹redacted›")
        #expect(echoedSecret.structured == .object(["result": .string("‹redacted›")]))
        let echo = try await servers.call(server: "fault", tool: "echo", arguments: ["text": .string("ab"), "times": .int(2)])
        #expect(echo.text == "abab")
        #expect(echo.structured == .object(["result": .string("abab")]))
    }

    @Test("a missing program and an unknown server are plain errors")
    func configurationErrors() async throws {
        let servers = ToolServers(config: MCPConfig(servers: [
            MCPServerConfig(name: "ghost", transport: .stdio(command: "no-such-mcp-server", arguments: [], environment: [:])),
        ], policies: ToolPolicies()))
        let missing = await failure { _ = try await servers.tools(of: "ghost") }
        #expect(missing?.description == "MCP server `ghost`: `no-such-mcp-server` was not found on PATH")
        let unknown = await failure { _ = try await servers.tools(of: "nothere") }
        #expect(unknown?.description == "MCP server `nothere`: is not configured; configured servers are ghost")
        await servers.shutdown()
    }

    @Test("streamable HTTP: a header from the environment, answers as server-sent events; a wrong token is reported without it")
    func http() async throws {
        let python = try MCPRequirements.requirePython()
        let process = try await ChildProcess.launch(ChildCommand(
            executable: python, arguments: ["-u", MCPRequirements.faultServer, "--http"],
            environment: ProcessInfo.processInfo.environment.merging(["WAND_TEST_SECRET": Self.secret]) { $1 }))
        defer {
            process.closeInput()
            process.signal(SIGKILL)
        }
        var line = ""
        for await output in process.output {
            if case .stdout(let bytes) = output { line += String(decoding: bytes, as: UTF8.self) }
            if line.contains("\n") { break }
        }
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "port ", with: "")),
                                "the server printed \(line)")
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/mcp"))
        func servers(token: String?) -> ToolServers {
            ToolServers(config: MCPConfig(servers: [
                MCPServerConfig(name: "remote", transport: .http(url: url, headerVariables: ["X-Test-Token": "WAND_TEST_TOKEN"],
                                                                 bearerTokenVariable: nil), startupTimeout: 60, callTimeout: 60),
            ], policies: ToolPolicies()), environment: token.map { ["WAND_TEST_TOKEN": $0] } ?? [:])
        }

        let good = servers(token: Self.secret)
        let echo = try await good.call(server: "remote", tool: "echo", arguments: ["text": .string("over http")])
        #expect(echo.text == "over http")
        let big = try await good.call(server: "remote", tool: "big", arguments: ["megabytes": .int(5)])
        let (cut, kept) = (big.cutBytes, big.text.utf8.count)
        #expect(cut > 0 && kept < ToolCallResult.defaultLimitBytes + 300)
        await good.shutdown()

        let wrongToken = "wrong-token-value"
        let wrong = servers(token: wrongToken)
        let refused = await failure { _ = try await wrong.tools(of: "remote") }
        #expect(refused?.error.kind == "start failed")
        #expect(refused?.description.contains("HTTP 401") == true)
        #expect(refused?.description.contains(wrongToken) == false)
        await wrong.shutdown()

        let unset = servers(token: nil)
        let noVariable = await failure { _ = try await unset.tools(of: "remote") }
        #expect(noVariable?.error == .configuration("header `X-Test-Token` takes its value from $WAND_TEST_TOKEN, which is not set"))
        await unset.shutdown()
    }
}
