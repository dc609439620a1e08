import Foundation
import Glibc
import Testing
import WandEngine
import WandTestSupport

/// Where unprivileged user namespaces are disabled (many container hosts, some distributions), bubblewrap
/// cannot start. Wand probes it once and falls back to limits only, with approval asked, and says why.
/// These cases run `wand` as an ordinary user in a user namespace whose limit on further namespaces is 0,
/// which makes bubblewrap fail exactly as `sysctl user.max_user_namespaces=0` does on a host; the other
/// cases check that where bubblewrap works it is still used.
@Suite("End to end: the bubblewrap probe and its fallback", .serialized, .requires(.sandbox), .requires(.root))
struct BubblewrapProbeEndToEndTests {
    /// The user the cases run as; outside the range of per-sandbox uids.
    let uid = UInt32.random(in: 1_300_000..<1_400_000)
    /// What bubblewrap says when the kernel refuses it a user namespace for want of quota.
    static let bwrapRefusal = "Creating new namespace failed"

    @Test("without user namespaces, wand exec runs the code with limits only and says why")
    func execFallsBack() async throws {
        let home = try FixtureSessions.temporaryDirectory("wand-nouserns")
        let result = try await WandProcess.runUnprivilegedWithoutUserNamespaces(["exec", "-c", "import os\nprint(6 * 7, os.getuid())"],
                                                                               uid: uid, home: home)
        #expect(result.status == 0, "status \(result.status), stderr: \(result.stderr.prefix(800))")
        #expect(result.stdout == "42 \(uid)\n")
        #expect(result.stderr.contains("wand: warning: bubblewrap cannot create its namespaces here"), "\(result.stderr.prefix(800))")
        #expect(result.stderr.contains(Self.bwrapRefusal), "bubblewrap's own message is quoted: \(result.stderr.prefix(800))")
        #expect(result.stderr.contains("network and files are NOT isolated"))
        let loop = try await WandProcess.runUnprivilegedWithoutUserNamespaces(["exec", "--timeout", "2", "-c", "while True: pass"],
                                                                             uid: uid, home: home)
        #expect(loop.status == 124, "the limits still apply: status \(loop.status), stderr: \(loop.stderr.prefix(500))")
        #expect(try await HostCheck.livingProcesses(ownedBy: uid, within: 10) == [], "processes of uid \(uid) are still running")
    }

    @Test("without user namespaces, wand doctor names the cause and the fix")
    func doctorNamesTheCause() async throws {
        let home = try FixtureSessions.temporaryDirectory("wand-nouserns")
        let result = try await WandProcess.runUnprivilegedWithoutUserNamespaces(["doctor", "--quick"], uid: uid, home: home)
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("! Sandbox:") } ?? ""
        #expect(line.contains("limits only, approval asks before each run: bubblewrap cannot create its namespaces here"), "\(result.stdout)")
        #expect(line.contains(Self.bwrapRefusal), "\(line)")
        #expect(result.stdout.contains("    fix: allow unprivileged user namespaces (sysctl user.max_user_namespaces above 0"), "\(result.stdout)")
    }

    @Test("without user namespaces, approval is asked by default and session.started names the cause")
    func sessionRecordsTheCause() async throws {
        let home = try FixtureSessions.temporaryDirectory("wand-nouserns")
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let model = ["--base-url", server.baseURL("agent").absoluteString, "--model", "fake"]
        let asking = try await WandProcess.runUnprivilegedWithoutUserNamespaces(["run", "What is 6 * 7?"] + model, uid: uid, home: home)
        #expect(asking.status == 2, "status \(asking.status), stderr: \(asking.stderr.prefix(500))")
        #expect(asking.stderr.contains("without a sandbox (user namespaces unavailable) each run is approved first"), "\(asking.stderr.prefix(500))")

        let run = try await WandProcess.runUnprivilegedWithoutUserNamespaces(["run", "What is 6 * 7?", "--approve", "auto", "--json"] + model,
                                                                            uid: uid, home: home)
        #expect(run.status == 0, "status \(run.status), stderr: \(run.stderr.prefix(800))")
        let started = try #require(run.stdout.split(separator: "\n").first.flatMap { try? EventLineCodec().decodeLine(Data($0.utf8)) })
        guard case .sessionStarted(let payload) = started.event else {
            Issue.record("the first event is \(started.event.typeName), not session.started")
            return
        }
        #expect(payload.sandbox.mode == .limitsOnly)
        #expect(payload.sandbox.fallbackReason == "user namespaces unavailable")
        #expect(payload.sandbox.detail.contains(Self.bwrapRefusal), "\(payload.sandbox.detail)")
        #expect(payload.sandbox.summary == "limits-only (user namespaces unavailable)")
    }

    @Test("where bubblewrap works for an ordinary user, it is used: no warning, and doctor says so")
    func workingBubblewrapIsUsed() async throws {
        let home = try FixtureSessions.temporaryDirectory("wand-userns")
        let exec = try await WandProcess.runUnprivileged(["exec", "-c", "import os\nprint(os.path.exists('/workspace'), os.getuid())"],
                                                         uid: uid, home: home)
        #expect(exec.stdout == "True \(uid)\n", "the code ran in bubblewrap's view of the system: \(exec.stdout) \(exec.stderr.prefix(500))")
        #expect(!exec.stderr.contains("warning"), "\(exec.stderr.prefix(500))")
        let doctor = try await WandProcess.runUnprivileged(["doctor", "--quick"], uid: uid, home: home)
        #expect(doctor.stdout.contains("✓ Sandbox: bubblewrap: no network"), "\(doctor.stdout)")
    }
}
