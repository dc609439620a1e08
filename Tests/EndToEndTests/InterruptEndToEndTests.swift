import Foundation
import Glibc
import Testing
import WandEngine
import WandTestSupport

/// Crashes, Ctrl-C and unreadable session files, as a user meets them: the real binary in tmux.
@Suite("End to end: interruptions", .serialized)
struct InterruptEndToEndTests {
    let binary = TmuxSession.wandBinary

    /// The workbench on the fake model server (which streams slowly when the goal says "slowly").
    func workbenchCommand(_ server: FakeModelServer, _ extra: String = "") -> String {
        "'\(binary.path)' \(extra) --base-url \(server.baseURL("agent").absoluteString) --model fake --approve auto --strategy codeact"
    }

    func environment(_ data: URL) -> [String: String] {
        ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path]
    }

    func runStatuses(_ events: [EventRecord]) -> [RunStatus] {
        events.compactMap { record in
            if case .runFinished(let finished) = record.event { finished.status } else { nil }
        }
    }

    @Test("SIGKILL while the model streams; --resume shows the run interrupted and runs the next goal")
    func killAndResume() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-crash")
        let pidFile = data.appendingPathComponent("wand.pid")
        // `exec` makes the recorded shell pid the workbench's own, so the test can kill exactly it.
        let crashing = try await TmuxSession.start(command: "echo $$ > '\(pidFile.path)'; exec \(workbenchCommand(server))",
                                                   environment: environment(data))
        try await crashing.waitFor("Prompt", "Type a goal")
        try await crashing.send("Think slowly about 6 * 7.", literal: true)
        try await crashing.send("Enter")
        try await crashing.waitFor("model writing", "thinking3 ")
        let pid = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGKILL) == 0)
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await crashing.stop()

        let sessions = SessionDirectory(url: data.appendingPathComponent("wand/sessions"))
        let file = try #require(sessions.sessionFiles().first)
        let id = file.deletingPathExtension().lastPathComponent
        let cut = try SessionReader().load(file)
        #expect(runStatuses(cut.events).isEmpty, "the kill left the run open")
        #expect(cut.events.contains { $0.event.typeName == "model.delta" }, "killed while the model was streaming")
        let listed = try await WandProcess.run(["sessions", "list"], environment: environment(data))
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("\(id)") && listed.stdout.contains("unfinished"))

        let resumed = try await TmuxSession.start(command: workbenchCommand(server, "--resume \(id)"),
                                                  environment: environment(data))
        let screen = try await resumed.waitFor("Run interrupted", "run 1 was interrupted", "model's reply, cut off", "thinking3 ")
        #expect(!screen.contains("Thinking…") && !screen.contains("running, Esc cancels"), "nothing shows as live")
        try await resumed.send("What is 6 * 7?", literal: true)
        try await resumed.send("Enter")
        try await resumed.waitFor("print(6 * 7)", "✓ exit 0", "Answer", "42")
        try await resumed.send("C-q")
        #expect(try await resumed.waitForExit() == 0)

        let after = try SessionReader().load(file)
        #expect(runStatuses(after.events) == [.interrupted, .answered])
        let state = SessionState(folding: after.events)
        #expect(state.run == 2)
        #expect(state.answer == "42")
        #expect(state.isFinished)
        let replayed = try await WandProcess.run(["replay", id, "--print"], environment: environment(data))
        #expect(replayed.stdout.contains("Run 1 finished: interrupted (\(InterruptedRun.reason))"))
        let relisted = try await WandProcess.run(["sessions", "list"], environment: environment(data))
        #expect(relisted.stdout.contains("answered"))
    }

    @Test("SIGKILL while code runs in the sandbox: nothing the workbench started outlives it, every complete event loads, --resume continues",
          .requires(.sandbox))
    func killDuringExecution() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-crash-exec")
        let pidFile = data.appendingPathComponent("wand.pid")
        let crashing = try await TmuxSession.start(command: "echo $$ > '\(pidFile.path)'; exec \(workbenchCommand(server))",
                                                   environment: environment(data))
        try await crashing.waitFor("Prompt", "Type a goal")
        try await crashing.send("Please sleep in the sandbox.", literal: true)
        try await crashing.send("Enter")
        try await crashing.waitFor("sleeping now", "running")
        let pid = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let started = ProcessTable.descendants(of: pid)
        let commands = started.map { ProcessTable.commandLine(of: $0.pid) }
        #expect(commands.contains { $0.hasPrefix("/usr/bin/bwrap") }, "the kernel runs in bubblewrap: \(commands)")
        #expect(commands.contains { $0.hasPrefix("sleep 300") }, "the program's own child is running: \(commands)")

        #expect(kill(pid, SIGKILL) == 0)
        let deadline = Date().addingTimeInterval(10)
        var survivors = started
        while !survivors.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            survivors = survivors.filter(ProcessTable.isAlive)
        }
        #expect(survivors.isEmpty, "outlived the workbench: \(survivors.map { "\($0.pid) \(ProcessTable.commandLine(of: $0.pid))" })")
        await crashing.stop()

        let file = try #require(SessionDirectory(url: data.appendingPathComponent("wand/sessions")).sessionFiles().first)
        let id = file.deletingPathExtension().lastPathComponent
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        let cut = try SessionReader().load(file)
        // A SIGKILL can land in the middle of a write; only such a last line may be lost.
        let lost = cut.problems.filter { !($0.line == lines.count && $0.reason.hasPrefix("truncated last line")) }
        #expect(lost.isEmpty, "complete lines that did not load: \(lost)")
        #expect(cut.events.count == lines.count - cut.problems.count)
        #expect(cut.events.map(\.seq) == Array(1...cut.events.count))
        #expect(cut.events.contains { if case .execOutput(let output) = $0.event { output.chunk.contains("sleeping now") } else { false } })
        #expect(runStatuses(cut.events).isEmpty, "the kill left the run open")

        let resumed = try await TmuxSession.start(command: workbenchCommand(server, "--resume \(id)"), environment: environment(data))
        try await resumed.waitFor("Run interrupted", "run 1 was interrupted")
        try await resumed.send("What is 6 * 7?", literal: true)
        try await resumed.send("Enter")
        try await resumed.waitFor("print(6 * 7)", "✓ exit 0", "Answer", "42")
        try await resumed.send("C-q")
        #expect(try await resumed.waitForExit() == 0)
        let after = try SessionReader().load(file)
        #expect(runStatuses(after.events) == [.interrupted, .answered])
    }

    @Test("Ctrl-C during a run cancels it and leaves the session consistent")
    func interruptRun() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-ctrl-c")
        let tmux = try await TmuxSession.start(command: workbenchCommand(server), environment: environment(data))
        try await tmux.waitFor("Prompt", "Type a goal")
        try await tmux.send("Think slowly about 6 * 7.", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("running, Esc cancels", "model writing")
        try await tmux.send("C-c")
        try await tmux.waitFor("Run cancelled")
        let screen = try await tmux.capture()
        #expect(!screen.contains("model writing"))
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)

        let file = try #require(SessionDirectory(url: data.appendingPathComponent("wand/sessions")).sessionFiles().first)
        let loaded = try SessionReader().load(file)
        #expect(loaded.problems.isEmpty)
        #expect(loaded.events.map(\.seq) == Array(1...loaded.events.count))
        #expect(runStatuses(loaded.events) == [.cancelled])
        let state = SessionState(folding: loaded.events)
        #expect(!state.isRunning && !state.isGenerating)
        #expect(state.isFinished)
    }

    @Test("Ctrl-C at idle asks for a second press, which quits with status 0")
    func interruptTwiceAtIdle() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-ctrl-c-idle")
        let tmux = try await TmuxSession.start(command: workbenchCommand(server), environment: environment(data))
        try await tmux.waitFor("Prompt", "Type a goal")
        try await tmux.send("C-c")
        try await tmux.waitFor("Ctrl-C again or Ctrl-Q to quit")
        try await tmux.send("C-c")
        #expect(try await tmux.waitForExit() == 0)
    }

    @Test("replaying a directory, an unreadable file, a FIFO and an empty file names the problem, with no Foundation text")
    func replayUnreadable() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let directory = try FixtureSessions.temporaryDirectory("wand-unreadable")
        let fifo = directory.appendingPathComponent("pipe.jsonl")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let empty = directory.appendingPathComponent("empty.jsonl")
        #expect(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        var results: [(WandProcess.Result, String)] = []
        for (url, problem) in [(directory, "is a directory; give a session file or id"),
                               (fifo, "is not a regular file"),
                               (empty, "the file is empty")] {
            results.append((try await WandProcess.run(["replay", url.path, "--print"]), "\(url.path): \(problem)"))
        }

        // Root reads a mode-000 file anyway, so as root the command runs as an ordinary user, who cannot.
        let home = try FixtureSessions.temporaryDirectory("wand-unreadable-user")
        let locked = home.appendingPathComponent("locked.jsonl")
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: locked)
        #expect(chmod(locked.path, 0) == 0)
        let uid: UInt32 = geteuid() == 0 ? UInt32.random(in: 1_300_000..<1_400_000) : geteuid()
        results.append((try await WandProcess.runUnprivileged(["replay", locked.path, "--print"], uid: uid, home: home),
                        "\(locked.path): cannot read: Permission denied"))

        for (result, expected) in results {
            #expect(result.status != 0)
            #expect(result.stderr.contains(expected), "stderr was: \(result.stderr)")
            #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("could not be completed"))
        }
    }
}
