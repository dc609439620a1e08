import Foundation
import Glibc
import Testing
@testable import WandEngine
import WandTestSupport

@Suite("Sandbox: the bubblewrap probe and the cgroup sweep")
struct SandboxTests {
    @Test("a failed probe is named by what bubblewrap printed, as on the hosts that refuse it", arguments: [
        // Linux with user.max_user_namespaces=0 (and this test suite's own namespace with that limit).
        ("bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)",
         "user namespaces unavailable"),
        // Debian kernels with kernel.unprivileged_userns_clone=0.
        ("bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.",
         "user namespaces unavailable"),
        // Ubuntu 24.04's AppArmor restriction.
        ("bwrap: setting up uid map: Permission denied", "user namespaces unavailable"),
        ("bwrap: Can't mount proc on /newroot/proc: Operation not permitted", "bubblewrap failed its test run"),
    ])
    func classifies(message: String, summary: String) {
        let problem = BubblewrapProblem.failedProbe(status: "exit status 1", message: message)
        #expect(problem.summary == summary)
        #expect(problem.detail.contains("`\(message)` (exit status 1)"))
    }

    @Test("without bubblewrap the descriptor is limits-only and says why, in a few words and in full")
    func fallbackDescriptor() {
        var capabilities = SandboxCapabilities.detect(environment: ["WAND_NO_BWRAP": "1", "WAND_NO_CGROUPS": "1"])
        #expect(capabilities.bubblewrap == nil)
        #expect(capabilities.bubblewrapProblem == .turnedOff)
        capabilities.bubblewrapProblem = .failedProbe(status: "exit status 1", message: "bwrap: setting up uid map: Permission denied")
        let descriptor = capabilities.descriptor(limits: ExecutionLimits())
        #expect(descriptor.mode == .limitsOnly)
        #expect(descriptor.fallbackReason == "user namespaces unavailable")
        #expect(descriptor.summary == "limits-only (user namespaces unavailable)")
        #expect(descriptor.detail.hasPrefix("bubblewrap cannot create its namespaces here: its test run failed with "
            + "`bwrap: setting up uid map: Permission denied` (exit status 1): network and files are NOT isolated; "))
        #expect(descriptor.detail.hasSuffix(". To confine code: allow unprivileged user namespaces (sysctl user.max_user_namespaces "
            + "above 0; kernel.unprivileged_userns_clone=1 on kernels that have it; on Ubuntu, "
            + "kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap), or run Wand as root."))
    }

    @Test("where bubblewrap works, the probe passes and bubblewrap is used", .requires(.sandbox))
    func workingProbe() throws {
        let capabilities = SandboxCapabilities.detect(environment: ["WAND_NO_CGROUPS": "1"])
        #expect(capabilities.bubblewrap != nil)
        #expect(capabilities.bubblewrapProblem == nil)
        #expect(BubblewrapProbe.problem(capabilities: capabilities) == nil, "a second probe agrees")
        #expect(capabilities.descriptor(limits: ExecutionLimits()).mode == .bubblewrap)
        #expect(capabilities.descriptor(limits: ExecutionLimits()).fallbackReason == nil)
    }

    @Test("a probe of a bubblewrap that cannot start reports bubblewrap's own message", .requires(.sandbox))
    func failingProbe() throws {
        var capabilities = SandboxCapabilities.detect(environment: ["WAND_NO_CGROUPS": "1"])
        // The probe binds Wand's kernel driver directory; one that does not exist makes bwrap fail at once.
        capabilities.bubblewrap = try #require(capabilities.bubblewrap)
        let builder = SandboxCommandBuilder(capabilities: capabilities, limits: ExecutionLimits(), uid: 1_250_000,
                                            workspace: URL(fileURLWithPath: "/nonexistent-wand-workspace"),
                                            driverDirectory: WandResourcesLocator.python)
        let outcome = SynchronousRun.run(builder.command(cgroup: nil, program: ["/usr/bin/true"]), timeout: 10)
        #expect(outcome.exit == .exited(1))
        #expect(outcome.firstErrorLine.hasPrefix("bwrap: Can't find source path /nonexistent-wand-workspace"), "\(outcome.stderr)")
    }

    /// Forks children that sleep, as fast as it can, forever: a fork refused at the process limit is
    /// tried again (a shell loop would exit there, before the sweep it is meant to test).
    static let forkBomb = """
        import os, resource, time
        resource.setrlimit(resource.RLIMIT_NPROC, (32, 32))
        while True:
            try:
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
            except OSError:
                time.sleep(0.001)
        """

    @Test("a sweep stops and kills every process in the sandbox's cgroup, however fast they fork",
          .requires(.root), .enabled(if: SandboxCapabilities.detect().pidsCgroup != nil, "needs a writable cgroup v1 pids hierarchy"))
    func sweepLeavesNothing() async throws {
        let capabilities = SandboxCapabilities.detect()
        let scope = try #require(CgroupScope(capabilities: capabilities, limits: ExecutionLimits(processes: 24)))
        defer { scope.remove() }
        // Bounded twice, as hostile code must be here: by the group's pids.max and by a process limit
        // on a uid of its own.
        let uid = SandboxCapabilities.allocateSandboxUID()
        let forker = try await ChildProcess.launch(ChildCommand(
            executable: "/bin/sh",
            arguments: ["-c", scope.enterScript, "wand-sandbox", "/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)",
                        "--clear-groups", "--", "/usr/bin/python3", "-c", Self.forkBomb],
            environment: ["PATH": "/usr/bin:/bin"], newSession: true))
        let deadline = Date().addingTimeInterval(10)
        while scope.members().count < 10, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(scope.members().count >= 10, "the forker filled its group")
        scope.killAll()
        #expect(scope.members().isEmpty, "left in the group: \(scope.members())")
        let forkerExit = await forker.waitForExit()
        #expect(forkerExit == .signaled(SIGKILL), "\(forkerExit)")
        #expect(try await HostCheck.livingProcesses(ownedBy: uid, within: 5) == [])
    }

    @Test("a sandbox uid is one with no account and no process, never handed out twice")
    func sandboxUIDIsUnused() {
        var candidates: [UInt32] = [0, 1_100_001, 1_100_001, 1_100_002]
        let pick = { candidates.removeFirst() }
        #expect(SandboxCapabilities.allocateSandboxUID(pick: pick) == 1_100_001, "root has an account and processes")
        #expect(SandboxCapabilities.allocateSandboxUID(pick: pick) == 1_100_002, "1_100_001 is taken already")
        #expect(SandboxCapabilities.uidInUse(0))
        #expect(SandboxCapabilities.uidInUse(getuid()))
    }

    @Test("as root without setpriv, the descriptor says code runs as root, not as a per-sandbox uid")
    func descriptorWithoutSetpriv() {
        var capabilities = SandboxCapabilities.detect(environment: ["WAND_NO_BWRAP": "1"])
        capabilities.isRoot = true
        capabilities.setpriv = nil
        let detail = capabilities.descriptor(limits: ExecutionLimits()).detail
        #expect(detail.contains("runs as ROOT: setpriv (util-linux) is missing"))
        #expect(!detail.contains("per-sandbox uid"))
        capabilities.setpriv = "/usr/bin/setpriv"
        #expect(capabilities.descriptor(limits: ExecutionLimits()).detail.contains("runs as an unprivileged per-sandbox uid"))
    }
}
