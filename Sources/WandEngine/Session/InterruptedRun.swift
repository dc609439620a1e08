import Foundation

/// A run that a session file leaves open, and the `run.finished` (status `interrupted`) that closes it.
///
/// A live Wand writes `run.finished` on every way out it controls (answer, failure, budget, Esc, Ctrl-Q,
/// SIGTERM); only SIGKILL, a crash or a power cut leave a run open. So when a file is loaded to be resumed
/// or replayed, nothing is working on its open run any more, and folding it as live would leave a ghost
/// run that can be neither cancelled nor followed by another.
public enum InterruptedRun {
    /// The reason recorded and shown for an interrupted run.
    public static let reason = "Wand stopped before the run finished (killed, crashed or its terminal closed)"

    /// The event that closes the last run of `events`, or nil when it is finished (or there is none).
    ///
    /// Its totals count what the file shows of the run: calls and executions started, tokens of the calls
    /// that finished, and the time from `run.started` to the last event, which is as close to the moment
    /// of the interruption as the file can tell.
    public static func closing(_ events: [EventRecord]) -> RunFinished? {
        guard let totals = SessionTotals(folding: events).openRun,
              case .runStarted(let started)? = events.last(where: { if case .runStarted = $0.event { true } else { false } })?.event
        else { return nil }
        return RunFinished(run: started.run, status: .interrupted, totals: totals, reason: reason)
    }

    /// Appends the closing event to the session's file, stamped with the time of its last event, and
    /// returns the session with it; returns `loaded` unchanged when its last run is finished.
    /// Throws ``SessionFileError`` when the file cannot be written.
    public static func close(_ loaded: LoadedSession) throws -> LoadedSession {
        guard let finished = closing(loaded.events), let last = loaded.events.last else { return loaded }
        let recorder = try EventRecorder(continuing: loaded, clock: .fixed(last.time))
        let record = recorder.emit(.runFinished(finished))
        recorder.sync()
        var closed = loaded
        closed.events.append(record)
        return closed
    }
}
