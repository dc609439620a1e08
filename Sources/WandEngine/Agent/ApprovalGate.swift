import Synchronization

/// Where the agent waits for the user's decision on proposed code in `ask` mode.
public final class ApprovalGate: Sendable {
    private let pending = Mutex<[Int: CheckedContinuation<(ApprovalDecision, String?), Never>]>([:])
    private let always = Mutex(false)

    /// Creates a gate.
    public init() {}

    /// Whether the user chose `always` (later code runs without asking).
    public var runsAlways: Bool { always.withLock { $0 } }

    /// Waits for the decision on an attempt; a cancelled wait counts as `skip`.
    public func decision(for attempt: Int) async -> (ApprovalDecision, String?) {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                pending.withLock { $0[attempt] = continuation }
            }
        } onCancel: {
            let waiting = pending.withLock { $0.removeValue(forKey: attempt) }
            waiting?.resume(returning: (.skip, nil))
        }
    }

    /// Delivers a decision (from the workbench or a terminal prompt).
    public func decide(attempt: Int, decision: ApprovalDecision, source: String? = nil) {
        if decision == .always { always.withLock { $0 = true } }
        let waiting = pending.withLock { $0.removeValue(forKey: attempt) }
        waiting?.resume(returning: (decision, source))
    }
}
