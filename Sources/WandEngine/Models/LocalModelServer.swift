import AsyncHTTPClient
public import Foundation
import Glibc

/// Runs llama.cpp's `llama-server` for the embedded model: on a free loopback port (never a public
/// interface), waiting for its health endpoint, restarting it when it dies, logging to a file, and
/// stopping it with Wand.
///
/// The server is started through `setpriv --pdeathsig KILL`, so the kernel kills it if Wand dies in
/// any way (a crash, SIGKILL); `stop()` ends it gracefully otherwise.
public actor LocalModelServer {
    /// Where the pieces are.
    public let layout: EmbeddedModelLayout
    /// Total context in tokens, shared by the slots.
    public let contextSize: Int
    /// Parallel request slots.
    public let parallel: Int
    private let environment: [String: String]
    private var process: ChildProcess?
    private var port: Int?
    private var starting: Task<URL, any Error>?
    private var stopping = false
    /// How many times the server was restarted after dying.
    public private(set) var restarts = 0
    /// Called with a message when the server dies or restarts.
    private var onNotice: @Sendable (String) -> Void = { _ in }

    /// Creates a supervisor; nothing starts until ``ensureRunning()``.
    public init(layout: EmbeddedModelLayout, contextSize: Int = 32_768, parallel: Int = 4,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.layout = layout
        self.contextSize = contextSize
        self.parallel = parallel
        self.environment = environment
    }

    /// Sets the receiver of notices (deaths, restarts).
    public func setNoticeHandler(_ handler: @escaping @Sendable (String) -> Void) { onNotice = handler }

    /// The base URL of the server, starting it, or restarting it if its process has exited.
    ///
    /// A running server is trusted rather than health-checked on every call: under load (two
    /// generations on two cores) `/health` can be slow, and restarting a busy server — whose
    /// replacement answers 503 while it loads — turned a slow moment into a restart storm here.
    /// A hung server is caught by the request's own idle timeout and deadline.
    public func ensureRunning() async throws -> URL {
        if let starting { return try await starting.value }
        if let process, let port {
            if Self.isAlive(process.pid) { return Self.baseURL(port: port) }
            self.process = nil
        }
        if port != nil {
            restarts += 1
            onNotice("restarting the model server (restart \(restarts))")
        }
        let task = Task { try await launch() }
        starting = task
        defer { starting = nil }
        return try await task.value
    }

    /// The PID of the running server, if any.
    public var pid: Int32? { process?.pid }

    /// Stops the server (SIGTERM, then SIGKILL after 3 s).
    public func stop() async {
        stopping = true
        await process?.terminate(grace: 3)
        process = nil
        port = nil
    }

    private func launch() async throws -> URL {
        guard let binary = layout.serverBinary, let libraries = layout.serverDirectory else {
            throw ModelError.configuration("the embedded model server is not installed; run `wand setup`")
        }
        guard layout.modelVerified else {
            throw ModelError.configuration("the embedded model file is missing or unverified; run `wand setup`")
        }
        try layout.linkServerLibraries()
        stopping = false
        let port = try Self.freeLoopbackPort()
        var environment = self.environment
        environment["LD_LIBRARY_PATH"] = libraries.path
        let serverArguments = [binary.path, "--model", layout.modelFile.path, "--host", "127.0.0.1", "--port", String(port),
                               "--ctx-size", String(contextSize), "--parallel", String(parallel), "--no-webui"]
        let setpriv = "/usr/bin/setpriv"
        let command = FileManager.default.isExecutableFile(atPath: setpriv)
            ? ChildCommand(executable: setpriv, arguments: ["--pdeathsig", "KILL", "--"] + serverArguments, environment: environment)
            : ChildCommand(executable: binary.path, arguments: Array(serverArguments.dropFirst()), environment: environment)
        try FileManager.default.createDirectory(at: layout.paths.logs, withIntermediateDirectories: true)
        let logURL = layout.serverLog
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        log.write(Data("\n=== \(EventTime.format(Date())) starting llama-server on 127.0.0.1:\(port)\n".utf8))
        let child = try await ChildProcess.launch(command)
        child.closeInput()
        process = child
        self.port = port
        Task.detached { [weak self] in
            for await chunk in child.output {
                switch chunk {
                case .stdout(let bytes), .stderr(let bytes): log.write(Data(bytes))
                }
            }
            let exit = await child.waitForExit()
            try? log.close()
            await self?.childEnded(child, exit: exit)
        }
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            if process !== child {
                throw ModelError.configuration("llama-server exited while starting; see \(logURL.path):\n" + Self.tail(of: logURL))
            }
            if await isHealthy(port: port) { return Self.baseURL(port: port) }
            try await Task.sleep(for: .milliseconds(100))
        }
        await child.terminate(grace: 1)
        throw ModelError.configuration("llama-server did not become healthy within 90 s; see \(logURL.path)")
    }

    private func childEnded(_ child: ChildProcess, exit: ChildExit) {
        guard process === child else { return }
        process = nil
        if !stopping { onNotice("the model server exited (\(exit)); it restarts on the next request") }
    }

    /// Whether the server process is running (started and not exited).
    public var isRunning: Bool { process != nil }

    private func isHealthy(port: Int) async -> Bool {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health")
        guard let response = try? await HTTPTransport.client.execute(request, timeout: .seconds(2)) else { return false }
        return response.status == .ok
    }

    private static func baseURL(port: Int) -> URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    /// Whether a process exists and has not exited (a zombie awaiting its reaping counts as exited).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it).
    static func freeLoopbackPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ModelError.configuration("cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw ModelError.configuration("cannot bind a loopback socket to find a free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func tail(of url: URL) -> String {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(10).joined(separator: "\n")
    }
}

/// The embedded model as a ``LanguageModel``: makes sure the local server runs before each request,
/// and restarts it once if it died mid-session.
public struct EmbeddedModel: LanguageModel {
    /// The server supervisor.
    public let server: LocalModelServer
    /// Sampling defaults.
    public let profile: ModelProfile
    /// Timeouts and retries.
    public let policy: RequestPolicy

    /// Creates the model.
    public init(server: LocalModelServer, profile: ModelProfile = .embedded, policy: RequestPolicy = RequestPolicy()) {
        self.server = server
        self.profile = profile
        self.policy = policy
    }

    /// Describes the embedded model (its URL changes per run, so the profile name stands for it).
    public var descriptor: ModelDescriptor {
        ModelDescriptor(profile: profile.name, name: profile.model, baseURL: "embedded llama.cpp (127.0.0.1)")
    }

    /// Streams a completion from the local server.
    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let (stream, sink) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let task = Task {
            do {
                for attempt in 1...2 {
                    let url = try await server.ensureRunning()
                    let client = OpenAICompatibleModel(
                        endpoint: ModelEndpoint(profile: profile.name, baseURL: url, model: profile.model, apiKey: nil,
                                                temperature: profile.temperature, maxTokens: profile.maxTokens),
                        policy: policy)
                    var streamed = false
                    do {
                        for try await event in client.generate(request) {
                            if case .delta = event { streamed = true }
                            sink.yield(event)
                        }
                        sink.finish()
                        return
                    } catch let error as ModelError {
                        guard case .unreachable = error, !streamed, attempt == 1 else { throw error }
                        sink.yield(.notice("the model server did not answer; restarting it"))
                    }
                }
            } catch {
                sink.finish(throwing: error)
            }
        }
        sink.onTermination = { _ in task.cancel() }
        return stream
    }
}
