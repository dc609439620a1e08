/// One model call that has begun (its number taken and `model.started` recorded). Finishing it streams
/// the reply into the log and records `model.finished` at a single exit, whether the call ends with a
/// reply, an error, a cancellation or a stream that stops short. It holds only sendable parts, so
/// several turns begun together can finish concurrently.
struct ModelTurn: Sendable {
    let number: Int
    let stream: AsyncThrowingStream<GenerationEvent, any Error>
    let recorder: EventRecorder
    private let started = ContinuousClock.now

    init(number: Int, stream: AsyncThrowingStream<GenerationEvent, any Error>, recorder: EventRecorder) {
        self.number = number
        self.stream = stream
        self.recorder = recorder
    }

    func finish() async throws -> GenerationResult {
        var text = ""
        var outcome: Result<GenerationResult, any Error> = .failure(AgentStop.model("the model's stream ended without a reply"))
        do {
            streaming: for try await event in stream {
                switch event {
                case .delta(let delta):
                    text += delta
                    recorder.emit(.modelDelta(ModelDelta(call: number, text: delta)))
                case .notice(let message):
                    recorder.emit(.notice(Notice(level: .info, message: message)))
                case .finished(let result):
                    outcome = .success(result)
                    break streaming
                }
            }
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let result):
            recorder.emit(.modelFinished(ModelFinished(call: number, reply: result)))
            return result
        case .failure(let error):
            let cancelled = Task.isCancelled || error is CancellationError || (error as? ModelError) == .cancelled
            recorder.emit(.modelFinished(ModelFinished(call: number, text: text, usage: TokenUsage(), firstTokenMs: nil,
                                                       totalMs: RunBudget.milliseconds(ContinuousClock.now - started),
                                                       finishReason: cancelled ? "cancelled" : "error")))
            if cancelled { throw CancellationError() }
            if let stop = error as? AgentStop { throw stop }
            throw AgentStop.model("\(error)")
        }
    }
}
