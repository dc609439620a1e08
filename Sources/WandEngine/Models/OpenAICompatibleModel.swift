public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

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
        let (stream, sink) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let task = Task {
            do {
                try await run(request, sink: sink)
                sink.finish()
            } catch is CancellationError {
                sink.finish(throwing: ModelError.cancelled)
            } catch {
                sink.finish(throwing: error)
            }
        }
        sink.onTermination = { _ in task.cancel() }
        return stream
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

    private func stream(_ request: GenerationRequest, started: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
                        sink: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) async throws {
        let urlRequest = try makeURLRequest(request)
        let (transport, transportSink) = AsyncStream<TransportEvent>.makeStream(bufferingPolicy: .unbounded)
        let delegate = StreamingDelegate(sink: transportSink)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.idleTimeout
        configuration.timeoutIntervalForResource = policy.deadline
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        let dataTask = session.dataTask(with: urlRequest)
        let deadlineHit = Mutex(false)
        let remaining = started.duration(to: deadline)
        let watchdog = Task {
            try await Task.sleep(for: max(.zero, deadline - ContinuousClock.now))
            deadlineHit.withLock { $0 = true }
            dataTask.cancel()
        }
        defer { watchdog.cancel() }
        dataTask.resume()

        var parser = ServerSentEventParser()
        var text = ""
        var firstTokenMs: Int?
        var finishReason: String?
        var usage: TokenUsage?
        var sawDone = false
        var toolCalls: [Int: (id: String, name: String, arguments: String)] = [:]
        var status = 0
        var retryAfter: Double?
        var errorBody = Data()
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

        try await withTaskCancellationHandler {
            for await event in transport {
                switch event {
                case .response(let code, let headers):
                    status = code
                    retryAfter = headers["retry-after"].flatMap(Double.init)
                case .data(let data):
                    if status != 200 {
                        if errorBody.count < 4096 { errorBody.append(data.prefix(4096 - errorBody.count)) }
                        continue
                    }
                    for payload in parser.feed(data) { try handle(payload) }
                case .completed(let failure):
                    if status == 200 { for payload in parser.finish() { try handle(payload) } }
                    if let failure {
                        if Task.isCancelled { throw CancellationError() }
                        if deadlineHit.withLock({ $0 }) {
                            throw AttemptFailure(error: .deadline(server: server, seconds: Double(remaining.components.seconds)),
                                                 beforeFirstToken: false, retryAfter: nil)
                        }
                        throw AttemptFailure(error: transportError(failure, partial: text),
                                             beforeFirstToken: text.isEmpty, retryAfter: nil)
                    }
                }
            }
        } onCancel: {
            dataTask.cancel()
        }
        if Task.isCancelled { throw CancellationError() }
        guard status == 200 else {
            let body = excerpt(String(decoding: errorBody, as: UTF8.self), limit: 300)
            throw AttemptFailure(error: .http(server: server, status: status, body: redact(body)),
                                 beforeFirstToken: true, retryAfter: retryAfter)
        }
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

    private func makeURLRequest(_ request: GenerationRequest) throws -> URLRequest {
        var urlRequest = URLRequest(url: endpoint.baseURL.appendingPathComponent("chat/completions"))
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        if let key = endpoint.apiKey, !key.isEmpty {
            urlRequest.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        }
        let body = CompletionRequest(
            model: endpoint.model, messages: request.messages, stream: true,
            streamOptions: CompletionRequest.StreamOptions(includeUsage: true),
            maxTokens: min(request.maxTokens, endpoint.maxTokens),
            temperature: request.temperature ?? endpoint.temperature,
            stop: request.stop.isEmpty ? nil : request.stop, seed: request.seed,
            tools: request.tools.isEmpty ? nil : request.tools.map(WireTool.init))
        urlRequest.httpBody = try JSONEncoder().encode(body)
        return urlRequest
    }

    private func transportError(_ error: any Error, partial: String) -> ModelError {
        let urlError = error as? URLError
        switch urlError?.code {
        case .cancelled?: return .cancelled
        case .timedOut?:
            return partial.isEmpty
                ? .unreachable(server: server, reason: "no answer within \(Int(policy.idleTimeout)) s", attempts: 1)
                : .incomplete(server: server, partial: partial)
        case .networkConnectionLost?:
            return partial.isEmpty
                ? .unreachable(server: server, reason: "the connection was lost", attempts: 1)
                : .incomplete(server: server, partial: partial)
        case .cannotConnectToHost?, .cannotFindHost?, .notConnectedToInternet?, .dnsLookupFailed?:
            return .unreachable(server: server, reason: redact(urlError?.localizedDescription ?? "\(error)"), attempts: 1)
        default:
            return partial.isEmpty
                ? .unreachable(server: server, reason: redact("\(error.localizedDescription)"), attempts: 1)
                : .incomplete(server: server, partial: partial)
        }
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

/// What the URL session reports, turned into values.
private enum TransportEvent: Sendable {
    case response(status: Int, headers: [String: String])
    case data(Data)
    case completed((any Error)?)
}

/// Forwards URLSession's streaming callbacks into an async stream.
private final class StreamingDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let sink: AsyncStream<TransportEvent>.Continuation

    init(sink: AsyncStream<TransportEvent>.Continuation) { self.sink = sink }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] {
            headers[String(describing: key).lowercased()] = String(describing: value)
        }
        sink.yield(.response(status: http?.statusCode ?? 0, headers: headers))
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        sink.yield(.data(data))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        sink.yield(.completed(error))
        sink.finish()
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
private struct WireTool: Encodable {
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

        var name: String
        var description: String
        var parameters: Parameters
    }

    var type = "function"
    var function: Function

    init(_ tool: ToolDefinition) {
        var properties: [String: Function.Parameters.Property] = [:]
        for parameter in tool.parameters { properties[parameter.name] = .init(description: parameter.description) }
        function = Function(name: tool.name, description: tool.description,
                            parameters: .init(properties: properties, required: tool.parameters.filter(\.required).map(\.name)))
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
