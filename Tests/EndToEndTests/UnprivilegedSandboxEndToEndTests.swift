import Foundation
import Glibc
import Testing
import WandEngine
import WandTestSupport

/// Most people run Wand as an ordinary user: no cgroups, and the kernel's process limit counts every
/// process of that user. These cases run `wand exec` as such a user (through `setpriv`, from tests run
/// as root as in CI: a uid of its own is what lets them check that nothing is left running) and check
/// that hostile code is contained there too. Needs bubblewrap.
@Suite("End to end: the sandbox when Wand runs as an ordinary user", .serialized, .requires(.sandbox), .requires(.root))
struct UnprivilegedSandboxEndToEndTests {
    /// The user the cases run as; outside the range of per-sandbox uids.
    let uid = UInt32.random(in: 1_300_000..<1_400_000)

    static let forkBomb = """
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
        """

    @Test("a fork bomb is stopped and leaves nothing running; the next run works")
    func forkBomb() async throws {
        let home = try FixtureSessions.temporaryDirectory("wand-user")
        let start = Date()
        let bomb = try await WandProcess.runUnprivileged(
            ["exec", "--timeout", "5", "--processes", "32", "-c", Self.forkBomb], uid: uid, home: home)
        let elapsed = Date().timeIntervalSince(start)
        #expect(bomb.status == 124 || bomb.status == 125, "status \(bomb.status), stderr: \(bomb.stderr.prefix(500))")
        #expect(elapsed < 5 + SandboxExecutor.interruptGrace + 10, "stopped in \(elapsed) s")
        #expect(try await HostCheck.livingProcesses(ownedBy: uid, within: 10) == [], "processes of uid \(uid) are still running")
        #expect(try await HostCheck.canFork(), "the host can still start processes")
        let next = try await WandProcess.runUnprivileged(["exec", "-c", "print('alive')"], uid: uid, home: home)
        #expect(next.stdout == "alive\n", "status \(next.status), stderr: \(next.stderr.prefix(500))")
    }

    @Test("a memory bomb hits the memory limit")
    func memoryBomb() async throws {
        let home = try FixtureSessions.temporaryDirectory("wand-user")
        let bomb = try await WandProcess.runUnprivileged(
            ["exec", "--timeout", "30", "--memory", "256", "-c", "blocks = []\nwhile True:\n    blocks.append(bytearray(64 << 20))"],
            uid: uid, home: home)
        #expect(bomb.status == 125, "status \(bomb.status)")
        #expect(bomb.stderr.contains("MemoryError: the memory limit of 256 MiB was reached"), "\(bomb.stderr.prefix(500))")
        #expect(try await HostCheck.livingProcesses(ownedBy: uid, within: 10) == [], "processes of uid \(uid) are still running")
    }

    @Test("the code runs as that user, and an infinite loop is stopped by the time limit")
    func infiniteLoop() async throws {
        let home = try FixtureSessions.temporaryDirectory("wand-user")
        let who = try await WandProcess.runUnprivileged(["exec", "-c", "import os\nprint(os.getuid())"], uid: uid, home: home)
        #expect(who.stdout == "\(uid)\n", "status \(who.status), stderr: \(who.stderr.prefix(500))")
        let loop = try await WandProcess.runUnprivileged(["exec", "--timeout", "2", "-c", "while True: pass"], uid: uid, home: home)
        #expect(loop.status == 124, "status \(loop.status), stderr: \(loop.stderr.prefix(500))")
        #expect(try await HostCheck.livingProcesses(ownedBy: uid, within: 10) == [], "processes of uid \(uid) are still running")
    }
}
