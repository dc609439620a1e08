import Foundation

/// A session's counts, folded from its events: the one place where run and session totals and cost
/// are computed. `SessionState` folds it for display, `AgentSession` for the totals it records in
/// `run.finished` and `session.finished`, and ``InterruptedRun`` for the run a file leaves open.
public struct SessionTotals: Sendable, Equatable {
    /// The prices in force: `session.started`'s, or those of the model a `settings.changed` switched to.
    public private(set) var pricing: ModelPricing?
    /// The finished runs together, as their `run.finished` events recorded them.
    public private(set) var finishedRuns = RunTotals()
    /// How the last finished run ended.
    public private(set) var lastStatus: RunStatus?
    private var open: OpenRun?
    private var lastTime: Date?
    /// Each finished run's cost, priced as its model was (nil where unknown).
    private var finishedCosts: [Double?] = []

    private struct OpenRun: Sendable, Equatable {
        var start: Date
        var totals = RunTotals()
    }

    /// No events yet.
    public init() {}

    /// Folds a list of events.
    public init(folding records: some Sequence<EventRecord>) {
        for record in records { apply(record) }
    }

    /// The open run's counts so far: model calls and executions started, tokens of the calls that
    /// finished, and the time from its `run.started` to the latest event; nil when no run is open.
    public var openRun: RunTotals? {
        guard var totals = open?.totals, let start = open?.start, let lastTime else { return nil }
        totals.durationMs = max(0, Int((lastTime.timeIntervalSince(start) * 1000).rounded()))
        return priced(totals)
    }

    /// The session so far: its finished runs and the open one, if any. A session that changed models
    /// adds each run's cost at its own model's prices.
    public var session: RunTotals {
        var totals = openRun.map { finishedRuns + $0 } ?? finishedRuns
        let costs = finishedCosts + (openRun.map { [$0.costUSD] } ?? [])
        if costs.isEmpty {
            totals.costUSD = pricing.map { _ in 0 }
        } else if costs.allSatisfy({ $0 != nil }) {
            totals.costUSD = costs.reduce(0) { $0 + ($1 ?? 0) }
        }
        return totals
    }

    /// Applies one event.
    public mutating func apply(_ record: EventRecord) {
        lastTime = record.time
        switch record.event {
        case .sessionStarted(let started):
            pricing = started.pricing ?? ModelPricing.recordedInSettings(started.settings)
        case .runStarted:
            open = OpenRun(start: record.time)
        case .modelStarted:
            open?.totals.modelCalls += 1
        case .modelFinished(let finished):
            if let usage = open?.totals.usage { open?.totals.usage = usage + finished.usage }
        case .execStarted:
            open?.totals.executions += 1
        case .settingsChanged(let changed):
            if changed.model != nil { pricing = changed.pricing }
        case .runFinished(let finished):
            let cost = finished.totals.costUSD ?? pricing?.cost(of: finished.totals.usage)
            open = nil
            finishedRuns = finishedRuns + finished.totals
            finishedCosts.append(cost)
            lastStatus = finished.status
        default:
            break
        }
    }

    /// Ends the open run with `status` and its counts so far, as the `run.finished` that
    /// ``InterruptedRun/closing(_:)`` makes would.
    public mutating func finishOpenRun(_ status: RunStatus) {
        guard let totals = openRun else { return }
        open = nil
        finishedRuns = finishedRuns + totals
        finishedCosts.append(totals.costUSD)
        lastStatus = status
    }

    /// `totals` with their cost, when the prices are known (the cost stays unknown otherwise, never 0).
    public func priced(_ totals: RunTotals) -> RunTotals {
        var totals = totals
        totals.costUSD = pricing?.cost(of: totals.usage)
        return totals
    }
}
