import Foundation

/// Runs `work` on a thread of its own and waits for it without holding a thread of the task pool.
///
/// Swift's task pool has one thread per core, two on a small machine. Work that blocks one of them
/// (sleeping while killed processes exit, waiting for another process, a long loop over a big file)
/// stalls every other task for as long, timers included, so a deadline elsewhere passes while the
/// task that would have met it cannot run. Such work goes here.
public func onOwnThread<T: Sendable, Failure: Error>(
    _ work: @escaping @Sendable () throws(Failure) -> T
) async throws(Failure) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
        Thread { continuation.resume(returning: Result(catching: work)) }.start()
    }
    return try result.get()
}
