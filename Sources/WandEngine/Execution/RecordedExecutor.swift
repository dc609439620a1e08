import Synchronization

/// An executor that runs nothing: it answers each request with the next execution recorded in a session
/// (its output and how it ended), in order. With ``RecordedModel`` it lets a strategy go through a recorded
/// run again without a model or a sandbox, to recover what the run sent the model.
public final class RecordedExecutor: Executor {
    /// The recorded session's confinement.
    public let sandbox: SandboxDescriptor
    private let executions: [(output: [ExecOutput], finished: ExecFinished)]
    private let next = Mutex(0)

    /// Creates an executor from a session's events: every `exec.finished`, with the output of its attempt.
    public init(events: [EventRecord]) {
        var output: [Int: [ExecOutput]] = [:]
        var executions: [(output: [ExecOutput], finished: ExecFinished)] = []
        var sandbox = SandboxDescriptor(mode: .recorded, detail: "recorded results; nothing runs")
        for record in events {
            switch record.event {
            case .sessionStarted(let started): sandbox = started.sandbox
            case .execOutput(let chunk): output[chunk.attempt, default: []].append(chunk)
            case .execFinished(let finished):
                executions.append((output.removeValue(forKey: finished.attempt) ?? [], finished))
            default: break
            }
        }
        self.sandbox = sandbox
        self.executions = executions
    }

    /// Streams the next recorded execution under the request's attempt number; past the recording, an error.
    public func execute(_ request: ExecutionRequest) -> ExecutionEventStream {
        let index = next.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        let (stream, queue) = ExecutionEventStream.make {}
        if index < executions.count {
            let (output, finished) = executions[index]
            for chunk in output { queue.push(.output(chunk.stream, chunk.chunk)) }
            var result = finished
            result.attempt = request.attempt
            queue.push(.finished(result))
        } else {
            queue.push(.finished(ExecFinished(attempt: request.attempt, exitStatus: nil,
                                              error: "the recording has only \(executions.count) executions", durationMs: 0)))
        }
        queue.finish()
        return stream
    }

    /// Accepts the file without writing it: the recorded results already reflect it.
    public func stage(_ contents: String, as relativePath: String) throws -> String { relativePath }

    /// Nothing to stop.
    public func shutdown() async {}
}
