import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Persistent sandboxed kernel", .serialized)
struct ExecutorTests {
    @Test("variables, imports and functions survive between steps; a final expression is the value")
    func stateAcrossSteps() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let first = await ExecutorFixtures.python(executor, "import math\ndef area(r):\n    return math.pi * r * r\nx = 41")
        #expect(first.result.succeeded)
        #expect(first.result.value == nil, "an assignment has no value")
        let second = await ExecutorFixtures.python(executor, "x += 1\nround(area(1), 2), x")
        #expect(second.result.value == "(3.14, 42)")
        #expect(second.result.exitStatus == 0)
        let none = await ExecutorFixtures.python(executor, "print('side effect')")
        #expect(none.result.value == nil, "None is not shown")
        #expect(none.stdout == "side effect\n")
    }

    @Test("an exception reports its type and message, with a traceback trimmed to the cell")
    func exceptions() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let outcome = await ExecutorFixtures.python(executor, "def f(d):\n    return d['missing']\n\nf({})")
        #expect(outcome.result.error == "KeyError: 'missing'")
        #expect(outcome.result.exitStatus == 1)
        let traceback = try #require(outcome.result.traceback)
        #expect(traceback.contains("File \"<cell 1>\", line 4, in <module>"))
        #expect(traceback.contains("File \"<cell 1>\", line 2, in f"))
        #expect(traceback.contains("return d['missing']"))
        #expect(!traceback.contains("wand_kernel"), "the kernel's own frames are hidden")
        let syntax = await ExecutorFixtures.python(executor, "print('a'\nx = 1")
        #expect(syntax.result.error?.hasPrefix("SyntaxError: '(' was never closed (line 1)") == true)
    }

    @Test("stdout and stderr keep their order, also from child processes")
    func streamingOrder() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let outcome = await ExecutorFixtures.python(executor, """
            import sys, subprocess
            print('one'); print('two', file=sys.stderr); print('three')
            subprocess.run(['sh', '-c', 'echo four'])
            """)
        let chunks: [ExecutionEvent] = outcome.events.filter { if case .output = $0 { true } else { false } }
        #expect(chunks == [.output(.stdout, "one\n"), .output(.stderr, "two\n"), .output(.stdout, "three\n"),
                           .output(.stdout, "four\n")])
    }

    @Test("output streams while the step runs, before it ends")
    func streamsLive() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let start = Date()
        var firstOutputAt: Date?
        for await event in executor.execute(ExecutionRequest(attempt: 1, language: .python,
                                                             source: "import time\nprint('early', flush=True)\ntime.sleep(8)")) {
            if case .output = event, firstOutputAt == nil { firstOutputAt = Date() }
        }
        let elapsed = try #require(firstOutputAt).timeIntervalSince(start)
        // The step takes 8 s; output seen well before that streamed (the bound leaves room for a loaded machine).
        #expect(elapsed < 6)
    }

    @Test("interrupting a step keeps the kernel's state")
    func interruptKeepsState() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        _ = await ExecutorFixtures.python(executor, "kept = 'still here'")
        let run = Task { await ExecutorFixtures.python(executor, "import time\nprint('waiting', flush=True)\ntime.sleep(60)", attempt: 2) }
        try await Task.sleep(for: .milliseconds(700))
        run.cancel()
        let interrupted = await run.value
        #expect(interrupted.result.limit == .cancelled)
        #expect(interrupted.result.stateLost == false)
        let after = await ExecutorFixtures.python(executor, "kept", attempt: 3)
        #expect(after.result.value == "'still here'")
    }

    @Test("a kernel that dies between steps is replaced: the next step runs, and says its state is gone")
    func diedBetweenSteps() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        // The kernel kills itself once the test drops a file into the workspace, after the step ended.
        let armed = await ExecutorFixtures.python(executor, """
            import os, signal, threading, time
            kept = 1
            def die_on_signal():
                while not os.path.exists('die'):
                    time.sleep(0.01)
                os.remove('die')
                os.kill(os.getpid(), signal.SIGKILL)
            threading.Thread(target=die_on_signal, daemon=True).start()
            """)
        #expect(armed.result.succeeded)
        let trigger = executor.workspace.appendingPathComponent("die")
        FileManager.default.createFile(atPath: trigger.path, contents: nil)
        let deadline = Date().addingTimeInterval(20)
        while FileManager.default.fileExists(atPath: trigger.path), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!FileManager.default.fileExists(atPath: trigger.path), "the kernel saw the trigger")
        try await Task.sleep(for: .milliseconds(300))  // let the kill land
        let next = await ExecutorFixtures.python(executor, "print('kept' in globals())", attempt: 2)
        #expect(next.stdout == "False\n", "\(next.result), stderr: \(next.stderr.prefix(300))")
        #expect(next.result.succeeded)
        #expect(next.result.stateLost)
        #expect(next.events.contains { if case .notice(let notice) = $0 { notice.message.contains("gone") } else { false } })
    }

    @Test("a step that ignores the interrupt is killed; the kernel restarts without its state, with a notice")
    func killAndRestart() async throws {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 1, cpuSeconds: 30))
        defer { Task { await executor.shutdown() } }
        _ = await ExecutorFixtures.python(executor, "kept = 1")
        let stubborn = await ExecutorFixtures.python(executor, """
            import signal, time
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            while True:
                time.sleep(0.01)
            """, attempt: 2)
        #expect(stubborn.result.limit == .timeout)
        #expect(stubborn.result.stateLost)
        #expect(stubborn.result.error?.contains("did not stop when interrupted") == true)
        #expect(stubborn.events.contains { if case .notice(let notice) = $0 { notice.message.contains("state") || notice.message.contains("restarted") } else { false } })
        let after = await ExecutorFixtures.python(executor, "kept", attempt: 3)
        #expect(after.result.error == "NameError: name 'kept' is not defined")
    }

    @Test("invalid UTF-8 and binary output arrive as text with replacement characters")
    func binaryOutput() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        let outcome = await ExecutorFixtures.python(executor, """
            import sys, os
            sys.stdout.buffer.write(b'ok \\xff\\xfe\\x00 end\\n')
            sys.stdout.flush()
            os.write(1, bytes(range(256))[:16] + b'\\xc3\\n')
            """)
        let scalars = outcome.stdout.unicodeScalars.map(\.value)
        #expect(Array(scalars.prefix(12)) == [0x6F, 0x6B, 0x20, 0xFFFD, 0xFFFD, 0x0, 0x20, 0x65, 0x6E, 0x64, 0x0A, 0x0])
        #expect(outcome.stdout.contains("\u{FFFD}\n"))
        #expect(outcome.result.succeeded)
    }

    @Test("a 100 MB print is cut to its head and tail and marked, quickly")
    func hugeOutput() async throws {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 60, outputBytes: 65_536))
        defer { Task { await executor.shutdown() } }
        let start = Date()
        let outcome = await ExecutorFixtures.python(executor, "print('H' + 'x' * 100_000_000 + 'T')")
        #expect(outcome.result.truncated)
        #expect(outcome.result.succeeded)
        #expect(outcome.stdout.hasPrefix("Hxxx"))
        #expect(outcome.stdout.hasSuffix("xxT\n"))
        #expect(outcome.stdout.count + outcome.stderr.count < 70_000)
        #expect(outcome.stderr.contains("characters of output cut"))
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test("shell commands run in the workspace and report their exit status")
    func shell() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        var stdout = ""
        var result: ExecFinished?
        for await event in executor.execute(ExecutionRequest(attempt: 1, language: .shell, source: "echo made > f.txt; cat f.txt; exit 4")) {
            if case .output(.stdout, let text) = event { stdout += text }
            if case .finished(let finished) = event { result = finished }
        }
        #expect(stdout == "made\n")
        #expect(result?.exitStatus == 4)
        let read = await ExecutorFixtures.python(executor, "open('f.txt').read()")
        #expect(read.result.value == "'made\\n'", "shell and Python share the workspace")
    }

    @Test("a fresh run does not see the kernel's state")
    func freshRun() async throws {
        let executor = try ExecutorFixtures.make()
        defer { Task { await executor.shutdown() } }
        _ = await ExecutorFixtures.python(executor, "secret = 7")
        let fresh = await ExecutorFixtures.python(executor, "secret", fresh: true)
        #expect(fresh.result.error == "NameError: name 'secret' is not defined")
        let persistent = await ExecutorFixtures.python(executor, "secret")
        #expect(persistent.result.value == "7")
    }

    @Test("without bubblewrap the executor says so and still enforces the limits")
    func limitsOnly() async throws {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 1.5, cpuSeconds: 30, memoryMB: 256), sandboxed: false)
        defer { Task { await executor.shutdown() } }
        #expect(executor.sandbox.mode == .limitsOnly)
        #expect(executor.sandbox.detail.contains("NOT isolated"))
        let loop = await ExecutorFixtures.python(executor, "while True: pass")
        #expect(loop.result.limit == .timeout)
        let memory = await ExecutorFixtures.python(executor, "x = bytearray(2 * 1024**3)")
        #expect(memory.result.limit == .memory)
        let fine = await ExecutorFixtures.python(executor, "1 + 1")
        #expect(fine.result.value == "2")
    }
}
