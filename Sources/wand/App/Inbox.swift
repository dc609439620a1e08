import Glibc
import Synchronization
import Workbench

/// Where engine tasks post inputs for the workbench loop; posting wakes the loop through a pipe.
final class Inbox: Sendable {
    private let queue = Mutex<[WorkbenchInput]>([])
    /// The read end of the wake pipe, polled by the loop.
    let wakeDescriptor: Int32
    private let writeDescriptor: Int32

    init() {
        var descriptors: [Int32] = [0, 0]
        if pipe(&descriptors) != 0 { descriptors = [-1, -1] }
        for descriptor in descriptors where descriptor >= 0 {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        Glibc.close(wakeDescriptor)
        Glibc.close(writeDescriptor)
    }

    /// Queues an input and wakes the loop.
    func post(_ input: WorkbenchInput) {
        queue.withLock { $0.append(input) }
        var byte: UInt8 = 1
        _ = Glibc.write(writeDescriptor, &byte, 1)
    }

    /// Takes every queued input.
    func drain() -> [WorkbenchInput] {
        var scratch = [UInt8](repeating: 0, count: 256)
        while Glibc.read(wakeDescriptor, &scratch, scratch.count) > 0 {}
        return queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}
