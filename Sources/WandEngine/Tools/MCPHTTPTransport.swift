import AsyncHTTPClient
import Foundation
import Logging
import MCP
import NIOCore
import NIOHTTP1

/// The MCP streamable HTTP transport on async-http-client.
///
/// Used instead of the SDK's `HTTPClientTransport`, which on Linux reads responses through
/// URLSession and cannot read a server-sent-event response (the form most servers answer in).
/// Each message is one POST; the answer comes back as JSON or as server-sent events on that
/// POST. Wand asks servers nothing that needs the optional GET stream. A response body longer than
/// ``maximumMessageBytes`` fails its request. Header values never appear in errors.
actor MCPHTTPTransport: Transport {
    nonisolated let logger = Logger(label: "wand.mcp.http", factory: { _ in SwiftLogNoOpLogHandler() })
    private let endpoint: URL
    private let headers: [String: String]
    private let maximumMessageBytes: Int
    private let requestTimeout: TimeAmount
    private let messages: AsyncThrowingStream<Data, any Error>
    private let messageSink: AsyncThrowingStream<Data, any Error>.Continuation
    private var sessionID: String?
    private var protocolVersion: String?
    private var connected = false
    private var requests: [UUID: Task<Void, any Error>] = [:]

    init(endpoint: URL, headers: [String: String], maximumMessageBytes: Int, requestTimeout: Double) {
        self.endpoint = endpoint
        self.headers = headers
        self.maximumMessageBytes = maximumMessageBytes
        self.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
        (messages, messageSink) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        connected = true
    }

    func disconnect() async {
        guard connected else { return }
        connected = false
        for request in requests.values { request.cancel() }
        requests = [:]
        // With an error: the SDK's client reads again at once after a stream that ends without one.
        messageSink.finish(throwing: MCPError.connectionClosed)
        if let sessionID {
            var request = makeRequest(method: .DELETE)
            request.headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID)
            _ = try? await HTTPTransport.client.execute(request, timeout: .seconds(2))
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { messages }

    func send(_ data: Data) async throws {
        guard connected else { throw MCPError.connectionClosed }
        let id = UUID()
        let task = Task { try await self.post(data) }
        requests[id] = task
        defer { requests[id] = nil }
        try await task.value
    }

    private func makeRequest(method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let protocolVersion { request.headers.replaceOrAdd(name: "MCP-Protocol-Version", value: protocolVersion) }
        return request
    }

    private func post(_ data: Data) async throws {
        var request = makeRequest(method: .POST)
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        request.headers.replaceOrAdd(name: "Accept", value: "application/json, text/event-stream")
        if let sessionID { request.headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID) }
        request.body = .bytes(ByteBuffer(bytes: data))
        let response: HTTPClientResponse
        do {
            response = try await HTTPTransport.client.execute(request, timeout: requestTimeout)
        } catch {
            throw MCPServerError.stopped("\(endpoint.absoluteString) could not be reached: \(error)")
        }
        if let session = response.headers.first(name: "Mcp-Session-Id") { sessionID = session }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            var body = ""
            for try await buffer in response.body {
                body += String(buffer: buffer)
                if body.utf8.count > 600 { break }
            }
            let excerpt = body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)
            throw MCPError.internalError("HTTP \(status) from \(endpoint.absoluteString)" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
        }
        guard status != 202 else { return }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        if contentType.contains("text/event-stream") {
            var parser = ServerSentEventParser()
            var eventBytes = 0
            for try await buffer in response.body {
                eventBytes += buffer.readableBytes
                for payload in parser.feed(buffer.readableBytesView) {
                    deliver(Data(payload.utf8))
                    eventBytes = 0
                }
                guard eventBytes <= maximumMessageBytes else { throw oversized() }
            }
            for payload in parser.finish() { deliver(Data(payload.utf8)) }
        } else {
            var body = Data()
            for try await buffer in response.body {
                body.append(contentsOf: buffer.readableBytesView)
                guard body.count <= maximumMessageBytes else { throw oversized() }
            }
            if !body.isEmpty { deliver(body) }
        }
    }

    private func oversized() -> MCPError {
        .internalError("\(endpoint.absoluteString) sent a message over \(maximumMessageBytes / 1_048_576) MiB; it was not read")
    }

    private func deliver(_ message: Data) {
        if protocolVersion == nil, message.count < 65_536,
           let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any],
           let result = object["result"] as? [String: Any], let version = result["protocolVersion"] as? String {
            protocolVersion = version
        }
        messageSink.yield(message)
    }
}
