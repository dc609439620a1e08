import Synchronization

/// Where the agent waits for the user's decision on proposed code in `ask` mode.
///
/// A decision may arrive before the agent starts waiting (the request is announced first); it is kept
/// until asked for.
public final class ApprovalGate: Sendable {
    private struct State {
        var waiting: [Int: CheckedContinuation<(ApprovalDecision, String?), Never>] = [:]
        var early: [Int: (ApprovalDecision, String?)] = [:]
        var always = false
    }

    private let state = Mutex(State())

    /// Creates a gate.
    public init() {}

    /// Whether the user chose `always` (later code runs without asking).
    public var runsAlways: Bool { state.withLock { $0.always } }

    /// Waits for the decision on an attempt; a cancelled wait counts as `skip`.
    public func decision(for attempt: Int) async -> (ApprovalDecision, String?) {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> (ApprovalDecision, String?)? in
                    if let decided = state.early.removeValue(forKey: attempt) { return decided }
                    state.waiting[attempt] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiting = state.withLock { $0.waiting.removeValue(forKey: attempt) }
            waiting?.resume(returning: (.skip, nil))
        }
    }

    /// Delivers a decision (from the workbench or a terminal prompt).
    public func decide(attempt: Int, decision: ApprovalDecision, source: String? = nil) {
        let waiting = state.withLock { state -> CheckedContinuation<(ApprovalDecision, String?), Never>? in
            if decision == .always { state.always = true }
            guard let waiting = state.waiting.removeValue(forKey: attempt) else {
                state.early[attempt] = (decision, source)
                return nil
            }
            return waiting
        }
        waiting?.resume(returning: (decision, source))
    }
}
