// Linux process calls that Swift's Glibc module does not offer: the pidfd system calls (glibc declares
// them only from 2.36, in a header the module does not include) and pipe2 (declared only under
// _GNU_SOURCE, which would change system structures this module shares with others). Swift cannot call
// the variadic syscall(2) itself.
#ifndef WAND_CLINUXPROCESS_SHIM_H
#define WAND_CLINUXPROCESS_SHIM_H

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

// The same numbers on every architecture Swift supports on Linux (they were added after the tables were unified).
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/// Sends the signal to the target's whole process group (Linux 6.9; older kernels answer EINVAL).
#define WAND_PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)

/// A pidfd for `pid`, or -1 with errno (ENOSYS where the kernel has none, ESRCH when there is no such process).
static inline int wand_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

/// Sends `sig` to the process the pidfd refers to: 0, or -1 with errno (ESRCH once it has exited).
static inline int wand_pidfd_send_signal(int pidfd, int sig, unsigned int flags) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, (siginfo_t *)0, flags);
}

/// A pipe whose ends are closed on exec from the start, so no child started meanwhile by another
/// thread inherits them: 0, or -1 with errno.
static inline int wand_pipe_cloexec(int ends[2]) {
    return (int)syscall(SYS_pipe2, ends, O_CLOEXEC);
}

#endif
