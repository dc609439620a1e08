import Foundation

/// A message from the kernel driver.
enum KernelMessage: Sendable, Equatable {
    case ready(python: String)
    case stream(cell: Int, stream: OutputStreamKind, text: String)
    case result(KernelResult)
    case reaped(left: Int)
    /// Code in cell `cell` calls a tool and waits for the answer to `call`.
    case toolCall(cell: Int, call: Int, server: String, tool: String, arguments: [String: JSONValue])
}

/// The driver's account of a finished cell.
struct KernelResult: Sendable, Equatable, Decodable {
    var id: Int
    var ok: Bool
    var value: String?
    var error: String?
    var traceback: String?
    var limit: String?
    var exitStatus: Int?
    var dropped: Int?
    var durationMs: Int?
    var tests: [TestCaseResult]?

    enum CodingKeys: String, CodingKey {
        case id, ok, value, error, traceback, limit, dropped, tests
        case exitStatus = "exit_status"
        case durationMs = "duration_ms"
    }
}

/// One running kernel driver in its sandbox: its process, its parsed messages, and its cgroups.
final class KernelSession: Sendable {
    let process: ChildProcess
    let messages = AsyncQueue<KernelMessage>()
    let cgroup: CgroupScope?
    let diagnostics = AsyncQueue<String>()

    /// Whether the kernel can still answer: false once its output has ended (it died or was killed).
    var isAlive: Bool { !messages.isFinished }

    private init(process: ChildProcess, cgroup: CgroupScope?) {
        self.process = process
        self.cgroup = cgroup
    }

    /// Starts a driver and waits for its `ready` message; returns the session and the Python version.
    static func start(builder: SandboxCommandBuilder, limits: ExecutionLimits) async throws -> (KernelSession, String) {
        let capabilities = builder.capabilities
        let cgroup = CgroupScope(capabilities: capabilities, limits: limits)
        var config: [String: Any] = [
            "memory": limits.memoryMB * 1_048_576, "file_size": limits.fileSizeMB * 1_048_576,
            "cpu_seconds": limits.cpuSeconds, "output_bytes": limits.outputBytes, "workspace": builder.innerWorkspace,
        ]
        config["processes"] = capabilities.isRoot ? limits.processes : ProcessTable.pids(ownedBy: getuid()).count + limits.processes
        let configText = String(decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]),
                                as: UTF8.self)
        let command = builder.command(cgroup: cgroup, driverConfig: configText)
        let process: ChildProcess
        do {
            process = try await ChildProcess.launch(command)
        } catch {
            await onOwnThread { cgroup?.remove() }
            throw ExecutionError.kernelStart("cannot start the sandbox (\(command.executable)): \(error)")
        }
        let session = KernelSession(process: process, cgroup: cgroup)
        Task.detached { await session.readOutput() }
        switch await session.messages.next() {
        case .ready(let python)?:
            return (session, python)
        default:
            await session.kill()
            var stderr: [String] = []
            while let line = await session.diagnostics.next() { stderr.append(line) }
            throw ExecutionError.kernelStart("the Python kernel did not start: "
                + stderr.suffix(6).joined(separator: " ").prefix(600))
        }
    }

    /// Sends one request line.
    func send(_ request: [String: Any]) async throws {
        var data = try JSONSerialization.data(withJSONObject: request)
        data.append(0x0A)
        try await process.write(Array(data))
    }

    /// Sends the answer to a tool call.
    func answer(call: Int, with reply: ToolCallReply) async throws {
        var message: [String: JSONValue] = ["type": .string("tool_result"), "call": .int(call)]
        switch reply {
        case .value(let value):
            message["ok"] = .bool(true)
            message["value"] = value
        case .error(let text):
            message["ok"] = .bool(false)
            message["error"] = .string(text)
        }
        var data = Array(JSONValue.object(message).compactText.utf8)
        data.append(0x0A)
        try await process.write(data)
    }

    /// Kills the sandbox and everything in it, and removes its cgroups.
    func kill() async {
        process.closeInput()
        process.signal(SIGKILL)
        await onOwnThread { [cgroup] in cgroup?.killAll() }
        _ = await process.waitForExit()
        await onOwnThread { [cgroup] in cgroup?.remove() }
    }

    /// Ends the kernel politely: closing its input makes it exit; anything left is killed.
    func shutdown() async {
        process.closeInput()
        let killer = Task {
            try await Task.sleep(for: .seconds(2))
            process.signal(SIGKILL)
        }
        _ = await process.waitForExit()
        killer.cancel()
        await onOwnThread { [cgroup] in cgroup?.remove() }
    }

    private func readOutput() async {
        var pending = Data()
        var errorText = ""
        let decoder = JSONDecoder()
        for await chunk in process.output {
            switch chunk {
            case .stdout(let bytes):
                pending.append(contentsOf: bytes)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = pending[pending.startIndex..<newline]
                    pending.removeSubrange(pending.startIndex...newline)
                    if let message = Self.parse(line, decoder: decoder) { messages.push(message) }
                }
            case .stderr(let bytes):
                errorText += String(decoding: bytes, as: UTF8.self)
                while let newline = errorText.firstIndex(of: "\n") {
                    diagnostics.push(String(errorText[..<newline]))
                    errorText.removeSubrange(...newline)
                }
            }
        }
        if !errorText.isEmpty { diagnostics.push(errorText) }
        diagnostics.finish()
        messages.finish()
    }

    private static func parse(_ line: Data, decoder: JSONDecoder) -> KernelMessage? {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
              let type = object["type"] as? String else { return nil }
        switch type {
        case "ready":
            return .ready(python: object["python"] as? String ?? "?")
        case "stream":
            guard let cell = object["id"] as? Int, let data = object["data"] as? String else { return nil }
            return .stream(cell: cell, stream: object["name"] as? String == "stderr" ? .stderr : .stdout, text: data)
        case "result":
            return (try? decoder.decode(KernelResult.self, from: line)).map { .result($0) }
        case "reaped":
            return .reaped(left: object["left"] as? Int ?? 0)
        case "tool_call":
            struct ToolCallLine: Decodable {
                var id: Int
                var call: Int
                var server: String
                var tool: String
                var arguments: [String: JSONValue]
            }
            guard let parsed = try? decoder.decode(ToolCallLine.self, from: line) else { return nil }
            return .toolCall(cell: parsed.id, call: parsed.call, server: parsed.server, tool: parsed.tool,
                             arguments: parsed.arguments)
        default:
            return nil
        }
    }
}

/// The executor could not do its job.
public enum ExecutionError: Error, Sendable, CustomStringConvertible {
    /// The sandboxed kernel could not be started.
    case kernelStart(String)

    /// A message for people.
    public var description: String {
        switch self {
        case .kernelStart(let message): message
        }
    }
}
