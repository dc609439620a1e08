import Foundation
import Glibc
import Testing
@testable import WandEngine

@Suite("Child processes")
struct ChildProcessTests {
    @Test("closing input ends a reader at once, and output arrives in order")
    func closeInput() async throws {
        let process = try await ChildProcess.launch(ChildCommand(executable: "/bin/cat", arguments: [],
                                                                 environment: ["PATH": "/usr/bin:/bin"]))
        try await process.write(Array("hello\n".utf8))
        // cat ends only at the end of its input: if closing did not reach it, this kills it, and the exit
        // below says so (a bound in seconds, not a timing goal: the suite shares two cores).
        let stuck = Task {
            try await Task.sleep(for: .seconds(20))
            process.signal(SIGKILL)
        }
        process.closeInput()
        var text = ""
        for await chunk in process.output { if case .stdout(let bytes) = chunk { text += String(decoding: bytes, as: UTF8.self) } }
        #expect(await process.waitForExit() == .exited(0), "cat ended by itself, not killed as stuck")
        stuck.cancel()
        #expect(text == "hello\n")
    }

    @Test("SIGTERM reaches a child started from async code")
    func terminate() async throws {
        let process = try await ChildProcess.launch(ChildCommand(executable: "/bin/sleep", arguments: ["30"],
                                                                 environment: ["PATH": "/usr/bin:/bin"]))
        let exit = await process.terminate(grace: 20)
        #expect(exit == .signaled(SIGTERM), "SIGTERM ended it, not the SIGKILL that follows the grace period")
    }

    @Test("a missing program is a clear error naming it and the system's reason")
    func missing() async {
        let error = await #expect(throws: ChildProcessError.self) {
            _ = try await ChildProcess.launch(ChildCommand(executable: "/nonexistent/program", arguments: [], environment: [:]))
        }
        #expect(error?.description == "/nonexistent/program: cannot start: No such file or directory")
    }

    @Test("a pidfd reaches its process while it lives, and nobody once it has been reaped")
    func pidfd() async throws {
        let process = try await ChildProcess.launch(ChildCommand(executable: "/bin/sleep", arguments: ["30"],
                                                                 environment: ["PATH": "/usr/bin:/bin"]))
        let reference = try #require(ProcessReference.open(process.pid))
        #expect(reference.holdsDescriptor, "this kernel (Linux 5.3 or later) has pidfds")
        #expect(reference.signal(0), "the live child is reachable")
        #expect(reference.signal(SIGKILL))
        #expect(await process.waitForExit() == .signaled(SIGKILL))
        #expect(!reference.signal(0), "the reaped child is not: its pid may belong to another process now")
    }

    @Test("a child leading a session is signalled with its whole process group")
    func processGroup() async throws {
        let process = try await ChildProcess.launch(ChildCommand(
            executable: "/bin/sh", arguments: ["-c", "sleep 30 & echo $!; wait"], environment: ["PATH": "/usr/bin:/bin"],
            newSession: true))
        var text = ""
        for await chunk in process.output {
            if case .stdout(let bytes) = chunk { text += String(decoding: bytes, as: UTF8.self) }
            if text.contains("\n") { break }
        }
        let sleeper = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        process.signal(SIGKILL)
        #expect(await process.waitForExit() == .signaled(SIGKILL))
        let deadline = Date().addingTimeInterval(5)
        while let status = ProcessTable.status(of: sleeper), status.state != "Z", Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(ProcessTable.status(of: sleeper).map { $0.state == "Z" } ?? true, "the group's other member was killed too")
    }
}
