public import Foundation
import Glibc
import Synchronization

/// What this machine offers for confining code, found once at start.
public struct SandboxCapabilities: Sendable, Equatable {
    /// The bubblewrap binary, when installed.
    public var bubblewrap: String?
    /// bubblewrap's version line.
    public var bubblewrapVersion: String?
    /// `setpriv` (util-linux), used to drop to an unprivileged user and set the parent-death signal.
    public var setpriv: String?
    /// The Python that runs sandboxed code (the system's, readable by every user).
    public var python: String
    /// Whether Wand runs as root (then code runs as an unprivileged per-sandbox uid, where process limits apply).
    public var isRoot: Bool
    /// The cgroup v1 `pids` hierarchy, when Wand may create groups in it.
    public var pidsCgroup: String?
    /// The cgroup v1 `memory` hierarchy, when Wand may create groups in it.
    public var memoryCgroup: String?
    /// Why `bubblewrap` is nil: not installed, turned off, or installed but unable to start here.
    public var bubblewrapProblem: BubblewrapProblem?
    /// Wand's Python environment for code (numpy, pandas, sympy, matplotlib), when installed and
    /// usable here; nil means code runs on the system Python.
    public var codeEnvironment: SandboxCodeEnvironment?
    /// Why there is no ``codeEnvironment``, when there is none.
    public var codeEnvironmentMissing: String?

