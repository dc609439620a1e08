import Synchronization

/// A many-producer, single-consumer queue that can be read across several loops without ending,
/// unlike an `AsyncStream`, whose iterator ends the stream when it goes away.
final class AsyncQueue<Element: Sendable>: Sendable {
    private struct State {
        var buffer: [Element] = []
        var waiter: CheckedContinuation<Element?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Adds an element, waking the consumer.
    func push(_ element: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffer.append(element)
            return nil
        }
        waiter?.resume(returning: element)
    }

    /// Ends the queue; the consumer gets the buffered elements, then nil.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Whether `finish()` has been called.
    var isFinished: Bool { state.withLock { $0.finished } }

    /// The next element, or nil once the queue is finished and empty.
    func next() async -> Element? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> (Bool, Element?) in
                if !state.buffer.isEmpty { return (true, state.buffer.removeFirst()) }
                if state.finished { return (true, nil) }
                state.waiter = continuation
                return (false, nil)
            }
            if ready.0 { continuation.resume(returning: ready.1) }
        }
    }
}
