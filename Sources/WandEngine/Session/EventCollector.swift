import Synchronization

/// Keeps every record a recorder emits after it starts listening, in memory, for the places that read a
/// whole run back (an eval scoring its answer, a re-run comparing its executions, tests). A live
/// workbench folds events as they come and keeps none of them.
public final class EventCollector: Sendable {
    private let collected = Mutex<[EventRecord]>([])

    /// Starts collecting what `recorder` emits.
    public init(listeningTo recorder: EventRecorder) {
        recorder.listen { [self] record in collected.withLock { $0.append(record) } }
    }

    /// The records collected so far, in `seq` order.
    public var records: [EventRecord] { collected.withLock { $0 } }
}