    /// Detects what is available; `environment` may name `WAND_SANDBOX_PYTHON` and `WAND_NO_BWRAP=1` (tests).
    ///
    /// An installed bubblewrap is used only if it passes a probe (started once per process with the
    /// flags sandboxes get); where it fails, as where user namespaces are disabled, execution falls back
    /// to limits only and `bubblewrapProblem` says why.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> SandboxCapabilities {
        detect(environment: environment, probing: true)
    }

    static func detect(environment: [String: String], probing: Bool) -> SandboxCapabilities {
        let fileManager = FileManager.default
        var bubblewrap = ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"].first { fileManager.isExecutableFile(atPath: $0) }
        var problem: BubblewrapProblem? = bubblewrap == nil ? .notInstalled : nil
        if environment["WAND_NO_BWRAP"] == "1" {
            bubblewrap = nil
            problem = .turnedOff
        }
        if bubblewrap != nil, probing, let failed = BubblewrapProbe.verdict {
            bubblewrap = nil
            problem = failed
        }
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { fileManager.isExecutableFile(atPath: $0) }
        let python = environment["WAND_SANDBOX_PYTHON"]
            ?? ["/usr/bin/python3", "/usr/local/bin/python3"].first { fileManager.isExecutableFile(atPath: $0) } ?? "python3"
        let isRoot = geteuid() == 0
        func writableCgroup(_ path: String) -> String? {
            guard isRoot, environment["WAND_NO_CGROUPS"] != "1" else { return nil }
            let probe = path + "/wand"
            try? fileManager.createDirectory(atPath: probe, withIntermediateDirectories: false)
            return fileManager.fileExists(atPath: probe + "/cgroup.procs") ? probe : nil
        }
        var capabilities = SandboxCapabilities(bubblewrap: bubblewrap, bubblewrapVersion: nil, setpriv: setpriv, python: python,
                                               isRoot: isRoot, pidsCgroup: writableCgroup("/sys/fs/cgroup/pids"),
                                               memoryCgroup: writableCgroup("/sys/fs/cgroup/memory"), bubblewrapProblem: problem)
        let layout = CodeEnvironmentLayout(paths: WandPaths(environment: environment))
        if environment["WAND_SANDBOX_PYTHON"] != nil {
            capabilities.codeEnvironmentMissing = "WAND_SANDBOX_PYTHON names the interpreter"
        } else if let record = layout.installed {
            if isRoot && bubblewrap == nil {
                // The sandbox's uid cannot read Wand's data directory, and without bubblewrap it cannot be mounted.
                capabilities.codeEnvironmentMissing = "Wand's environment at \(layout.venv.path) cannot be shared with "
                    + "the unprivileged sandbox user without bubblewrap"
            } else {
                capabilities.codeEnvironment = SandboxCodeEnvironment(venv: layout.venv, record: record)
            }
        } else {
            capabilities.codeEnvironmentMissing = "Wand's environment is not installed (run `wand setup`)"
        }
        return capabilities
    }

    /// The interpreter sandboxed code runs, as the code sees its path.
    public var codePython: String {
        guard let codeEnvironment else { return python }
        return bubblewrap != nil ? CodeEnvironmentLayout.sandboxPath + "/bin/python3"
            : codeEnvironment.venv.appendingPathComponent("bin/python3").path
    }

    /// Which Python code gets, in words, for `wand doctor` and `session.started`.
    public var codePythonSummary: String {
        if let codeEnvironment {
            return "Wand's environment (Python \(codeEnvironment.record.python); \(codeEnvironment.record.summary))"
                + (bubblewrap != nil ? ", read-only at \(CodeEnvironmentLayout.sandboxPath)" : "")
        }
        return "the system Python \(python), without numpy, pandas, sympy or matplotlib: "
            + (codeEnvironmentMissing ?? "Wand's environment is not installed")
    }

    /// A fresh unprivileged uid for one sandbox, used when Wand is root.
    ///
    /// Each sandbox gets its own uid (not a shared `nobody`) because the kernel counts the process
    /// limit per uid: with a shared uid one session's fork bomb would starve every other sandbox.
    /// A uid is taken only when it has no account and no process runs as it, and never twice by this
    /// Wand process, so no sandbox shares its uid (and its process limit) with anything else.
    public static func allocateSandboxUID(pick: () -> UInt32 = { UInt32.random(in: 200_000..<1_200_000) },
                                          inUse: (UInt32) -> Bool = uidInUse) -> UInt32 {
        while true {
            let uid = pick()
            guard !inUse(uid) else { continue }
            if allocatedUIDs.withLock({ $0.insert(uid).inserted }) { return uid }
        }
    }

    /// Whether a uid has an account or a living process on this host.
    public static func uidInUse(_ uid: UInt32) -> Bool {
        getpwuid(uid) != nil || !ProcessTable.pids(ownedBy: uid, living: true).isEmpty
    }

    // Process-wide by necessity: every executor of this process draws from the same pool of uids.
    private static let allocatedUIDs = Mutex<Set<UInt32>>([])

    /// How execution is confined, for `session.started`, the status bar and `wand doctor`.
    public func descriptor(limits: ExecutionLimits) -> SandboxDescriptor {
        var parts: [String] = []
        if bubblewrap != nil {
            parts.append(limits.allowNetwork ? "network allowed" : "no network")
            parts.append("read-only system, private /tmp, only the workspace writable")
        }
        if isRoot {
            parts.append(setpriv != nil ? "runs as an unprivileged per-sandbox uid"
                : "runs as ROOT: setpriv (util-linux) is missing, so the drop to an unprivileged uid cannot happen")
        }
        if pidsCgroup != nil { parts.append("pids cgroup") }
        if memoryCgroup != nil { parts.append("memory cgroup") }
        parts.append("limits: \(Int(limits.timeout)) s, \(limits.memoryMB) MiB, \(limits.processes) processes")
        parts.append("Python: \(codePythonSummary)")
        if bubblewrap != nil {
            return SandboxDescriptor(mode: .bubblewrap, detail: parts.joined(separator: ", "))
        }
        let problem = bubblewrapProblem ?? .notInstalled
        return SandboxDescriptor(mode: .limitsOnly, detail: "\(problem.detail): network and files are NOT isolated; "
            + parts.joined(separator: ", ") + ". To confine code: \(problem.fix).", fallbackReason: problem.summary)
    }
}

extension SandboxDescriptor {
    /// The mode, with why bubblewrap is not used when it is not: what the status bar shows.
    public var summary: String {
        fallbackReason.map { "\(mode.rawValue) (\($0))" } ?? mode.rawValue
    }
}

/// Wand's Python environment for code, as the sandbox uses it.
public struct SandboxCodeEnvironment: Sendable, Equatable {
    /// The virtual environment on the host.
    public var venv: URL
    /// What it holds.
    public var record: CodeEnvironmentRecord
}

