/// Why a model request failed; every case names the server and says what to do.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server could not be reached (after retries).
    case unreachable(server: String, reason: String, attempts: Int)
    /// The server answered with an error status.
    case http(server: String, status: Int, body: String)
    /// The whole request took longer than its deadline.
    case deadline(server: String, seconds: Double)
    /// The stream ended before the reply was complete.
    case incomplete(server: String, partial: String)
    /// The server's reply could not be understood.
    case malformed(server: String, detail: String)
    /// The request was cancelled.
    case cancelled
    /// The configuration or environment does not allow the request.
    case configuration(String)

    /// A message for people, with no credential in it.
    public var description: String {
        switch self {
        case .unreachable(let server, let reason, let attempts):
            "cannot reach the model server at \(server): \(reason)"
                + (attempts > 1 ? " (tried \(attempts) times)" : "") + ". Is it running? `wand doctor` checks."
        case .http(let server, let status, let body):
            "the model server at \(server) answered HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .deadline(let server, let seconds):
            "the model server at \(server) did not finish within \(Int(seconds)) s"
        case .incomplete(let server, let partial):
            "the model server at \(server) closed the stream before the reply was complete"
                + (partial.isEmpty ? "" : " (after \(partial.count) characters)")
        case .malformed(let server, let detail):
            "the model server at \(server) sent a reply Wand cannot read: \(detail)"
        case .cancelled:
            "the request was cancelled"
        case .configuration(let message):
            message
        }
    }

    /// Whether retrying the same request may help.
    var isRetryable: Bool {
        switch self {
        case .unreachable: true
        case .http(_, let status, _): status == 429 || status >= 500
        default: false
        }
    }
}
