import Foundation
import Testing
import WandEngine

@Suite("Child processes")
struct ChildProcessTests {
    @Test("closing input ends a reader at once, and output arrives in order")
    func closeInput() async throws {
        let process = try await ChildProcess.launch(ChildCommand(executable: "/bin/cat", arguments: [],
                                                                 environment: ["PATH": "/usr/bin:/bin"]))
        try await process.write(Array("hello\n".utf8))
        let start = Date()
        process.closeInput()
        var text = ""
        for await chunk in process.output { if case .stdout(let bytes) = chunk { text += String(decoding: bytes, as: UTF8.self) } }
        #expect(await process.waitForExit() == .exited(0))
        #expect(text == "hello\n")
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test("SIGTERM reaches a child started from async code")
    func terminate() async throws {
        let process = try await ChildProcess.launch(ChildCommand(executable: "/bin/sleep", arguments: ["30"],
                                                                 environment: ["PATH": "/usr/bin:/bin"]))
        let start = Date()
        let exit = await process.terminate(grace: 5)
        #expect(exit == .signaled(SIGTERM))
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test("a missing program is a clear error")
    func missing() async {
        await #expect(throws: (any Error).self) {
            _ = try await ChildProcess.launch(ChildCommand(executable: "/nonexistent/program", arguments: [], environment: [:]))
        }
    }
}
