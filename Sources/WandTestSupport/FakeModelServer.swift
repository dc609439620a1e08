public import Foundation
public import WandEngine
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The fake OpenAI-compatible server (`Tests/Fixtures/fake_openai_server.py`) running in a child process.
///
/// It exits when its standard input closes, so it never outlives the test process.
public final class FakeModelServer: Sendable {
    /// The child process.
    public let process: ChildProcess
    /// The port it listens on.
    public let port: Int

    private init(process: ChildProcess, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts the server and waits for its port.
    public static func start() async throws -> FakeModelServer {
        var script = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { script.deleteLastPathComponent() }
        script.appendPathComponent("Tests/Fixtures/fake_openai_server.py")
        let process = try await ChildProcess.launch(ChildCommand(
            executable: "python3", arguments: ["-u", script.path], environment: ProcessInfo.processInfo.environment))
        var line = ""
        for await output in process.output {
            if case .stdout(let bytes) = output { line += String(decoding: bytes, as: UTF8.self) }
            if line.contains("\n") { break }
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ChildProcessError(command: "fake_openai_server.py", reason: "did not print its port: \(line)")
        }
        return FakeModelServer(process: process, port: port)
    }

    /// The base URL for a scenario.
    public func baseURL(_ scenario: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)/\(scenario)/v1")!
    }

    /// How many requests a scenario received (or how many `slow` streams saw their client go away).
    public func count(_ scenario: String) async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/\(scenario)")!)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Int])?["count"] ?? 0
    }

    /// Lets every `held` stream, waiting or yet to come, finish.
    public func release() async throws {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/release/v1/chat/completions")!)
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
    }

    /// Stops the server.
    public func stop() async {
        process.closeInput()
        await process.terminate(grace: 1)
    }
}
