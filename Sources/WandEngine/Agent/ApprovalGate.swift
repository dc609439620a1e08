import Synchronization

/// Where the agent waits for the user's decision on proposed code in `ask` mode, and on tool calls
/// whose policy is `ask`.
///
/// A decision may arrive before the agent starts waiting (the request is announced first); it is kept
/// until asked for. `always` is kept apart for code and for tool calls: allowing every later code
/// step does not allow tool calls, nor the other way round.
public final class ApprovalGate: Sendable {
    /// What a decision is about.
    private enum Subject: Hashable {
        case attempt(Int)
        case toolCall(Int)
    }

    private struct State {
        var waiting: [Subject: CheckedContinuation<(ApprovalDecision, String?), Never>] = [:]
        var early: [Subject: (ApprovalDecision, String?)] = [:]
        var always = false
        var toolsAlways = false
    }

    private let state = Mutex(State())

    /// Creates a gate.
    public init() {}

    /// Whether the user chose `always` for code (later code runs without asking).
    public var runsAlways: Bool { state.withLock { $0.always } }

    /// Whether the user chose `always` for a tool call (later `ask` tool calls go ahead without asking).
    public var allowsToolsAlways: Bool { state.withLock { $0.toolsAlways } }

    /// Waits for the decision on an attempt; a cancelled wait counts as `skip`.
    public func decision(for attempt: Int) async -> (ApprovalDecision, String?) {
        await decision(on: .attempt(attempt))
    }

    /// Waits for the decision on a tool call (`run`, `skip` or `always`); a cancelled wait counts as `skip`.
    public func decision(forToolCall call: Int) async -> ApprovalDecision {
        await decision(on: .toolCall(call)).0
    }

    /// Delivers a decision on an attempt (from the workbench or a terminal prompt).
    public func decide(attempt: Int, decision: ApprovalDecision, source: String? = nil) {
        deliver(decision, source: source, on: .attempt(attempt))
    }

    /// Delivers a decision on a tool call.
    public func decide(toolCall call: Int, decision: ApprovalDecision) {
        deliver(decision, source: nil, on: .toolCall(call))
    }

    private func decision(on subject: Subject) async -> (ApprovalDecision, String?) {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> (ApprovalDecision, String?)? in
                    if let decided = state.early.removeValue(forKey: subject) { return decided }
                    state.waiting[subject] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiting = state.withLock { $0.waiting.removeValue(forKey: subject) }
            waiting?.resume(returning: (.skip, nil))
        }
    }

    private func deliver(_ decision: ApprovalDecision, source: String?, on subject: Subject) {
        let waiting = state.withLock { state -> CheckedContinuation<(ApprovalDecision, String?), Never>? in
            if decision == .always {
                if case .toolCall = subject { state.toolsAlways = true } else { state.always = true }
            }
            guard let waiting = state.waiting.removeValue(forKey: subject) else {
                state.early[subject] = (decision, source)
                return nil
            }
            return waiting
        }
        waiting?.resume(returning: (decision, source))
    }
}
