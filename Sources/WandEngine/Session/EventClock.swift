public import Foundation

/// The clock that stamps events; tests fix it so a session's times (and durations) are known.
public struct EventClock: Sendable {
    /// The current time.
    public let now: @Sendable () -> Date

    /// A clock reading `now`.
    public init(_ now: @escaping @Sendable () -> Date) { self.now = now }

    /// The system's wall clock.
    public static let system = EventClock { Date() }

    /// A clock that always reads `date`.
    public static func fixed(_ date: Date) -> EventClock { EventClock { date } }
}
