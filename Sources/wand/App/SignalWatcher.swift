import Dispatch
import Glibc
import Synchronization

/// Turns SIGINT/SIGTERM into a callback so a headless command can stop cleanly (cancel work,
/// stop child processes, write the last events) instead of dying mid-write.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]
    private let state = SignalState()

    init(signals: [Int32]) {
        let state = self.state
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { state.fire() }
            source.resume()
            return source
        }
    }

    /// Sets what to do on the first signal; a second one exits at once with status 130.
    func onSignal(_ action: @escaping @Sendable () -> Void) {
        state.setAction(action)
    }
}

/// The shared part of a signal watcher: how many signals came, and what to do.
private final class SignalState: Sendable {
    private let action = Mutex<(@Sendable () -> Void)?>(nil)
    private let count = Mutex(0)

    func setAction(_ newAction: @escaping @Sendable () -> Void) {
        action.withLock { $0 = newAction }
    }

    func fire() {
        let seen = count.withLock { value -> Int in
            value += 1
            return value
        }
        if seen > 1 { exit(130) }
        action.withLock { $0 }?()
    }
}
