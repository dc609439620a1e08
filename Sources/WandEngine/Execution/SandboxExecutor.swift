public import Foundation
import Glibc

/// Runs code in a persistent, sandboxed Python kernel (or a fresh one per request), with per-step limits.
///
/// With bubblewrap, each kernel runs with no network, a read-only view of the system, a private /tmp,
/// its own PID namespace, and only the workspace writable; as root, the code runs as an unprivileged uid of its own, where
/// the process limit applies, inside pids and memory cgroups. Without bubblewrap only the resource
/// limits apply, and the sandbox descriptor says so.
public actor SandboxExecutor: Executor {
    /// How code is confined.
    public nonisolated let sandbox: SandboxDescriptor
    /// The limits per step.
    public nonisolated let limits: ExecutionLimits
    /// The writable workspace (the code's working directory).
    public nonisolated let workspace: URL
    /// The uid the code runs as when Wand, as root, gives each sandbox one of its own; nil when the code
    /// runs as Wand's own user.
    public nonisolated let sandboxUID: UInt32?
    private let builder: SandboxCommandBuilder
    private var persistent: KernelSession?
    private var nextCell = 0
    private var running: [Int: (session: KernelSession, reason: ExecutionLimit?)] = [:]
    private var pendingAborts: [Int: ExecutionLimit] = [:]
    /// The Python version of the last kernel started.
    public private(set) var pythonVersion: String?

    /// The seconds an interrupted step has to stop before its kernel is killed.
    public static let interruptGrace = 2.0

    /// Creates an executor; `workspace` is created (and, as root, handed to the sandbox user).
    public init(capabilities: SandboxCapabilities, limits: ExecutionLimits, workspace: URL) throws {
        self.limits = limits
        self.sandbox = capabilities.descriptor(limits: limits)
        self.workspace = workspace
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: workspace, withIntermediateDirectories: true)
        var driverDirectory = WandResourcesLocator.python
        let uid = SandboxCapabilities.allocateSandboxUID()
        if capabilities.isRoot {
            chown(workspace.path, uid, uid)
            chmod(workspace.path, 0o700)
            if capabilities.bubblewrap == nil {
                driverDirectory = try Self.publicDriverCopy(next: workspace)
            }
        }
        builder = SandboxCommandBuilder(capabilities: capabilities, limits: limits, uid: uid, workspace: workspace,
                                        driverDirectory: driverDirectory)
        sandboxUID = capabilities.isRoot && capabilities.setpriv != nil ? uid : nil
    }

    /// Where workspaces go: the data directory, except as root without bubblewrap, where the
    /// unprivileged user could not reach it and a directory under /tmp is used instead.
    public static func workspaceRoot(paths: WandPaths, capabilities: SandboxCapabilities) -> URL {
        guard capabilities.isRoot, capabilities.bubblewrap == nil else { return paths.workspaces }
        let root = unreachableDataRoot
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        chmod(root.path, 0o711)
        return root
    }

    /// The root of a recorded session's workspace, when it is still on this machine: the first of the
    /// places ``workspaceRoot(paths:capabilities:)`` may have chosen that holds it (or its first side's).
    public static func existingWorkspaceRoot(of session: String, paths: WandPaths) -> URL? {
        guard let name = workspaceName(session: session) else { return nil }
        return [paths.workspaces, unreachableDataRoot].first { root in
            [name, name + "-1"].contains { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
        }
    }

    /// A session's workspace directory's name: its id, and for a side of a comparison (which has a
    /// workspace of its own) `ID-SIDE`. Nil for an id that is not one directory's name (a session file
    /// can say anything).
    public static func workspaceName(session: String, side: Int? = nil) -> String? {
        guard !session.isEmpty, !session.contains("/"), session != ".", session != ".." else { return nil }
        return side.map { "\(session)-\($0)" } ?? session
    }

    private static var unreachableDataRoot: URL { URL(fileURLWithPath: "/tmp/wand-sandbox-\(getuid())", isDirectory: true) }

    private static func publicDriverCopy(next workspace: URL) throws -> URL {
        let directory = workspace.deletingLastPathComponent().appendingPathComponent(".driver", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        for name in ["wand_kernel.py", "wand_tests.py"] {
            let target = directory.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: WandResourcesLocator.python.appendingPathComponent(name), to: target)
            chmod(target.path, 0o644)
        }
        return directory
    }

    /// Runs a request; cancelling the consumer interrupts it (and kills the kernel if it does not stop).
    public nonisolated func execute(_ request: ExecutionRequest) -> ExecutionEventStream {
        let cell = Task { await self.reserveCell() }
        let (stream, sink) = ExecutionEventStream.make {
            Task { await self.abort(cell: await cell.value, reason: .cancelled) }
        }
        Task {
            let id = await cell.value
            await self.run(request, cell: id, sink: EventSink(queue: sink))
            sink.finish()
        }
        return stream
    }

    /// Writes a file into the workspace (readable by the sandboxed code), returning its path there.
    public nonisolated func stage(_ contents: String, as relativePath: String) throws -> String {
        let url = workspace.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        chmod(url.deletingLastPathComponent().path, 0o755)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        chmod(url.path, 0o644)
        return relativePath
    }

    /// Starts the persistent kernel now (the first step would otherwise pay for it).
    public func warmUp() async throws {
        _ = try await persistentSession()
    }

    /// Stops the persistent kernel.
    public func shutdown() async {
        await persistent?.shutdown()
        persistent = nil
    }

    private func reserveCell() -> Int {
        nextCell += 1
        return nextCell
    }

    private func persistentSession() async throws -> KernelSession {
        if let persistent { return persistent }
        let (session, version) = try await KernelSession.start(builder: builder, limits: limits)
        persistent = session
        pythonVersion = version
        return session
    }

    private func run(_ request: ExecutionRequest, cell: Int, sink: EventSink) async {
        // Taken before the clock starts, so a large workspace does not count against the step's time.
        let workspaceBefore = WorkspaceSnapshot.take(of: workspace)
        let started = ContinuousClock.now
        func elapsedMs() -> Int {
            let elapsed = ContinuousClock.now - started
            return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        }
        var session: KernelSession
        var restarted = false
        do {
            if request.fresh {
                let (fresh, version) = try await KernelSession.start(builder: builder, limits: limits)
                pythonVersion = version
                session = fresh
            } else {
                session = try await persistentSession()
                if !session.isAlive {
                    session = try await restartPersistent(after: session, sink: sink)
                    restarted = true
                }
            }
        } catch {
            sink.yield(.finished(ExecFinished(attempt: request.attempt, exitStatus: nil, error: "\(error)",
                                              durationMs: elapsedMs())))
            return
        }
        let timeout = request.timeout ?? limits.timeout
        let watchdog = Task {
            try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
            await self.abort(cell: cell, reason: .timeout)
        }
        var result: KernelResult?
        // Calls are answered concurrently, so the cell's output keeps streaming while a tool works.
        var toolCalls: [Task<Void, Never>] = []
        defer { for call in toolCalls { call.cancel() } }
        do {
            var execute: [String: Any] = ["type": "execute", "id": cell, "code": request.source,
                                          "language": request.language.rawValue]
            if let tools = request.tools { execute["tools"] = tools.moduleSource }
            running[cell] = (session, nil)
            do {
                try await session.send(execute)
            } catch where !request.fresh && !restarted {
                // The kernel died after the last step (the request never reached it): start a new one.
                session = try await restartPersistent(after: session, sink: sink)
                restarted = true
                let abortedMeanwhile = running[cell]?.reason
                running[cell] = (session, nil)
                try await session.send(execute)
                if let abortedMeanwhile { await abort(cell: cell, reason: abortedMeanwhile) }
            }
            if let pending = pendingAborts.removeValue(forKey: cell) { await abort(cell: cell, reason: pending) }
            while let message = await session.messages.next() {
                switch message {
                case .stream(let id, let stream, let text) where id == cell:
                    sink.yield(.output(stream, text))
                case .result(let finished) where finished.id == cell:
                    result = finished
                case .toolCall(let id, let call, let server, let tool, let arguments) where id == cell:
                    let toolRequest = ToolCallRequest(server: server, tool: tool, arguments: arguments, attempt: request.attempt)
                    let answering = session
                    toolCalls.append(Task {
                        let reply = await request.tools?.handle(toolRequest)
                            ?? .error("no MCP tools are configured for this session ([mcp.servers.NAME] in config.toml)")
                        try? await answering.answer(call: call, with: reply)
                    })
                default:
                    continue
                }
                if result != nil { break }
            }
        } catch {
            result = nil
        }
        watchdog.cancel()
        let reason = running.removeValue(forKey: cell)?.reason
        let durationMs = elapsedMs()
        if let result {
            if request.fresh { await session.shutdown() }
            var finished = Self.finished(result, attempt: request.attempt, reason: reason, timeout: timeout,
                                         durationMs: durationMs, limits: limits)
            finished.stateLost = restarted
            sink.yield(.finished(finished.recordingFiles(from: workspaceBefore, to: WorkspaceSnapshot.take(of: workspace))))
            return
        }
        await session.kill()
        if !request.fresh {
            if persistent === session { persistent = nil }
            sink.yield(.notice(Notice(level: .warning,
                                      message: "The Python kernel was restarted; variables and imports from earlier steps are gone.")))
        }
        let error: String
        switch reason {
        case .timeout?: error = "TimeoutError: the step ran longer than \(Self.seconds(timeout)) and did not stop when interrupted, so its kernel was killed"
        case .cancelled?: error = "Cancelled: the step was stopped by the user and its kernel was killed"
        default: error = "the Python kernel died while running this step (\(await session.process.waitForExit()))"
        }
        let killed = ExecFinished(attempt: request.attempt, exitStatus: nil, signal: Int(SIGKILL), error: error,
                                  durationMs: durationMs, limit: reason, stateLost: !request.fresh)
        sink.yield(.finished(killed.recordingFiles(from: workspaceBefore, to: WorkspaceSnapshot.take(of: workspace))))
    }

    /// Replaces a persistent kernel that has died between steps, and says that its state is gone.
    private func restartPersistent(after dead: KernelSession, sink: EventSink) async throws -> KernelSession {
        await dead.kill()
        if persistent === dead { persistent = nil }
        sink.yield(.notice(Notice(level: .warning, message: "The Python kernel had stopped since the last step; "
            + "a new one was started, so variables and imports from earlier steps are gone.")))
        return try await persistentSession()
    }

    /// Interrupts a running cell; kills its kernel if it has not stopped after the grace period.
    private func abort(cell: Int, reason: ExecutionLimit) async {
        guard var entry = running[cell] else {
            pendingAborts[cell] = reason
            return
        }
        guard entry.reason == nil else { return }
        entry.reason = reason
        running[cell] = entry
        let session = entry.session
        try? await session.send(["type": "interrupt"])
        Task {
            try await Task.sleep(for: .milliseconds(Int(Self.interruptGrace * 1000)))
            await self.killIfStillRunning(cell: cell, session: session)
        }
    }

    private func killIfStillRunning(cell: Int, session: KernelSession) async {
        guard running[cell]?.session === session else { return }
        await session.kill()
    }

    private static func finished(_ result: KernelResult, attempt: Int, reason: ExecutionLimit?, timeout: Double,
                                 durationMs: Int, limits: ExecutionLimits) -> ExecFinished {
        var limit: ExecutionLimit?
        var error = result.error
        switch result.limit {
        case "interrupted"?:
            limit = reason ?? .cancelled
            error = limit == .timeout
                ? "TimeoutError: the step ran longer than \(seconds(timeout)) and was interrupted"
                : "Cancelled: the step was interrupted by the user"
        case "cpu"?: limit = .cpu
        case "memory"?: limit = .memory
        case "file-size"?: limit = .fileSize
        case "processes"?:
            limit = .processes
            error = (error ?? "") + " (the limit is \(limits.processes) processes)"
        default: limit = nil
        }
        let exitStatus = result.ok ? 0 : (result.exitStatus ?? 1) == 0 ? 1 : (result.exitStatus ?? 1)
        return ExecFinished(attempt: attempt, exitStatus: exitStatus, value: result.value, error: error,
                            traceback: result.traceback, durationMs: durationMs, truncated: (result.dropped ?? 0) > 0,
                            limit: limit, tests: result.tests)
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// Feeds an execution's events to its stream.
struct EventSink: Sendable {
    let queue: AsyncQueue<ExecutionEvent>

    func yield(_ event: ExecutionEvent) { queue.push(event) }
}
