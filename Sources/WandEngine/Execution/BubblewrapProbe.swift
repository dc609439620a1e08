public import Foundation
import CLinuxProcess
import Glibc

/// Why bubblewrap does not confine code here: not installed, turned off, or unable to start.
public struct BubblewrapProblem: Sendable, Equatable {
    /// A few words for the status bar (`user namespaces unavailable`).
    public var summary: String
    /// The whole account, with bubblewrap's own message, for `wand doctor` and `session.started`.
    public var detail: String
    /// What would make bubblewrap work.
    public var fix: String

    /// bubblewrap is not installed.
    public static let notInstalled = BubblewrapProblem(
        summary: "bubblewrap not installed", detail: "bubblewrap not found", fix: "apt-get install bubblewrap")

    /// bubblewrap was turned off with `WAND_NO_BWRAP=1`.
    public static let turnedOff = BubblewrapProblem(
        summary: "bubblewrap turned off", detail: "bubblewrap is turned off (WAND_NO_BWRAP=1)", fix: "unset WAND_NO_BWRAP")

    /// Classifies a failed probe by what bubblewrap printed.
    static func failedProbe(status: String, message: String) -> BubblewrapProblem {
        let quoted = message.isEmpty ? status : "`\(message)` (\(status))"
        let lowered = message.lowercased()
        // Where the kernel refuses user namespaces (a sysctl, a limit of 0, an AppArmor rule), bwrap's
        // messages name the namespace or the uid map it could not set up.
        if lowered.contains("namespace") || lowered.contains("uid map") || lowered.contains("uid_map") {
            return BubblewrapProblem(
                summary: "user namespaces unavailable",
                detail: "bubblewrap cannot create its namespaces here: its test run failed with \(quoted)",
                fix: "allow unprivileged user namespaces (sysctl user.max_user_namespaces above 0; "
                    + "kernel.unprivileged_userns_clone=1 on kernels that have it; on Ubuntu, "
                    + "kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap), or run Wand as root")
        }
        return BubblewrapProblem(summary: "bubblewrap failed its test run",
                                 detail: "bubblewrap's test run failed with \(quoted)",
                                 fix: "run `bwrap --ro-bind / / true` to see why bubblewrap fails here")
    }
}

/// Starts bubblewrap once, with exactly the arguments a sandbox gets but `true` as the program, to learn
/// whether it works on this machine before any code depends on it.
enum BubblewrapProbe {
    /// The seconds the probe may take before it counts as failed.
    static let timeout = 10.0

    /// The verdict for this process: nil when bubblewrap works. Found at first use, so each Wand
    /// process probes once however many sandboxes it starts; what decides the outcome (the binaries,
    /// the user, the kernel's settings) does not change while it runs.
    static let verdict: BubblewrapProblem? = {
        let capabilities = SandboxCapabilities.detect(environment: ["WAND_NO_CGROUPS": "1"], probing: false)
        guard capabilities.bubblewrap != nil else { return .notInstalled }
        return problem(capabilities: capabilities)
    }()

    /// Runs the probe for `capabilities` (whose `bubblewrap` is set); nil when it succeeds.
    static func problem(capabilities: SandboxCapabilities) -> BubblewrapProblem? {
        let workspace = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("wand-probe-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        } catch {
            return BubblewrapProblem(summary: "bubblewrap not tested", detail: "cannot create a directory for bubblewrap's test run: \(error)",
                                     fix: "check that \(workspace.deletingLastPathComponent().path) is writable")
        }
        defer { try? FileManager.default.removeItem(at: workspace) }
        let builder = SandboxCommandBuilder(capabilities: capabilities, limits: ExecutionLimits(),
                                            uid: SandboxCapabilities.allocateSandboxUID(), workspace: workspace,
                                            driverDirectory: WandResourcesLocator.python)
        let command = builder.command(cgroup: nil, program: ["/usr/bin/true"])
        let outcome = SynchronousRun.run(command, timeout: timeout)
        switch outcome.exit {
        case .exited(0)?:
            return nil
        case .exited(let code)?:
            return .failedProbe(status: "exit status \(code)", message: outcome.firstErrorLine)
        case .signaled(let signal)?:
            return .failedProbe(status: "signal \(signal)", message: outcome.firstErrorLine)
        case nil:
            return .failedProbe(status: outcome.startError ?? "no answer within \(Int(timeout)) s", message: outcome.firstErrorLine)
        }
    }
}

/// Runs a short program to its end on the calling thread, keeping its standard error.
///
/// For the probe, which runs before anything asynchronous exists to run it on (`SandboxCapabilities.detect`
/// is synchronous). The calling thread waits for the child, so bubblewrap's parent-death signal (which
/// follows the spawning thread) cannot fire early.
enum SynchronousRun {
    struct Outcome {
        /// How it ended; nil when it could not start or did not end in time (it is then killed).
        var exit: ChildExit?
        /// Why it could not start.
        var startError: String?
        /// Its standard error.
        var stderr: String

        /// The first non-empty line of standard error, at most 300 characters.
        var firstErrorLine: String {
            let line = stderr.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
            return String(line.prefix(300))
        }
    }

    static func run(_ command: ChildCommand, timeout: Double) -> Outcome {
        var ends: [Int32] = [-1, -1]
        guard wand_pipe_cloexec(&ends) == 0 else {
            return Outcome(startError: "cannot create a pipe: \(String(cString: strerror(errno)))", stderr: "")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let arguments = [command.executable] + command.arguments
        let environment = command.environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawned = withCStringArray(arguments) { argv in
            withCStringArray(environment) { envp in
                posix_spawn(&pid, command.executable, &actions, &attributes, argv, envp)
            }
        }
        close(ends[1])
        defer { close(ends[0]) }
        guard spawned == 0 else {
            return Outcome(startError: "cannot start \(command.executable): \(String(cString: strerror(spawned)))", stderr: "")
        }

        var stderr: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timedOut = false
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                timedOut = true
                break
            }
            var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0, errno == EINTR { continue }
            if ready <= 0 { continue }
            let count = read(ends[0], &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            if stderr.count < 16_384 { stderr += buffer[0..<count] }
        }
        // The child is not reaped until waitpid below, so its pid cannot have been reused yet.
        if timedOut { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = String(decoding: stderr, as: UTF8.self)
        if timedOut { return Outcome(exit: nil, stderr: text) }
        let signal = status & 0x7f
        return Outcome(exit: signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal), stderr: text)
    }

    private static func withCStringArray<Result>(_ strings: [String],
                                                 _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
