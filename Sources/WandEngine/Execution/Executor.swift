/// One piece of code to run.
public struct ExecutionRequest: Sendable {
    /// The attempt number it belongs to (recorded in events).
    public var attempt: Int
    /// Python or shell.
    public var language: CodeLanguage
    /// The code.
    public var source: String
    /// Run in a fresh process instead of the session's persistent kernel (no state kept or seen).
    public var fresh: Bool
    /// A per-request wall-clock limit overriding the executor's.
    public var timeout: Double?
    /// The MCP tools the code may call through `import tools`, when any are configured.
    public var tools: ToolAccess?

    /// Creates a request.
    public init(attempt: Int, language: CodeLanguage, source: String, fresh: Bool = false, timeout: Double? = nil,
                tools: ToolAccess? = nil) {
        self.attempt = attempt
        self.language = language
        self.source = source
        self.fresh = fresh
        self.timeout = timeout
        self.tools = tools
    }

    /// Where it runs, as recorded in `exec.started`.
    public var runner: ExecutionRunner {
        if language == .shell { return .shell }
        return fresh ? .process : .kernel
    }
}

/// What an execution reports, in order; `finished` is always last.
public enum ExecutionEvent: Sendable, Equatable {
    /// Output as it happens.
    case output(OutputStreamKind, String)
    /// Something the user should know (the kernel was restarted, for instance).
    case notice(Notice)
    /// How it ended.
    case finished(ExecFinished)
}

/// The events of one execution.
///
/// Cancelling the task that iterates it interrupts the execution, and iteration goes on until the
/// `finished` event (which then records the cancellation): a cancelled step still ends cleanly, within
/// the executor's grace period.
public struct ExecutionEventStream: AsyncSequence, Sendable {
    public typealias Element = ExecutionEvent

    let queue: AsyncQueue<ExecutionEvent>
    let onCancel: @Sendable () -> Void

    /// Iterates the events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let queue: AsyncQueue<ExecutionEvent>
        let onCancel: @Sendable () -> Void

        /// The next event, or nil after `finished`.
        public mutating func next() async -> ExecutionEvent? {
            let queue = self.queue
            let onCancel = self.onCancel
            return await withTaskCancellationHandler {
                await queue.next()
            } onCancel: {
                onCancel()
            }
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(queue: queue, onCancel: onCancel) }

    /// A stream fed by a producer; `onCancel` runs when a consumer is cancelled.
    static func make(onCancel: @escaping @Sendable () -> Void) -> (ExecutionEventStream, AsyncQueue<ExecutionEvent>) {
        let queue = AsyncQueue<ExecutionEvent>()
        return (ExecutionEventStream(queue: queue, onCancel: onCancel), queue)
    }
}

/// Runs code, streams its output, enforces limits, and can be cancelled at any time by cancelling
/// the task that consumes the stream.
public protocol Executor: Sendable {
    /// How code is confined.
    var sandbox: SandboxDescriptor { get }
    /// Runs one request.
    func execute(_ request: ExecutionRequest) -> ExecutionEventStream
    /// Writes a file into the workspace for the code to read; returns its path relative to the workspace.
    func stage(_ contents: String, as relativePath: String) throws -> String
    /// Stops the persistent kernel and cleans up.
    func shutdown() async
}

extension Executor {
    /// Runs a request to its end and returns its output and result (for strategies that judge candidates).
    public func run(_ request: ExecutionRequest) async -> (output: [OutputChunk], result: ExecFinished) {
        var output: [OutputChunk] = []
        var result = ExecFinished(attempt: request.attempt, exitStatus: nil, error: "no result", durationMs: 0)
        for await event in execute(request) {
            switch event {
            case .output(let stream, let text):
                if let last = output.indices.last, output[last].stream == stream {
                    output[last].text += text
                } else {
                    output.append(OutputChunk(stream: stream, text: text))
                }
            case .notice: break
            case .finished(let finished): result = finished
            }
        }
        return (output, result)
    }
}