/// A pair of cgroups (pids and memory) that holds one sandbox and everything it starts.
struct CgroupScope: Sendable {
    let directories: [String]

    /// Creates the groups with their limits; nil when cgroups are not available.
    init?(capabilities: SandboxCapabilities, limits: ExecutionLimits) {
        for parent in [capabilities.pidsCgroup, capabilities.memoryCgroup].compactMap({ $0 }) {
            Self.removeStale(in: parent)
        }
        let name = "s-\(getpid())-\(UUID().uuidString.prefix(8))"
        var directories: [String] = []
        if let pids = capabilities.pidsCgroup {
            let directory = pids + "/" + name
            if mkdir(directory, 0o755) == 0 {
                Self.write(String(limits.processes + 8), to: directory + "/pids.max")
                directories.append(directory)
            }
        }
        if let memory = capabilities.memoryCgroup {
            let directory = memory + "/" + name
            if mkdir(directory, 0o755) == 0 {
                let bytes = (limits.memoryMB + 256) * 1_048_576
                Self.write(String(bytes), to: directory + "/memory.limit_in_bytes")
                Self.write("0", to: directory + "/memory.swappiness")
                directories.append(directory)
            }
        }
        guard !directories.isEmpty else { return nil }
        self.directories = directories
    }

    /// The shell prefix that moves itself into the groups before exec-ing the sandbox.
    var enterScript: String {
        directories.map { "echo $$ > \($0)/cgroup.procs" }.joined(separator: " && ") + " && exec \"$@\""
    }

    /// Kills every process in the groups: stops them all first (a stopped process cannot fork, so a
    /// fork bomb cannot replace what is killed), then kills them.
    ///
    /// Each process is held by a pidfd from before it is stopped until it is killed, so neither signal
    /// can reach a process that took the pid of one that exited meanwhile (by pid where the kernel has
    /// no pidfds).
    func killAll() {
        for _ in 0..<5 {
            var stopped: [pid_t: ProcessReference] = [:]
            for _ in 0..<20 {
                let opened = members().subtracting(stopped.keys).compactMap { ProcessReference.open($0) }
                if opened.isEmpty { break }
                // A pid read from cgroup.procs may have changed hands before it was opened; one still
                // listed after opening is a member (or its process has exited, and signalling it is a no-op).
                let stillMembers = members()
                for reference in opened where stillMembers.contains(reference.pid) {
                    reference.signal(SIGSTOP)
                    stopped[reference.pid] = reference
                }
            }
            if stopped.isEmpty { return }
            for reference in stopped.values { reference.signal(SIGKILL) }
            usleep(20_000)
        }
        // A killed process stays listed until it has finished exiting, which a loaded machine can take
        // well over the rounds above to do: wait for the group to empty, a little.
        for _ in 0..<200 where !members().isEmpty {
            usleep(10_000)
        }
    }

    /// The processes in the groups now.
    func members() -> Set<Int32> {
        var pids = Set<Int32>()
        for directory in directories {
            let listing = (try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)) ?? ""
            pids.formUnion(listing.split(separator: "\n").compactMap { Int32($0) })
        }
        return pids
    }

    /// Kills what is left and removes the groups.
    func remove() {
        killAll()
        for directory in directories {
            for _ in 0..<50 {
                if rmdir(directory) == 0 || errno == ENOENT { break }
                usleep(20_000)
            }
        }
    }

    /// Removes empty groups left by Wand processes that have ended (named `s-PID-…`).
    static func removeStale(in parent: String) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        for entry in entries where entry.hasPrefix("s-") {
            let parts = entry.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[1]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            rmdir(parent + "/" + entry)
        }
    }

    private static func write(_ text: String, to path: String) {
        try? text.write(toFile: path, atomically: false, encoding: .utf8)
    }
}

/// Builds the command that starts the kernel driver inside the sandbox.
struct SandboxCommandBuilder: Sendable {
    let capabilities: SandboxCapabilities
    let limits: ExecutionLimits
    /// The uid the code runs as when Wand is root.
    let uid: UInt32
    let workspace: URL
    let driverDirectory: URL

