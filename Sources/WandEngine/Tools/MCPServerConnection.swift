import Foundation
import MCP

/// Where one MCP server is in its life.
public enum MCPServerState: Sendable, Equatable {
    /// Not started yet (servers start at their first use).
    case notStarted
    /// Started; its tools are known.
    case running
    /// It failed to start, crashed, hung or was stopped after a failure; it is not used again.
    case failed(MCPServerError)
    /// Stopped with its session.
    case stopped
}

/// One MCP server: started at first use, every step bounded by a timeout, and stopped for good
/// when it fails (a crashed or hung server is not retried within a session, so a call never waits
/// on a server that already failed).
actor MCPServerConnection {
    let config: MCPServerConfig
    private let redactor: SecretRedactor
    private let environment: [String: String]
    private let resultLimitBytes: Int
    private(set) var state: MCPServerState = .notStarted
    private var knownTools: [MCPToolInfo] = []
    private var starting: Task<Void, Never>?
    private var client: Client?
    private var transport: (any Transport)?
    /// How the server's process ended, once it has (stdio servers only).
    private var endedAccount: ProcessEndAccount?
    /// Callers waiting for ``endedAccount`` (see ``settleProcessEnd(after:)``).
    private var endWaiters: [CheckedContinuation<Void, Never>] = []

    /// The largest message read from a server, in bytes; a 5 MB text result is about 10 MB on the
    /// wire (servers send it as text and again as structured content).
    static let maximumMessageBytes = 32 * 1_048_576
    /// The most pages of `tools/list` read.
    static let maximumToolPages = 50

    init(config: MCPServerConfig, environment: [String: String], resultLimitBytes: Int) {
        self.config = config
        self.environment = environment
        self.resultLimitBytes = resultLimitBytes
        redactor = Self.redactor(for: config, environment: environment)
    }

    /// The values of this server that count as secrets.
    static func redactor(for config: MCPServerConfig, environment: [String: String]) -> SecretRedactor {
        switch config.transport {
        case .stdio(_, _, let variables):
            SecretRedactor(secrets: variables.values)
        case .http(_, let headerVariables, let bearer):
            SecretRedactor(secrets: (Array(headerVariables.values) + (bearer.map { [$0] } ?? [])).compactMap { environment[$0] })
        }
    }

    /// The server's tools, starting it if needed.
    func tools() async throws(MCPServerError) -> [MCPToolInfo] {
        try await ensureStarted()
        return knownTools
    }

    /// Calls a tool, starting the server if needed. A tool that ran and failed is a result with
    /// `isError`; a server that cannot answer throws (and, if it crashed or hung, is stopped).
    func call(_ tool: String, arguments: [String: JSONValue]) async throws(MCPServerError) -> ToolCallResult {
        try await ensureStarted()
        guard knownTools.contains(where: { $0.name == tool }) else {
            throw .unknownTool("has no tool `\(tool)`; its tools are " + knownTools.map(\.name).joined(separator: ", "))
        }
        guard let client else { throw failure(or: .stopped("is not running")) }
        let request = CallTool.request(.init(name: tool, arguments: arguments.mapValues(\.mcpValue)))
        let timeout = MCPServerError.timedOut("did not answer `\(tool)` within \(Self.seconds(config.callTimeout)); it was stopped")
        let outcome = await withDeadline(config.callTimeout, failing: timeout) {
            try await client.send(request).value
        }
        switch outcome {
        case .value(let result):
            // A server may echo what it was given; its answer can reach a session file, so secrets go.
            return ToolCallResult(content: result.content, structured: result.structuredContent, isError: result.isError ?? false,
                                  limitBytes: resultLimitBytes).redacted(by: redactor)
        case .timedOut:
            throw failure(or: timeout)
        case .failure(let error):
            await settleProcessEnd(after: error)
            if case .failed(let reason) = state { throw reason }
            let stopped: MCPServerError
            if let serverError = error as? MCPServerError {
                stopped = serverError
            } else if let account = endedAccount {
                stopped = .stopped(account.text("during the call of `\(tool)`"))
            } else if case MCPError.connectionClosed = error {
                stopped = .stopped("closed its connection during the call of `\(tool)`")
            } else {
                throw .server("answered `\(tool)` with an error: \(describe(error))")
            }
            await fail(stopped)
            throw stopped
        }
    }

    /// Stops the server and everything it started.
    func stop() async {
        if case .failed = state {} else { state = .stopped }
        await tearDown()
    }

    private func ensureStarted() async throws(MCPServerError) {
        switch state {
        case .running: return
        case .failed(let error): throw error
        case .stopped: throw MCPServerError.stopped("was stopped with its session")
        case .notStarted: break
        }
        if starting == nil { starting = Task { await self.start() } }
        await starting?.value
        starting = nil
        if case .failed(let error) = state { throw error }
        if state != .running { throw MCPServerError.stopped("was stopped while starting") }
    }

    private func start() async {
        let newTransport: any Transport
        var ended: AsyncStream<ProcessEndAccount>?
        do throws(MCPServerError) {
            switch config.transport {
            case .stdio(let command, let arguments, let variables):
                let process = MCPProcessTransport(command: try childCommand(command, arguments, variables), redactor: redactor,
                                                  maximumMessageBytes: Self.maximumMessageBytes)
                ended = process.ended
                newTransport = process
            case .http(let url, let headerVariables, let bearer):
                let headers = try MCPHeaderValue.resolve(headerVariables, bearerTokenVariable: bearer, environment: environment)
                newTransport = MCPHTTPTransport(endpoint: url, headers: headers, maximumMessageBytes: Self.maximumMessageBytes,
                                                requestTimeout: max(config.startupTimeout, config.callTimeout))
            }
        } catch {
            state = .failed(error)
            return
        }
        let newClient = Client(name: "wand", version: "0.1.0")
        client = newClient
        transport = newTransport
        if let ended {
            Task { [weak self] in
                for await account in ended { await self?.processEnded(account) }
            }
        }
        let serverName = config.name
        let timeout = MCPServerError.timedOut("did not finish starting (handshake and tool list) within "
            + "\(Self.seconds(config.startupTimeout)); it was stopped")
        let outcome = await withDeadline(config.startupTimeout, failing: timeout) {
            try await newClient.connect(transport: newTransport)
            var tools: [Tool] = []
            var cursor: String?
            for _ in 0..<Self.maximumToolPages {
                let page = try await newClient.listTools(cursor: cursor)
                tools += page.tools
                cursor = page.nextCursor
                if cursor == nil { break }
            }
            return tools.map { MCPToolInfo(server: serverName, name: $0.name, description: $0.description,
                                           inputSchema: JSONValue($0.inputSchema)) }
        }
        if case .failure(let error) = outcome { await settleProcessEnd(after: error) }
        switch state {
        case .failed:
            return
        case .stopped, .running:
            await tearDown()
            return
        case .notStarted:
            break
        }
        switch outcome {
        case .value(let tools):
            knownTools = tools
            state = .running
        case .timedOut:
            break  // `withDeadline` has already failed the server, and the state check above returned.
        case .failure(let error):
            if let serverError = error as? MCPServerError {
                switch serverError {
                case .configuration, .timedOut: await fail(serverError)
                default: await fail(.startFailed(serverError.description))
                }
            } else if let account = endedAccount {
                await fail(.startFailed(account.text("while starting")))
            } else {
                await fail(.startFailed("the handshake failed: \(describe(error))"))
            }
        }
    }

    private func processEnded(_ account: ProcessEndAccount) async {
        endedAccount = account
        releaseEndWaiters()
        if state == .running {
            await fail(.stopped(account.text("(its tools are unavailable for the rest of the session)")))
        } else {
            // Unblocks a start-up that is waiting for the handshake.
            await client?.disconnect()
        }
    }

    /// After a closed connection, waits briefly for the process's own account of its end (the
    /// write that failed may be noticed before the exit is), so the error says how it ended.
    private func settleProcessEnd(after error: any Error) async {
        guard endedAccount == nil, case .stdio = config.transport, case MCPError.connectionClosed = error else { return }
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(2))
            await self?.releaseEndWaiters()
        }
        await withCheckedContinuation { endWaiters.append($0) }
    }

    private func releaseEndWaiters() {
        for waiter in endWaiters { waiter.resume() }
        endWaiters = []
    }

    private func fail(_ error: MCPServerError) async {
        if case .failed = state { return }
        state = .failed(error)
        await tearDown()
    }

    private func failure(or error: MCPServerError) -> MCPServerError {
        if case .failed(let reason) = state { return reason }
        return error
    }

    private func tearDown() async {
        let (client, transport) = (self.client, self.transport)
        self.client = nil
        self.transport = nil
        // Disconnecting the client first fails its pending requests, so no caller waits on them.
        await client?.disconnect()
        await transport?.disconnect()
    }

    private func childCommand(_ command: String, _ arguments: [String], _ variables: [String: String]) throws(MCPServerError) -> ChildCommand {
        var childEnvironment: [String: String] = [:]
        for name in MCPServerConfig.inheritedVariables { childEnvironment[name] = environment[name] }
        childEnvironment.merge(variables) { $1 }
        guard let executable = Self.locate(command, path: childEnvironment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw .configuration("`\(redactor.redact(command))` was not found" + (command.contains("/") ? "" : " on PATH"))
        }
        let setpriv = "/usr/bin/setpriv"
        if FileManager.default.isExecutableFile(atPath: setpriv) {
            return ChildCommand(executable: setpriv, arguments: ["--pdeathsig", "KILL", "--", executable] + arguments,
                                environment: childEnvironment, newSession: true)
        }
        return ChildCommand(executable: executable, arguments: arguments, environment: childEnvironment, newSession: true)
    }

    /// The program's path: `command` itself when it names a path, else the first match on `path`.
    static func locate(_ command: String, path: String) -> String? {
        if command.contains("/") {
            return FileManager.default.isExecutableFile(atPath: command) ? command : nil
        }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private func describe(_ error: any Error) -> String {
        let text: String
        if let mcpError = error as? MCPError {
            switch mcpError {
            case .serverError(_, let message): text = message
            case .internalError(let detail?), .invalidParams(let detail?), .invalidRequest(let detail?),
                 .methodNotFound(let detail?), .parseError(let detail?):
                text = detail
            default: text = mcpError.localizedDescription
            }
        } else {
            text = String(describing: error)
        }
        return redactor.redact(text)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// How an operation bounded by a deadline ended.
enum DeadlineOutcome<Value: Sendable>: Sendable {
    case value(Value)
    case failure(any Error)
    case timedOut
}

extension MCPServerConnection {
    /// Runs `operation` with a deadline. On time-out the server fails with `timeout` and is torn
    /// down, which fails the operation's pending request, so the operation always ends.
    func withDeadline<Value: Sendable>(_ seconds: Double, failing timeout: MCPServerError,
                                       _ operation: @escaping @Sendable () async throws -> Value) async -> DeadlineOutcome<Value> {
        await withTaskGroup(of: DeadlineOutcome<Value>.self) { group in
            group.addTask {
                do { return .value(try await operation()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            if case .timedOut = first {
                await fail(timeout)
            }
            group.cancelAll()
            for await _ in group {}
            return first
        }
    }
}
