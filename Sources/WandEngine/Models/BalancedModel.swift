import Synchronization

/// One model served by several OpenAI-compatible servers (replicas behind no load balancer: vLLM or
/// llama.cpp servers on several machines). Each request goes to the server with the fewest requests
/// in flight. A server that fails — it cannot be reached, answers 429 or 5xx, or drops a stream — is
/// taken out for a cooldown that doubles with each failure in a row (up to ``maximumCooldown``), and
/// the request is asked again, from the start, on another server; a taken-out server gets requests
/// again once its cooldown is over, and its first success puts it back for good.
///
/// When a stream is cut after some text, that text was already delivered as deltas; a notice says
/// the reply starts again, and the final ``GenerationResult`` holds only the complete reply.
public struct BalancedModel: LanguageModel {
    /// The servers, each a client with its own endpoint (and, usually, one attempt per request: the
    /// retrying is done here, across servers).
    public let servers: [OpenAICompatibleModel]
    /// How long a server is out after its first failure in a row.
    public let cooldown: Duration
    /// The longest a server is out.
    public let maximumCooldown: Duration
    /// Servers tried for one request before giving up (the same server may come round again).
    public let maximumAttempts: Int
    private let pool: EndpointPool

    /// Creates a balanced model over at least one server.
    public init(servers: [OpenAICompatibleModel], cooldown: Duration = .seconds(5), maximumCooldown: Duration = .seconds(120),
                maximumAttempts: Int? = nil) {
        precondition(!servers.isEmpty, "a balanced model needs at least one server")
        self.servers = servers
        self.cooldown = cooldown
        self.maximumCooldown = maximumCooldown
        self.maximumAttempts = maximumAttempts ?? max(4, 2 * servers.count)
        self.pool = EndpointPool(count: servers.count)
    }

    /// The first server's profile and model, with every server's URL.
    public var descriptor: ModelDescriptor {
        let first = servers[0].endpoint
        return ModelDescriptor(profile: first.profile, name: first.model,
                               baseURL: servers.map(\.endpoint.baseURL.absoluteString).joined(separator: ", "))
    }

    /// Requests in flight per server, in the order of ``servers`` (for tests and diagnostics).
    public var requestsInFlight: [Int] { pool.snapshot.map(\.inFlight) }

    /// Whether each server is taken out now.
    public var takenOut: [Bool] {
        let now = ContinuousClock.now
        return pool.snapshot.map { $0.outUntil.map { now < $0 } ?? false }
    }

    /// Streams a completion from the least busy server, moving to another when one fails.
    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        .generation { sink in try await run(request, sink: sink) }
    }

    private func run(_ request: GenerationRequest, sink: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) async throws {
        var attempt = 0
        while true {
            attempt += 1
            let (index, returnsAt) = pool.acquire()
            // Every server is out: wait for the first to come back rather than hammering it.
            if let returnsAt, returnsAt > .now {
                pool.release(index, outcome: .unused, cooldown: cooldown, maximumCooldown: maximumCooldown)
                try await Task.sleep(until: returnsAt, clock: .continuous)
                attempt -= 1
                continue
            }
            let server = servers[index]
            var delivered = 0
            do {
                for try await event in server.generate(request) {
                    if case .delta(let text) = event { delivered += text.count }
                    sink.yield(event)
                }
                pool.release(index, outcome: .succeeded, cooldown: cooldown, maximumCooldown: maximumCooldown)
                return
            } catch {
                let failure = error as? ModelError
                guard let failure, Self.takesServerOut(failure), !Task.isCancelled else {
                    pool.release(index, outcome: .unused, cooldown: cooldown, maximumCooldown: maximumCooldown)
                    throw error
                }
                pool.release(index, outcome: .failed, cooldown: cooldown, maximumCooldown: maximumCooldown)
                guard attempt < maximumAttempts else { throw failure }
                let restart = delivered > 0 ? " after \(delivered) characters; the reply starts again" : ""
                sink.yield(.notice("\(server.endpoint.baseURL.absoluteString) failed (\(failure.briefReason))\(restart); "
                    + "it is taken out for a while and the request goes to another server"))
            }
        }
    }

    /// Whether a failure says something about the server rather than the request.
    static func takesServerOut(_ error: ModelError) -> Bool {
        switch error {
        case .unreachable, .incomplete: true
        case .http(_, let status, _): status == 429 || status >= 500
        case .deadline, .malformed, .cancelled, .configuration: false
        }
    }
}

extension ModelError {
    /// A few words for failover notices.
    fileprivate var briefReason: String {
        switch self {
        case .http(_, let status, _): "HTTP \(status)"
        case .unreachable(_, let reason, _): reason
        case .incomplete: "the stream was cut"
        default: description
        }
    }
}

/// Which servers are busy and which are taken out; shared by every request of a ``BalancedModel``.
final class EndpointPool: Sendable {
    struct Server: Sendable {
        var inFlight = 0
        /// Failures since the last success.
        var failures = 0
        /// Until when the server gets no requests (while other servers are in).
        var outUntil: ContinuousClock.Instant?
    }

    enum Outcome { case succeeded, failed, unused }

    private struct State {
        var servers: [Server]
        /// Where the search for the least busy server starts, so that idle servers take turns.
        var nextStart = 0
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(servers: Array(repeating: Server(), count: count))) }

    var snapshot: [Server] { state.withLock { $0.servers } }

    /// Takes the server with the fewest requests in flight among those not taken out (idle servers in
    /// turn). When all are out, takes the one that returns first and says when that is.
    func acquire(now: ContinuousClock.Instant = .now) -> (index: Int, returnsAt: ContinuousClock.Instant?) {
        state.withLock { state in
            let count = state.servers.count
            let order = (0..<count).map { (state.nextStart + $0) % count }
            let available = order.filter { index in state.servers[index].outUntil.map { now >= $0 } ?? true }
            let chosen: Int
            var returnsAt: ContinuousClock.Instant?
            if let least = available.min(by: { state.servers[$0].inFlight < state.servers[$1].inFlight }) {
                chosen = least
            } else {
                chosen = order.min { state.servers[$0].outUntil! < state.servers[$1].outUntil! }!
                returnsAt = state.servers[chosen].outUntil
            }
            state.nextStart = (chosen + 1) % count
            state.servers[chosen].inFlight += 1
            return (chosen, returnsAt)
        }
    }

    /// Gives a server back after a request: a success puts it back in, a failure takes it out for
    /// `cooldown × 2^(failures in a row − 1)`, at most `maximumCooldown`.
    func release(_ index: Int, outcome: Outcome, cooldown: Duration, maximumCooldown: Duration,
                 now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            state.servers[index].inFlight -= 1
            switch outcome {
            case .succeeded:
                state.servers[index].failures = 0
                state.servers[index].outUntil = nil
            case .failed:
                state.servers[index].failures += 1
                let doublings = min(state.servers[index].failures - 1, 16)
                state.servers[index].outUntil = now + min(cooldown * (1 << doublings), maximumCooldown)
            case .unused:
                break
            }
        }
    }
}
