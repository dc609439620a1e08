import Foundation
import Synchronization
import Testing
import WandEngine
import WandTestSupport

/// Tool calls from sandboxed code over the kernel's protocol pipe, answered by a handler in Swift.
@Suite("Tool calls over the kernel's channel", .serialized, .requires(.sandbox))
struct ToolChannelTests {
    static let adder = MCPToolInfo(server: "calc", name: "add", description: "Adds two numbers.",
                                   inputSchema: .object(["type": .string("object"), "required": .array([.string("a"), .string("b")]),
                                                         "properties": .object(["a": .object(["type": .string("integer")]),
                                                                                "b": .object(["type": .string("integer")])])]))
    static let failing = MCPToolInfo(server: "calc", name: "fail", description: nil,
                                     inputSchema: .object(["type": .string("object"), "properties": .object([:])]))
    static let slow = MCPToolInfo(server: "calc", name: "slow", description: nil,
                                  inputSchema: .object(["type": .string("object"), "properties": .object([:])]))

    /// Answers `add` with the sum, `fail` with an error, and `slow` never (until cancelled); keeps the requests.
    static func access(log: CallLog) -> ToolAccess {
        ToolAccess(moduleSource: PythonToolModule.source(for: [adder, failing, slow])) { request in
            log.calls.withLock { $0.append(request) }
            switch request.tool {
            case "add":
                guard case .int(let a)? = request.arguments["a"], case .int(let b)? = request.arguments["b"] else {
                    return .error("bad arguments")
                }
                return .value(.object(["sum": .int(a + b)]))
            case "slow":
                try? await Task.sleep(for: .seconds(3600))
                return .error("cancelled")
            default:
                return .error("calc: the tool reported an error: nope")
            }
        }
    }

    static func run(_ executor: SandboxExecutor, _ code: String, tools: ToolAccess?, timeout: Double? = nil)
        async -> (stdout: String, result: ExecFinished) {
        var stdout = ""
        var result = ExecFinished(attempt: 1, exitStatus: nil, error: "no result", durationMs: 0)
        for await event in executor.execute(ExecutionRequest(attempt: 1, language: .python, source: code, timeout: timeout, tools: tools)) {
            switch event {
            case .output(.stdout, let text): stdout += text
            case .finished(let finished): result = finished
            default: break
            }
        }
        return (stdout, result)
    }

    @Test("code calls a tool in a loop, gets structured results, and its output streams meanwhile")
    func loopOfCalls() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let log = CallLog()
        let code = """
            import tools
            total = 0
            for n in range(1, 4):
                total += tools.calc.add(a=n, b=10)["sum"]
                print("after", n)
            print("total", total)
            """
        let outcome = await Self.run(executor, code, tools: Self.access(log: log))
        #expect(outcome.result.succeeded, "\(outcome.result)")
        #expect(outcome.stdout == "after 1\nafter 2\nafter 3\ntotal 36\n")
        #expect(log.calls.withLock { $0.map(\.arguments) } == [1, 2, 3].map { ["a": JSONValue.int($0), "b": .int(10)] })
        #expect(log.calls.withLock { $0.allSatisfy { $0.attempt == 1 && $0.server == "calc" } })
    }

    @Test("`import tools.calc` and `from tools.calc import add` work like `import tools`; a server that is not there is a clear import error")
    func serverAsSubmodule() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let log = CallLog()
        let outcome = await Self.run(executor, """
            import tools.calc
            from tools.calc import add
            print(tools.calc.add(a=1, b=2)["sum"], add(a=3, b=4)["sum"])
            """, tools: Self.access(log: log))
        #expect(outcome.result.succeeded, "\(outcome.result)")
        #expect(outcome.stdout == "3 7\n")
        let missing = await Self.run(executor, "import tools.weather", tools: Self.access(log: log))
        #expect(missing.result.error == "ModuleNotFoundError: No module named 'tools.weather'", "\(missing.result)")
    }

    @Test("a failed call raises tools.ToolError with the message; without tools, a forged call gets an error too")
    func errors() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let log = CallLog()
        let caught = await Self.run(executor, """
            import tools
            try:
                tools.calc.fail()
            except tools.ToolError as error:
                print("caught:", error)
            """, tools: Self.access(log: log))
        #expect(caught.stdout == "caught: calc: the tool reported an error: nope\n")
        let uncaught = await Self.run(executor, "import tools\ntools.calc.fail()", tools: Self.access(log: log))
        #expect(uncaught.result.error == "ToolError: calc: the tool reported an error: nope")
        #expect(uncaught.result.traceback?.contains("<wand tools>") == false, "the generated module's frames are hidden")
        let none = await Self.run(executor, "print(tools.calc.add(a=1, b=2))", tools: nil)
        #expect(none.result.error?.contains("no MCP tools are configured") == true, "\(none.result)")
    }

    @Test("a cell waiting on a tool is interrupted by its time limit, and the kernel goes on")
    func interruptWhileWaiting() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let log = CallLog()
        let outcome = await Self.run(executor, "import tools\nprint('waiting', flush=True)\ntools.calc.slow()",
                                     tools: Self.access(log: log), timeout: 1.5)
        #expect(outcome.result.limit == ExecutionLimit.timeout)
        #expect(outcome.result.signal == nil, "interrupted, not killed: \(outcome.result)")
        #expect(outcome.stdout == String("waiting\n"))
        let after = await Self.run(executor, "print(tools.calc.add(a=2, b=3)['sum'])", tools: Self.access(log: log))
        #expect(after.stdout == String("5\n"), "the kernel still answers, with the module still imported")
    }
}

/// The requests a test's handler received.
final class CallLog: Sendable {
    let calls = Mutex<[ToolCallRequest]>([])
}
