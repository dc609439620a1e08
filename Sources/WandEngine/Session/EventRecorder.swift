public import Foundation
import Synchronization

/// Stamps events with their `seq` and time — the one place a session's events are numbered and timed —
/// appends them to the session file, and hands each record to the listeners (the workbench's inbox, a
/// transcript printer, a JSON Lines writer, an ``EventCollector``).
public final class EventRecorder: Sendable {
    private let writer: SessionWriter?
    private let state: Mutex<State>
    private let clock: EventClock

    private struct State {
        var seq: Int
        var listeners: [@Sendable (EventRecord) -> Void] = []
        var writeError: String?
    }

    /// Creates a recorder writing to `writer` (nil writes nowhere), numbering from `nextSeq`.
    public init(writer: SessionWriter?, nextSeq: Int = 1, clock: EventClock = .system) {
        self.writer = writer
        self.clock = clock
        state = Mutex(State(seq: nextSeq))
    }

    /// A recorder that continues `loaded` in its own file, numbering after its last event.
    /// Throws ``SessionFileError`` when the file cannot be opened for writing.
    public convenience init(continuing loaded: LoadedSession, clock: EventClock = .system) throws {
        self.init(writer: try SessionWriter(url: loaded.url), nextSeq: (loaded.events.last?.seq ?? 0) + 1, clock: clock)
    }

    /// The session file, if any.
    public var url: URL? { writer?.url }

    /// Adds a listener; it is called on the emitting task, in `seq` order, while the recorder is locked,
    /// so it must not block and must not emit.
    public func listen(_ listener: @escaping @Sendable (EventRecord) -> Void) {
        state.withLock { $0.listeners.append(listener) }
    }

    /// A failure to write the session file, if one happened (the run goes on; listeners still get every event).
    public var writeError: String? { state.withLock { $0.writeError } }

    /// Records an event and returns its record.
    @discardableResult
    public func emit(_ event: AgentEvent) -> EventRecord {
        // Listeners run under the lock: a voting strategy emits from several tasks at once, and a
        // listener (the workbench's fold, a JSON Lines printer) must see records in the order of their
        // `seq`, as the file has them.
        state.withLock { state -> EventRecord in
            let record = EventRecord(seq: state.seq, time: clock.now(), event: event)
            state.seq += 1
            if let writer {
                do {
                    try writer.append(record: record)
                } catch {
                    state.writeError = state.writeError ?? "\(error)"
                }
            }
            for listener in state.listeners { listener(record) }
            return record
        }
    }

    /// Flushes the session file to disk.
    public func sync() { writer?.sync() }
}
