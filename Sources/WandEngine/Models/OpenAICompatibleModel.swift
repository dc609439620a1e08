import AsyncHTTPClient
public import Foundation
import NIOCore

/// Where and how to reach an OpenAI-compatible chat completions server.
public struct ModelEndpoint: Sendable, Equatable {
    /// The profile it came from.
    public var profile: String
    /// The base URL, ending before `/chat/completions` (e.g. `http://127.0.0.1:8080/v1`).
    public var baseURL: URL
    /// The model name sent in requests.
    public var model: String
    /// The API key, read from the environment variable the profile names; never written anywhere.
    public var apiKey: String?
    /// Default sampling temperature.
    public var temperature: Double
    /// Default and maximum reply length in tokens.
    public var maxTokens: Int

    /// Creates an endpoint.
    public init(profile: String, baseURL: URL, model: String, apiKey: String?, temperature: Double = 0.2,
                maxTokens: Int = 768) {
        self.profile = profile
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.temperature = temperature
        self.maxTokens = maxTokens
    }
}

/// Timeouts and retries of the client.
public struct RequestPolicy: Sendable, Equatable {
    /// Seconds without any byte from the server before giving up on a connection.
    public var idleTimeout: Double
    /// Seconds the whole request (all attempts, the whole stream) may take.
    public var deadline: Double
    /// Attempts for connection errors, 429 and 5xx before the first token.
    public var maxAttempts: Int
    /// First backoff delay in seconds; doubles after each attempt.
    public var backoff: Double
    /// The longest `Retry-After` honoured, in seconds.
    public var maximumRetryAfter: Double

    /// Creates a policy.
    public init(idleTimeout: Double = 120, deadline: Double = 600, maxAttempts: Int = 4, backoff: Double = 0.5,
                maximumRetryAfter: Double = 30) {
        self.idleTimeout = idleTimeout
        self.deadline = deadline
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maximumRetryAfter = maximumRetryAfter
    }
}

/// A streaming client for OpenAI-compatible chat completions (llama.cpp's `llama-server`, Ollama, vLLM, OpenAI).
///
/// Built on async-http-client (SwiftNIO): streaming through Foundation's URLSession on Linux cost
/// almost a core of CPU per stream here and doubled generation time next to a local model server.
public struct OpenAICompatibleModel: LanguageModel {
    /// The server and model.
    public let endpoint: ModelEndpoint
    /// Timeouts and retries.
    public let policy: RequestPolicy

    /// Creates a client.
    public init(endpoint: ModelEndpoint, policy: RequestPolicy = RequestPolicy()) {
        self.endpoint = endpoint
        self.policy = policy
    }

    /// The descriptor recorded in sessions: profile, model and URL, never the key.
    public var descriptor: ModelDescriptor {
        ModelDescriptor(profile: endpoint.profile, name: endpoint.model, baseURL: endpoint.baseURL.absoluteString)
    }

