import AsyncHTTPClient

/// The HTTP client for model servers: one per process, never shut down (it lives as long as Wand).
///
/// Connection failures fail a request at once instead of being retried until its deadline
/// (async-http-client's default): a dead model server must be reported quickly, and Wand's own
/// retry policy (`RequestPolicy`) decides about retries.
enum HTTPTransport {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
