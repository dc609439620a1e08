import CLinuxProcess
import Glibc

/// One process, held by a pidfd where the kernel has them (Linux 5.3 and later).
///
/// A signal sent through a pidfd reaches the process it was opened on or, once that has exited, nobody:
/// never a process that was given the same pid later. Where the kernel has no pidfds (or a seccomp
/// filter refuses them), the reference holds only the pid and signals go through kill(2), as before.
final class ProcessReference: Sendable {
    /// The process id when it was opened.
    let pid: pid_t
    /// The pidfd, or -1 when signals go by pid.
    private let descriptor: Int32

    private init(pid: pid_t, descriptor: Int32) {
        self.pid = pid
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// A reference to `pid`, or nil when no such process exists.
    ///
    /// The pidfd refers to whichever process has `pid` at the moment of the call: the caller must know
    /// the pid is still the one it means (its own unreaped child, or a pid it checks again after opening).
    static func open(_ pid: pid_t) -> ProcessReference? {
        let descriptor = wand_pidfd_open(pid)
        if descriptor >= 0 { return ProcessReference(pid: pid, descriptor: descriptor) }
        if errno == ESRCH { return nil }
        return ProcessReference(pid: pid, descriptor: -1)
    }

    /// Whether signals go through a pidfd (false: by pid, on a kernel without pidfds).
    var holdsDescriptor: Bool { descriptor >= 0 }

    /// Sends a signal; false when the process has exited (or the signal was refused).
    @discardableResult
    func signal(_ number: Int32) -> Bool {
        if descriptor >= 0 { return wand_pidfd_send_signal(descriptor, number, 0) == 0 }
        return kill(pid, number) == 0
    }

    /// Sends a signal to the process group this process leads, through the pidfd (Linux 6.9 and
    /// later): that reaches the group's members even after the leader was reaped, and never a group
    /// that later got the same id. Nil when this kernel cannot (the caller then signals by group id).
    func signalGroup(_ number: Int32) -> Bool? {
        guard descriptor >= 0 else { return nil }
        if wand_pidfd_send_signal(descriptor, number, WAND_PIDFD_SIGNAL_PROCESS_GROUP) == 0 { return true }
        return errno == EINVAL ? nil : false
    }
}
