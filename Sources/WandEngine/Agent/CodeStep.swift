/// One code step: approval (when the mode asks for it), then execution in the sandbox, and the events
/// that record both. The budget and the attempt number are the run's; the step only acts and records.
struct CodeStep: Sendable {
    let approval: AgentSettings.ApprovalMode
    let gate: ApprovalGate
    let executor: any Executor
    let recorder: EventRecorder

    /// Records the proposal and gets it approved; returns the code to run (edited, if the user edited it),
    /// or nil when it must not run.
    func approve(attempt: Int, language: CodeLanguage, source: String, step: Int?) async throws -> String? {
        recorder.emit(.codeProposed(CodeProposed(attempt: attempt, language: language, source: source, step: step)))
        switch approval {
        case .never:
            recorder.emit(.notice(Notice(level: .info, message: "Code execution is disabled (--approve never); attempt \(attempt) was not run.")))
            return nil
        case .ask where !gate.runsAlways:
            recorder.emit(.approvalRequested(ApprovalRequested(attempt: attempt)))
            let (decision, edited) = await gate.decision(for: attempt)
            try Task.checkCancellation()
            recorder.emit(.approvalDecided(ApprovalDecided(attempt: attempt, decision: decision, source: edited)))
            if decision == .skip { return nil }
            if decision == .edit, let edited { return edited }
            return source
        default:
            return source
        }
    }

    /// Runs approved code, recording its start, output and end.
    func execute(attempt: Int, language: CodeLanguage, code: String, fresh: Bool, timeout: Double?,
                 tools: ToolAccess? = nil) async throws -> CodeRun {
        let request = ExecutionRequest(attempt: attempt, language: language, source: code, fresh: fresh, timeout: timeout,
                                       tools: tools)
        recorder.emit(.execStarted(ExecStarted(attempt: attempt, language: language, runner: request.runner)))
        var output: [OutputChunk] = []
        var result = ExecFinished(attempt: attempt, exitStatus: nil, error: "the executor gave no result", durationMs: 0)
        for await event in executor.execute(request) {
            switch event {
            case .output(let stream, let text):
                if let last = output.indices.last, output[last].stream == stream {
                    output[last].text += text
                } else {
                    output.append(OutputChunk(stream: stream, text: text))
                }
                recorder.emit(.execOutput(ExecOutput(attempt: attempt, stream: stream, chunk: text)))
            case .notice(let notice):
                recorder.emit(.notice(notice))
            case .finished(let finished):
                result = finished
            }
        }
        recorder.emit(.execFinished(result))
        if Task.isCancelled { throw CancellationError() }
        return CodeRun(attempt: attempt, source: code, output: output, result: result, skipped: false)
    }

    static func skipped(_ attempt: Int, _ source: String) -> CodeRun {
        CodeRun(attempt: attempt, source: source, output: [],
                result: ExecFinished(attempt: attempt, exitStatus: nil, error: "not run (the user skipped it)", durationMs: 0),
                skipped: true)
    }
}
