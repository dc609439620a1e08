import ArgumentParser
import Foundation
import WandEngine

/// `wand-bench model`: time to first token and total time for the same prompt through Wand's client
/// and through `curl` to the same embedded `llama-server`, alternating, in the same run.
struct ModelBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Model client overhead against curl.")

    @Option(help: "Requests per client.")
    var repetitions = 7

    @Option(help: "Tokens to generate per request.")
    var tokens = 128

    func run() async throws {
        let layout = EmbeddedModelLayout(paths: WandPaths())
        guard layout.isInstalled else { throw ValidationError("the embedded model is not installed; run `wand setup --yes`") }
        let server = LocalModelServer(layout: layout, contextSize: 4_096, parallel: 1)
        let baseURL = try await server.ensureRunning()
        defer { Task { await server.stop() } }
        let prompt = "Write a Python function that returns the n-th prime number, with a docstring and comments."
        let client = OpenAICompatibleModel(endpoint: ModelEndpoint(profile: "bench", baseURL: baseURL, model: "local", apiKey: nil,
                                                                   temperature: 0, maxTokens: tokens))
        let body = try JSONSerialization.data(withJSONObject: [
            "model": "local", "stream": true, "max_tokens": tokens, "temperature": 0,
            "stream_options": ["include_usage": true], "messages": [["role": "user", "content": prompt]],
        ] as [String: Any])
        var wand: [(first: Double, total: Double)] = []
        var curl: [(first: Double, total: Double)] = []
        _ = try await Self.wandRequest(client, prompt: prompt)
        _ = try await Self.curlRequest(baseURL: baseURL, body: body)
        for _ in 0..<repetitions {
            wand.append(try await Self.wandRequest(client, prompt: prompt))
            curl.append(try await Self.curlRequest(baseURL: baseURL, body: body))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let rows: [(String, Double, Double)] = [
            ("time to first token", median(wand.map(\.first)), median(curl.map(\.first))),
            ("total time (\(tokens) tokens)", median(wand.map(\.total)), median(curl.map(\.total))),
        ]
        print("Same prompt, temperature 0, \(repetitions) alternating requests each, embedded llama-server (median)\n")
        Measure.printTable(["measure", "Wand client", "curl", "Wand / curl"], rows.map { name, ours, theirs in
            [name, Measure.format(seconds: ours), Measure.format(seconds: theirs), String(format: "%.3f×", ours / theirs)]
        })
    }

    static func wandRequest(_ client: OpenAICompatibleModel, prompt: String) async throws -> (first: Double, total: Double) {
        let start = ContinuousClock.now
        var first: Double?
        for try await event in client.generate(GenerationRequest(messages: [ChatMessage(.user, prompt)], temperature: 0)) {
            if case .delta = event, first == nil { first = seconds(since: start) }
        }
        return (first ?? 0, seconds(since: start))
    }

    static func curlRequest(baseURL: URL, body: Data) async throws -> (first: Double, total: Double) {
        let start = ContinuousClock.now
        let process = try await ChildProcess.launch(ChildCommand(
            executable: "/usr/bin/curl",
            arguments: ["-sN", "-X", "POST", baseURL.appendingPathComponent("chat/completions").absoluteString,
                        "-H", "Content-Type: application/json", "--data-binary", String(decoding: body, as: UTF8.self)],
            environment: ["PATH": "/usr/bin:/bin"]))
        process.closeInput()
        var first: Double?
        var text = ""
        for await chunk in process.output {
            guard case .stdout(let bytes) = chunk else { continue }
            text += String(decoding: bytes, as: UTF8.self)
            if first == nil, text.range(of: "\"content\":\"[^\"]", options: .regularExpression) != nil { first = seconds(since: start) }
        }
        _ = await process.waitForExit()
        return (first ?? 0, seconds(since: start))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