    /// The path of the workspace as the code sees it.
    var innerWorkspace: String { capabilities.bubblewrap != nil ? "/workspace" : workspace.path }

    func command(cgroup: CgroupScope?, driverConfig: String) -> ChildCommand {
        let driverPath = capabilities.bubblewrap != nil ? "/wand/wand_kernel.py"
            : driverDirectory.appendingPathComponent("wand_kernel.py").path
        return command(cgroup: cgroup, program: [capabilities.codePython, "-u", "-I", driverPath, driverConfig])
    }

    /// The command that runs `program` (its path as seen inside) confined as sandboxed code is.
    func command(cgroup: CgroupScope?, program: [String]) -> ChildCommand {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": innerWorkspace, "TMPDIR": "/tmp",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "MALLOC_ARENA_MAX": "2", "MPLBACKEND": "Agg",
            "USER": "sandbox", "LOGNAME": "sandbox",
        ]
        var inner: [String] = []
        if capabilities.isRoot, let setpriv = capabilities.setpriv {
            let uid = String(self.uid)
            inner += [setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--inh-caps=-all",
                      "--bounding-set=-all", "--no-new-privs", "--"]
        }
        inner += program

        var argv: [String]
        if let bubblewrap = capabilities.bubblewrap {
            argv = [bubblewrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                    "--unshare-cgroup-try"]
            if !capabilities.isRoot { argv.append("--unshare-user") }
            if !limits.allowNetwork { argv.append("--unshare-net") }
            argv += ["--ro-bind", "/usr", "/usr"]
            for link in ["bin", "lib", "lib64", "sbin"] where FileManager.default.fileExists(atPath: "/usr/" + link) {
                argv += ["--symlink", "usr/" + link, "/" + link]
            }
            // /etc/fonts: matplotlib's text rendering asks fontconfig, which complains on stderr without it.
            var etc = ["/etc/ld.so.cache", "/etc/passwd", "/etc/group", "/etc/alternatives", "/etc/localtime", "/etc/fonts"]
            if limits.allowNetwork { etc += ["/etc/resolv.conf", "/etc/hosts", "/etc/ssl", "/etc/ca-certificates"] }
            // bwrap creates /etc as 0700 for the binds below; as root the code's uid could then read none of them.
            argv += ["--perms", "0755", "--dir", "/etc"]
            for path in etc where FileManager.default.fileExists(atPath: path) { argv += ["--ro-bind", path, path] }
            argv += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp",
                     "--bind", workspace.path, "/workspace", "--ro-bind", driverDirectory.path, "/wand"]
            if let codeEnvironment = capabilities.codeEnvironment {
                // Parents bwrap creates for a mount point are private (0700); the sandbox's uid must traverse it.
                let parent = (CodeEnvironmentLayout.sandboxPath as NSString).deletingLastPathComponent
                argv += ["--perms", "0755", "--dir", parent,
                         "--ro-bind", codeEnvironment.venv.path, CodeEnvironmentLayout.sandboxPath]
            }
            argv += ["--chdir", "/workspace", "--clearenv"]
            // Caches (matplotlib's font list, fontconfig's) go to the private /tmp, not the workspace.
            environment["MPLCONFIGDIR"] = "/tmp/matplotlib"
            environment["XDG_CACHE_HOME"] = "/tmp/cache"
            for (key, value) in environment.sorted(by: { $0.key < $1.key }) { argv += ["--setenv", key, value] }
            argv.append("--")
            argv += inner
            environment = ["PATH": "/usr/bin:/bin"]
        } else {
            argv = inner
        }
        if let setpriv = capabilities.setpriv {
            argv = [setpriv, "--pdeathsig", "KILL", "--"] + argv
        }
        if let cgroup {
            argv = ["/bin/sh", "-c", cgroup.enterScript, "wand-sandbox"] + argv
        }
        return ChildCommand(executable: argv[0], arguments: Array(argv.dropFirst()), environment: environment,
                            workingDirectory: workspace.path, newSession: true)
    }
}
