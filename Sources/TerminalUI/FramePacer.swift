/// How often a terminal loop redraws for updates that arrive on their own (engine events, output):
/// at most once per interval, however fast they come, while a key press is drawn at once.
///
/// Without it the loop drew after every wake-up: a program writing thousands of events a second kept
/// one core drawing frames nobody could see. Pure: the caller passes the time.
public struct FramePacer: Sendable {
    /// The shortest time between two frames drawn for background updates.
    public let interval: Duration
    private var lastDraw: ContinuousClock.Instant?

    /// A pacer drawing at most `framesPerSecond` frames a second for background updates.
    public init(framesPerSecond: Int = 60) {
        interval = .seconds(1) / framesPerSecond
    }

    /// How long until background updates may be drawn; zero when a frame may be drawn now.
    public func delay(at now: ContinuousClock.Instant) -> Duration {
        guard let lastDraw else { return .zero }
        let due = lastDraw + interval
        return due > now ? due - now : .zero
    }

    /// Records that a frame was drawn at `now`.
    public mutating func drew(at now: ContinuousClock.Instant) {
        lastDraw = now
    }
}
