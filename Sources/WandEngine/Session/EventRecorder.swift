public import Foundation
import Synchronization

/// Stamps events, appends them to the session file, and hands each record to the listeners
/// (the workbench's inbox, a transcript printer, a JSON Lines writer).
public final class EventRecorder: Sendable {
    private let writer: SessionWriter?
    private let state: Mutex<State>
    private let clock: @Sendable () -> Date

    private struct State {
        var seq: Int
        var listeners: [@Sendable (EventRecord) -> Void] = []
        var records: [EventRecord] = []
        var writeError: String?
    }

    /// Creates a recorder writing to `writer` (nil keeps events in memory only), continuing at `nextSeq`.
    public init(writer: SessionWriter?, nextSeq: Int = 1, clock: @escaping @Sendable () -> Date = Date.init) {
        self.writer = writer
        self.clock = clock
        state = Mutex(State(seq: nextSeq))
    }

    /// The session file, if any.
    public var url: URL? { writer?.url }

    /// Adds a listener; it is called on the emitting task, in `seq` order, while the recorder is locked,
    /// so it must not block and must not emit.
    public func listen(_ listener: @escaping @Sendable (EventRecord) -> Void) {
        state.withLock { $0.listeners.append(listener) }
    }

    /// Every record emitted so far.
    public var records: [EventRecord] { state.withLock { $0.records } }

    /// A failure to write the session file, if one happened (the run goes on; events stay in memory).
    public var writeError: String? { state.withLock { $0.writeError } }

    /// Records an event and returns its record.
    @discardableResult
    public func emit(_ event: AgentEvent) -> EventRecord {
        // Listeners run under the lock: a voting strategy emits from several tasks at once, and a
        // listener (the workbench's fold, a JSON Lines printer) must see records in the order of their
        // `seq`, as the file has them.
        state.withLock { state -> EventRecord in
            let record = EventRecord(seq: state.seq, time: clock(), event: event)
            state.seq += 1
            if let writer {
                do {
                    try writer.append(record: record)
                } catch {
                    state.writeError = state.writeError ?? "\(error)"
                }
            }
            state.records.append(record)
            for listener in state.listeners { listener(record) }
            return record
        }
    }

    /// Flushes the session file to disk.
    public func sync() { writer?.sync() }
}
