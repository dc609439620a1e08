public import Foundation
public import WandEngine

/// Two runs of one goal folded side by side: each event goes to the side whose run it belongs to.
///
/// A comparison session holds one run per side (docs/SESSION_FORMAT.md), one after the other, so an
/// event belongs to the run in progress; what comes between runs (a `settings.changed` before the
/// second) belongs to the side that runs next, and `session.started`/`session.finished` to both.
public struct ComparisonState: Sendable, Equatable {
    /// One side and the fold of its run.
    public struct Side: Sendable, Equatable {
        /// Which run, strategy and model the side is.
        public var lane: ComparisonLane
        /// The fold of the side's events.
        public var session = SessionState()
        /// When its run started.
        public var runStart: Date?
        /// When its run finished.
        public var runEnd: Date?

        /// Whether its run has started and not finished.
        public var isRunning: Bool { runStart != nil && runEnd == nil }

        /// Seconds the run took, or has taken up to `now` while it runs.
        public func seconds(now: Date?) -> Double {
            guard let runStart else { return 0 }
            let end = runEnd ?? now ?? session.lastTime ?? runStart
            return max(0, end.timeIntervalSince(runStart))
        }
    }

    /// The goal both sides work on.
    public var goal: String
    /// The sides, in run order.
    public var sides: [Side]
    /// Whether the live comparison is still going (false in a replay, and once it ended).
    public var isRunning: Bool
    /// How many events of the session are folded.
    public private(set) var position = 0
    private var current: Int?

    /// A comparison with nothing folded yet.
    public init(goal: String, lanes: [ComparisonLane], isRunning: Bool) {
        self.goal = goal
        sides = lanes.map { Side(lane: $0) }
        self.isRunning = isRunning
    }

    /// A live comparison about to run a request; each side's model is named from its profile until the
    /// session records it.
    public init(request: ComparisonRequest, profiles: [CommandChoices.Profile]) {
        let lanes = request.sides.enumerated().map { index, side in
            ComparisonLane(run: index + 1, strategy: side.strategy.rawValue, model: ModelDescriptor(
                profile: side.profile, name: profiles.first { $0.name == side.profile }?.model ?? side.profile, baseURL: ""))
        }
        self.init(goal: request.goal, lanes: lanes, isRunning: true)
    }

    /// The comparison a session's events record, or nil when they are not a comparison.
    public init?(events: [EventRecord]) {
        guard let first = events.first, case .sessionStarted(let started) = first.event, let lanes = started.comparison,
              !lanes.isEmpty
        else { return nil }
        self.init(goal: started.goal, lanes: lanes, isRunning: false)
    }

    /// Tokens both sides used so far, each counted as its column shows it.
    public var usage: TokenUsage { sides.reduce(TokenUsage()) { $0 + $1.session.usage } }

    /// What both sides cost so far in US dollars; nil (unknown, not 0) unless every side's cost is known.
    public var costUSD: Double? {
        let costs = sides.map(\.session.costUSD)
        return costs.contains(nil) ? nil : costs.reduce(0) { $0 + ($1 ?? 0) }
    }

    /// Folds one more event.
    public mutating func apply(_ record: EventRecord) {
        position += 1
        switch record.event {
        case .sessionStarted(let started):
            if let lanes = started.comparison, lanes.count == sides.count {
                for index in sides.indices { sides[index].lane = lanes[index] }
            }
            goal = started.goal
            for index in sides.indices { sides[index].session.apply(record) }
        case .sessionFinished:
            for index in sides.indices { sides[index].session.apply(record) }
        case .runStarted(let started):
            current = sides.firstIndex { $0.lane.run == started.run }
            if let current {
                sides[current].runStart = record.time
                sides[current].session.apply(record)
            }
        case .runFinished:
            if let current {
                sides[current].runEnd = record.time
                sides[current].session.apply(record)
            }
            current = nil
        default:
            if let side = current ?? sides.firstIndex(where: { $0.runStart == nil }) {
                sides[side].session.apply(record)
            }
        }
    }

    /// Folds `events` up to `target` (a replay position), refolding from the start when moving back; at
    /// the end of the events a run they leave open is closed as interrupted, as the replay shows it.
    public mutating func seek(in events: [EventRecord], to target: Int) {
        let target = max(0, min(events.count, target))
        if target < position {
            var fresh = ComparisonState(goal: goal, lanes: sides.map(\.lane), isRunning: isRunning)
            fresh.seek(in: events, to: target)
            self = fresh
            return
        }
        while position < target { apply(events[position]) }
        if position == events.count, let current, sides[current].session.isRunning {
            sides[current].session.closeInterruptedRun()
            sides[current].runEnd = events.last?.time
        }
    }
}
