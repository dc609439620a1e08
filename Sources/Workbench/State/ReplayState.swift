public import Foundation
public import WandEngine

/// A saved session being played back through the same fold as a live run.
public struct ReplayState: Sendable, Equatable {
    /// The file's name, for the status bar.
    public var fileName: String
    /// All events of the session.
    public var events: [EventRecord]
    /// How many events are applied (0 = none).
    public private(set) var position = 0
    /// Whether playback advances on ticks.
    public var isPlaying = false
    /// Playback speed relative to the recording.
    public private(set) var speed = 1.0
    /// Lines of the file that could not be read.
    public var problems: [SessionLineProblem]
    private var lastTick: Date?
    private var pendingSeconds = 0.0
    private var checkpoints: [Int: SessionState] = [0: SessionState()]

    /// The longest pause between two events during playback at 1×, so idle stretches do not stall.
    public static let maximumGap = 1.0
    /// Events between stored states, so stepping back refolds at most this many.
    public static let checkpointInterval = 512
    /// The speeds playback steps through.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    /// Creates a replay of a loaded session, positioned before its first event.
    public init(fileName: String, events: [EventRecord], problems: [SessionLineProblem] = []) {
        self.fileName = fileName
        self.events = events
        self.problems = problems
    }

    /// Whether every event is applied.
    public var isAtEnd: Bool { position >= events.count }

    /// Moves to an absolute position, returning the folded session state there (at the end, with a run the
    /// file leaves open closed as interrupted).
    public mutating func seek(to target: Int, from current: SessionState) -> SessionState {
        let target = max(0, min(events.count, target))
        var state: SessionState
        var start: Int
        if target >= position {
            state = current
            start = position
        } else {
            let checkpoint = (target / Self.checkpointInterval) * Self.checkpointInterval
            start = checkpoints.keys.filter { $0 <= target && $0 <= checkpoint }.max() ?? 0
            state = checkpoints[start] ?? SessionState()
        }
        while start < target {
            state.apply(events[start])
            start += 1
            if start % Self.checkpointInterval == 0, checkpoints[start] == nil { checkpoints[start] = state }
        }
        position = target
        // At the end of the file a run without `run.finished` is over, as resuming the session records it.
        if isAtEnd { state.closeInterruptedRun() }
        return state
    }

    /// The position after the next event that is a step (not streamed text or output), or the end.
    public func nextStepPosition() -> Int {
        var index = position
        while index < events.count {
            index += 1
            if Self.isStep(events[index - 1].event) { return index }
        }
        return events.count
    }

    /// The position after the previous step event, or the start.
    public func previousStepPosition() -> Int {
        var index = position - 1
        while index > 0 {
            if Self.isStep(events[index - 1].event) { return index }
            index -= 1
        }
        return 0
    }

    private static func isStep(_ event: AgentEvent) -> Bool {
        switch event {
        case .modelDelta, .execOutput: false
        default: true
        }
    }

    /// Changes speed by one step up (+1) or down (-1).
    public mutating func changeSpeed(by steps: Int) {
        let index = Self.speeds.firstIndex(of: speed) ?? 2
        speed = Self.speeds[max(0, min(Self.speeds.count - 1, index + steps))]
    }

    /// Starts or stops playback; starting at the end restarts from the beginning.
    public mutating func togglePlaying(now: Date?) -> Bool {
        isPlaying.toggle()
        lastTick = now
        pendingSeconds = 0
        return isPlaying && isAtEnd
    }

    /// How many events to apply for the time passed since the last tick.
    public mutating func eventsDue(at now: Date) -> Int {
        guard isPlaying else { return 0 }
        defer { lastTick = now }
        guard let last = lastTick else { return 0 }
        pendingSeconds += max(0, now.timeIntervalSince(last)) * speed
        var count = 0
        var index = position
        while index < events.count {
            let gap = index == 0 ? 0 : min(Self.maximumGap,
                                            max(0, events[index].time.timeIntervalSince(events[index - 1].time)))
            guard pendingSeconds >= gap else { break }
            pendingSeconds -= gap
            count += 1
            index += 1
        }
        return count
    }
}