    /// Streams a completion; cancelling the consuming task cancels the HTTP request at once.
    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        .generation { sink in try await run(request, sink: sink) }
    }

    private var server: String { endpoint.baseURL.absoluteString }

    private func run(_ request: GenerationRequest,
                     sink: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) async throws {
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int(policy.deadline * 1000))
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            do {
                try await stream(request, started: started, deadline: deadline, sink: sink)
                return
            } catch let error as AttemptFailure {
                guard error.beforeFirstToken, error.error.isRetryable, attempt < policy.maxAttempts else {
                    throw error.error.withAttempts(attempt)
                }
                var delay = policy.backoff * pow(2, Double(attempt - 1))
                if let retryAfter = error.retryAfter { delay = max(delay, min(retryAfter, policy.maximumRetryAfter)) }
                guard ContinuousClock.now + .milliseconds(Int(delay * 1000)) < deadline else {
                    throw error.error.withAttempts(attempt)
                }
                sink.yield(.notice("\(error.error.shortReason); retrying in \(String(format: "%.1f", delay)) s (attempt \(attempt + 1) of \(policy.maxAttempts))"))
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            }
        }
    }

    /// A failed attempt, with what the retry logic needs to know.
    private struct AttemptFailure: Error {
        var error: ModelError
        var beforeFirstToken: Bool
        var retryAfter: Double?
    }

    /// Why the watchdog stopped a request.
    private enum Stop: Sendable { case deadline, idle }

    private func stream(_ request: GenerationRequest, started: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
                        sink: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) async throws {
        let httpRequest = try makeRequest(request)
        let lastActivity = Locked(ContinuousClock.now)
        let stopped = Locked<Stop?>(nil)
        let received = Locked(Reception())
        let idle = Duration.milliseconds(Int(policy.idleTimeout * 1000))
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(200))
                        let now = ContinuousClock.now
                        if now >= deadline {
                            stopped.withLock { $0 = .deadline }
                            return
                        }
                        if now - lastActivity.withLock({ $0 }) > idle {
                            stopped.withLock { $0 = .idle }
                            return
                        }
                    }
                }
                group.addTask {
                    try await receive(httpRequest, request: request, started: started, lastActivity: lastActivity,
                                      received: received, sink: sink)
                }
                _ = try await group.next()
                group.cancelAll()
            }
        } catch let failure as AttemptFailure {
            throw failure
        } catch {
            if let stop = stopped.withLock({ $0 }) { throw failure(for: stop, partial: received.withLock { $0.text }) }
            if Task.isCancelled { throw CancellationError() }
            let partial = received.withLock { $0.text }
            let headSeen = received.withLock { $0.status != nil }
            throw AttemptFailure(error: transportError(error, partial: partial, headSeen: headSeen),
                                 beforeFirstToken: partial.isEmpty, retryAfter: nil)
        }
        if let stop = stopped.withLock({ $0 }) { throw failure(for: stop, partial: received.withLock { $0.text }) }
    }

    private func failure(for stop: Stop, partial: String) -> AttemptFailure {
        switch stop {
        case .deadline:
            AttemptFailure(error: .deadline(server: server, seconds: policy.deadline), beforeFirstToken: false, retryAfter: nil)
        case .idle:
            AttemptFailure(error: partial.isEmpty
                               ? .unreachable(server: server, reason: "no answer within \(Int(policy.idleTimeout)) s", attempts: 1)
                               : .incomplete(server: server, partial: partial),
                           beforeFirstToken: partial.isEmpty, retryAfter: nil)
        }
    }

    /// What has come back so far, for error messages.
    private struct Reception: Sendable {
        var status: Int?
        var text = ""
    }

    /// Sends the request and reads the streamed reply, yielding deltas and the final result.
    private func receive(_ httpRequest: HTTPClientRequest, request: GenerationRequest, started: ContinuousClock.Instant,
                         lastActivity: Locked<ContinuousClock.Instant>, received: Locked<Reception>,
                         sink: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) async throws {
        let response = try await HTTPTransport.client.execute(httpRequest, timeout: .seconds(Int64(policy.deadline.rounded(.up))))
        lastActivity.withLock { $0 = .now }
        let status = Int(response.status.code)
        received.withLock { $0.status = status }
        guard status == 200 else {
            var body = ""
            for try await buffer in response.body {
                body += String(buffer: buffer)
                if body.count > 4096 { break }
            }
            let retryAfter = response.headers.first(name: "retry-after").flatMap(Double.init)
            throw AttemptFailure(error: .http(server: server, status: status, body: redact(excerpt(body, limit: 300))),
                                 beforeFirstToken: true, retryAfter: retryAfter)
        }
        var parser = ServerSentEventParser()
        var text = ""
        var firstTokenMs: Int?
        var finishReason: String?
        var usage: TokenUsage?
        var sawDone = false
        var toolCalls: [Int: (id: String, name: String, arguments: String)] = [:]
        let decoder = JSONDecoder()

        func handle(_ payload: String) throws {
            if payload.trimmingCharacters(in: .whitespaces) == "[DONE]" {
                sawDone = true
                return
            }
            guard let chunk = try? decoder.decode(CompletionChunk.self, from: Data(payload.utf8)) else {
                sink.yield(.notice("skipped a malformed server-sent event: \(excerpt(payload, limit: 80))"))
                return
            }
            if let error = chunk.error {
                throw AttemptFailure(error: .http(server: server, status: error.code ?? 500,
                                                  body: redact(error.message ?? "error in stream")),
                                     beforeFirstToken: text.isEmpty, retryAfter: nil)
            }
            if let chunkUsage = chunk.usage {
                usage = TokenUsage(prompt: chunkUsage.promptTokens ?? 0, completion: chunkUsage.completionTokens ?? 0)
            }
            for choice in chunk.choices ?? [] {
                if let content = choice.delta?.content ?? choice.text, !content.isEmpty {
                    if firstTokenMs == nil { firstTokenMs = milliseconds(since: started) }
                    text += content
                    received.withLock { $0.text = text }
                    sink.yield(.delta(content))
                }
                for fragment in choice.delta?.toolCalls ?? [] {
                    let index = fragment.index ?? 0
                    var call = toolCalls[index] ?? ("", "", "")
                    if let id = fragment.id { call.id = id }
                    if let name = fragment.function?.name { call.name += name }
                    if let arguments = fragment.function?.arguments { call.arguments += arguments }
                    toolCalls[index] = call
                    if firstTokenMs == nil { firstTokenMs = milliseconds(since: started) }
                }
                if let reason = choice.finishReason { finishReason = reason }
            }
        }

        for try await buffer in response.body {
            lastActivity.withLock { $0 = .now }
            for payload in parser.feed(buffer.readableBytesView) { try handle(payload) }
        }
        for payload in parser.finish() { try handle(payload) }
        guard sawDone || finishReason != nil else {
            throw AttemptFailure(error: .incomplete(server: server, partial: text), beforeFirstToken: text.isEmpty,
                                 retryAfter: nil)
        }
        let reportedUsage = usage ?? TokenUsage(prompt: request.messages.reduce(0) { $0 + $1.content.count } / 4,
                                                completion: text.count / 4)
        let calls = toolCalls.sorted { $0.key < $1.key }.enumerated().map { position, entry in
            ToolCall(id: entry.value.id.isEmpty ? "call_\(position + 1)" : entry.value.id, name: entry.value.name,
                     arguments: entry.value.arguments.isEmpty ? "{}" : entry.value.arguments)
        }
        sink.yield(.finished(GenerationResult(text: text, usage: reportedUsage, firstTokenMs: firstTokenMs,
                                              totalMs: milliseconds(since: started), finishReason: finishReason,
                                              toolCalls: calls)))
    }

    private func makeRequest(_ request: GenerationRequest) throws -> HTTPClientRequest {
        var httpRequest = HTTPClientRequest(url: endpoint.baseURL.appendingPathComponent("chat/completions").absoluteString)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.headers.add(name: "Accept", value: "text/event-stream")
        if let key = endpoint.apiKey, !key.isEmpty {
            httpRequest.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        let body = CompletionRequest(
            model: endpoint.model, messages: request.messages, stream: true,
            streamOptions: CompletionRequest.StreamOptions(includeUsage: true),
            maxTokens: min(request.maxTokens, endpoint.maxTokens),
            temperature: request.temperature ?? endpoint.temperature,
            stop: request.stop.isEmpty ? nil : request.stop, seed: request.seed,
            tools: request.tools.isEmpty ? nil : request.tools.map(WireTool.init))
        httpRequest.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        return httpRequest
    }

    private func transportError(_ error: any Error, partial: String, headSeen: Bool) -> ModelError {
        if !partial.isEmpty { return .incomplete(server: server, partial: partial) }
        if let clientError = error as? HTTPClientError, clientError == .deadlineExceeded {
            return .deadline(server: server, seconds: policy.deadline)
        }
        let reason: String
        if headSeen {
            reason = "the connection was lost"
        } else if "\(error)".contains("connectTimeout") || "\(error)".localizedCaseInsensitiveContains("timed out") {
            reason = "the connection timed out"
        } else if "\(error)".localizedCaseInsensitiveContains("refused") {
            reason = "connection refused"
        } else {
            reason = redact("\(error)")
        }
        return .unreachable(server: server, reason: reason, attempts: 1)
    }

    /// Removes the API key from text that may be shown or logged.
    func redact(_ text: String) -> String {
        guard let key = endpoint.apiKey, key.count >= 4 else { return text }
        return text.replacingOccurrences(of: key, with: "[redacted]")
    }

    private func excerpt(_ text: String, limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension ModelError {
    /// The error with the attempt count filled in, for connection failures.
    fileprivate func withAttempts(_ attempts: Int) -> ModelError {
        if case .unreachable(let server, let reason, _) = self {
            return .unreachable(server: server, reason: reason, attempts: attempts)
        }
        return self
    }

    /// A few words for retry notices.
    fileprivate var shortReason: String {
        switch self {
        case .http(_, let status, _): "HTTP \(status)"
        case .unreachable(_, let reason, _): reason
        default: description
        }
    }
}

/// The request body of `POST /chat/completions`.
private struct CompletionRequest: Encodable {
    struct StreamOptions: Encodable {
        var includeUsage: Bool
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    var model: String
    var messages: [ChatMessage]
    var stream: Bool
    var streamOptions: StreamOptions
    var maxTokens: Int
    var temperature: Double
    var stop: [String]?
    var seed: Int?
    var tools: [WireTool]?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature, stop, seed, tools
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
    }
}

/// A tool definition in the OpenAI wire shape (a function with a JSON-schema object of string parameters).
struct WireTool: Encodable {
    struct Function: Encodable {
        struct Parameters: Encodable {
            struct Property: Encodable {
                var type = "string"
                var description: String
            }

            var type = "object"
            var properties: [String: Property]
            var required: [String]
        }

        /// String parameters, or a server's own schema.
        enum Schema: Encodable {
            case strings(Parameters)
            case given(JSONValue)

            func encode(to encoder: any Encoder) throws {
                switch self {
                case .strings(let parameters): try parameters.encode(to: encoder)
                case .given(let schema): try schema.encode(to: encoder)
                }
            }
        }

        var name: String
        var description: String
        var parameters: Schema
    }

    var type = "function"
    var function: Function

    init(_ tool: ToolDefinition) {
        if let schema = tool.inputSchema {
            function = Function(name: tool.name, description: tool.description, parameters: .given(schema))
            return
        }
        var properties: [String: Function.Parameters.Property] = [:]
        for parameter in tool.parameters { properties[parameter.name] = .init(description: parameter.description) }
        function = Function(name: tool.name, description: tool.description,
                            parameters: .strings(.init(properties: properties, required: tool.parameters.filter(\.required).map(\.name))))
    }
}

/// One streamed chunk of a chat completion (only the fields Wand reads).
private struct CompletionChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            struct ToolCallFragment: Decodable {
                struct Function: Decodable {
                    var name: String?
                    var arguments: String?
                }

                var index: Int?
                var id: String?
                var function: Function?
            }

            var content: String?
            var toolCalls: [ToolCallFragment]?

            enum CodingKeys: String, CodingKey {
                case content
                case toolCalls = "tool_calls"
            }
        }
        var delta: Delta?
        var text: String?
        var finishReason: String?
        enum CodingKeys: String, CodingKey {
            case delta, text
            case finishReason = "finish_reason"
        }
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }

    struct StreamError: Decodable {
        var message: String?
        var code: Int?
    }

    var choices: [Choice]?
    var usage: Usage?
    var error: StreamError?
}

extension ToolDefinition: Encodable {
    /// Encodes the definition as requests send it: `{"type":"function","function":{"name",…,"parameters"}}`.
    public func encode(to encoder: any Encoder) throws {
        try WireTool(self).encode(to: encoder)
    }
}
