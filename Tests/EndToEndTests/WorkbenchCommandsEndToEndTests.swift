import Foundation
import Glibc
import Testing
import WandEngine
import WandTestSupport

/// The live workbench's commands, palette, session browser and comparison, driven in tmux.
@Suite("End to end: commands, sessions and comparisons in the workbench", .serialized)
struct WorkbenchCommandsEndToEndTests {
    /// Starts the workbench against the fake server's `agent` scenario with its own data directory.
    func start(_ server: FakeModelServer, data: URL, arguments: String = "") async throws -> TmuxSession {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxSession.wandBinary.path), "build first: swift build")
        let tmux = try await TmuxSession.start(command: workbenchCommand(server, arguments),
                                               environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path])
        try await tmux.waitFor("Prompt", "Type a goal")
        return tmux
    }

    /// The command line of the workbench against the fake server's `agent` scenario.
    func workbenchCommand(_ server: FakeModelServer, _ arguments: String = "") -> String {
        "'\(TmuxSession.wandBinary.path)' \(arguments) --base-url \(server.baseURL("agent").absoluteString) "
            + "--model fake --approve auto --strategy codeact"
    }

    func sessions(_ data: URL) -> SessionDirectory { SessionDirectory(url: data.appendingPathComponent("wand/sessions")) }

    /// The status bar: the screen's last non-empty line.
    func statusBar(_ screen: String) -> String {
        screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
    }

    @Test("/strategy pal shows in the status bar and the next run uses it; a mistyped command gets an inline error; /export writes the session")
    func switchStrategy() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-commands")
        let tmux = try await start(server, data: data)
        try await tmux.waitForScreen("codeact in the status bar") { statusBar($0).contains("codeact") }

        try await tmux.send("/strategy pall", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("unknown strategy \"pall\"; known: auto, vote, codeact, pal, plan, tdd, sample")
        try await tmux.send("BSpace")
        try await tmux.waitFor("/strategy NAME: pal ")
        try await tmux.send("Enter")
        try await tmux.waitFor("Strategy pal from the next goal")
        try await tmux.waitForScreen("pal in the status bar") { statusBar($0).contains("pal") && !statusBar($0).contains("codeact") }

        try await tmux.send("What is 6 * 7?", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Answer", "│42 ")
        let transcript = data.appendingPathComponent("run.md")
        try await tmux.send("/export markdown \(transcript.path)", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Exported markdown to")
        #expect(try String(contentsOf: transcript, encoding: .utf8).contains(#"What is 6 \* 7?"#), "the export holds the run (Markdown escapes the *)")
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
        let saved = sessions(data).list()
        #expect(saved.count == 1)
        let events = try SessionReader().load(try #require(saved.first).url).events
        let strategies = events.compactMap { if case .runStarted(let run) = $0.event { run.strategy } else { nil } }
        #expect(strategies == ["pal"])
    }

    @Test("the palette lists the commands, and /samples from it is recorded as a settings change before the next run")
    func paletteAndRecordedChange() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-palette")
        let tmux = try await start(server, data: data)
        try await tmux.send("What is 6 * 7?", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Answer")
        try await tmux.send("C-p")
        try await tmux.waitFor("Commands · type to filter", "/strategy NAME", "/sessions")
        try await tmux.send("samp", literal: true)
        try await tmux.waitForScreen("the palette filtered") { !$0.contains("/sessions") && $0.contains("/samples N") }
        try await tmux.send("Enter")
        try await tmux.waitForScreen("the command in the prompt") { !$0.contains("Commands · type to filter") }
        try await tmux.send("3", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("3 samples from the next goal")
        try await tmux.send("What is 6 * 7 again?", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitForScreen("the second run's answer") { $0.contains("Answer") && !$0.contains("running, Esc cancels") }
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
        let events = try SessionReader().load(try #require(sessions(data).list().first).url).events
        let changes = events.compactMap { if case .settingsChanged(let change) = $0.event { change } else { nil } }
        #expect(changes == [SettingsChanged(settings: ["samples": "3"])])
        let types = events.map(\.event.typeName)
        let change = try #require(types.firstIndex(of: "settings.changed"))
        #expect(types[change + 1] == "run.started", "the change is recorded just before the run that uses it")
    }

    @Test("the browser lists saved sessions, filters, replays one, and forks one into a new live session")
    func browser() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-browser")
        let directory = sessions(data)
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: directory.file(for: "20261124-093000-0b1c"))
        try FixtureSessions.write(FixtureSessions.comparison(), to: directory.file(for: "20261125-101500-a3f2"))
        let tmux = try await start(server, data: data)

        try await tmux.send("/sessions", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Sessions · 2 of 2", "codeact vs pal", "What is the 30th Fibonacci")
        try await tmux.send("/")
        try await tmux.send("Fibonacci", literal: true)
        try await tmux.waitFor("Sessions · 1 of 2")
        try await tmux.send("Enter")
        try await tmux.send("Enter")
        try await tmux.waitFor("replay", "1/26", "Goal")
        try await tmux.send(">")
        try await tmux.waitFor("26/26", "832040")
        try await tmux.send("q")
        try await tmux.waitFor("Prompt", "Type a goal")

        try await tmux.send("/sessions", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Sessions · 2 of 2")
        try await tmux.send("j")
        try await tmux.send("f")
        try await tmux.waitFor("Forked 20261124-093000-0b1c")
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
        let all = directory.list()
        #expect(all.count == 3)
        let fork = try #require(all.first { !["20261124-093000-0b1c", "20261125-101500-a3f2"].contains($0.id) })
        let events = try SessionReader().load(fork.url).events
        #expect(events.contains { if case .notice(let notice) = $0.event { notice.message.contains("Forked from") } else { false } })
        #expect(fork.goal == "What is the 30th Fibonacci number (F1 = F2 = 1)? Use code.")
    }

    @Test("/fork 1 continues the session in a new one after attempt 1, and the run goes on from there")
    func forkAfterAttempt() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-fork")
        let tmux = try await start(server, data: data)
        try await tmux.send("What is 6 * 7?", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Answer", "│42 ")
        let original = try #require(sessions(data).list().first)
        try await tmux.send("/fork 9", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("no attempt 9 to fork after; this session has 1–1")
        try await tmux.send("C-u")
        try await tmux.send("/fork 1", literal: true)
        try await tmux.send("Enter")
        // Restoring the kernel re-runs the session's code in a new sandbox: slow on a machine busy with
        // the rest of the suite.
        try await tmux.waitFor("Forked \(original.id) into", timeout: 60)
        // The fork's notice clears when its run finishes.
        try await tmux.waitForScreen(timeout: 60, "the forked run answered") { screen in
            !screen.contains("Forked ") && screen.contains("│42 ") && !screen.contains("running, Esc cancels")
        }
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
        let fork = try #require(sessions(data).list().first { $0.id != original.id })
        let events = try SessionReader().load(fork.url).events
        #expect(events.contains { if case .notice(let notice) = $0.event { notice.message.contains("Restored the Python session") } else { false } })
        #expect(fork.status == .answered)
    }

    @Test("the browser deletes a session after a yes, and only then")
    func delete() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-delete")
        let directory = sessions(data)
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: directory.file(for: "20261124-093000-0b1c"))
        let tmux = try await start(server, data: data)
        try await tmux.send("/sessions", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Sessions · 1 of 1")
        try await tmux.send("d")
        try await tmux.waitFor("Delete 20261124-093000-0b1c? y deletes")
        try await tmux.send("n")
        try await tmux.waitForScreen("the question gone") { !$0.contains("Delete 20261124") }
        #expect(directory.list().count == 1)
        try await tmux.send("d")
        try await tmux.send("y")
        try await tmux.waitFor("No saved sessions yet.")
        #expect(directory.list().isEmpty)
        try await tmux.send("Escape")
        try await tmux.waitForScreen("the browser closed") { !$0.contains("Sessions · ") }
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
    }

    @Test("/compare codeact,pal fills two columns, saves one comparison session, and replays side by side")
    func compare() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-compare")
        let tmux = try await start(server, data: data)
        try await tmux.send("/compare codeact,pal What is 6 * 7?", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("1 · codeact · fake", "2 · pal · fake")
        let screen = try await tmux.waitForScreen("both sides answered") { screen in
            screen.components(separatedBy: "Answer · answered").count == 3
        }
        #expect(screen.contains("the model's final words"), "codeact's answer and where it came from")
        #expect(screen.components(separatedBy: "│42 ").count == 3, "both sides answer 42")
        #expect(screen.contains(" tok · "), "each side shows its tokens and time")
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)

        let saved = sessions(data).list()
        #expect(saved.count == 1, "the pair is one session")
        let file = try #require(saved.first)
        #expect(file.isComparison)
        #expect(file.strategy == "codeact vs pal")

        let replay = try await TmuxSession.start(command: "'\(TmuxSession.wandBinary.path)' replay '\(file.url.path)'",
                                                 environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path])
        try await replay.waitFor("1 · codeact · fake", "2 · pal · fake", "Answer · waiting")
        try await replay.send(">")
        try await replay.waitForScreen("both sides at the end") { $0.components(separatedBy: "Answer · answered").count == 3 }
        try await replay.send("q")
        #expect(try await replay.waitForExit() == 0)
    }

    @Test("wand compare --print runs both sides and prints a summary")
    func compareCommand() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-compare-print")
        let result = try await WandProcess.run(
            ["compare", "What is 6 * 7?", "--strategies", "codeact,pal", "--print", "--base-url",
             server.baseURL("agent").absoluteString, "--model", "fake", "--approve", "auto"],
            environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1. codeact with fake: answered"))
        #expect(result.stdout.contains("2. pal with fake: answered"))
        let bad = try await WandProcess.run(["compare", "x", "--strategies", "codeact,pall", "--base-url",
                                             server.baseURL("agent").absoluteString, "--model", "fake", "--print"],
                                            environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown strategy \"pall\" in pall@custom; known: auto, vote, codeact, pal, plan, tdd, sample"))
    }

    @Test("when its terminal goes away after a fork, the workbench ends instead of drawing for no one")
    func terminalHangUp() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-hangup")
        let pidFile = data.appendingPathComponent("shell.pid")
        // The workbench is the child of the pane's shell, not the session leader, as when a user starts it
        // from a script: a hang-up signals the shell.
        let tmux = try await TmuxSession.start(
            command: "echo $$ > '\(pidFile.path)'; \(workbenchCommand(server)); true",
            environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path])
        try await tmux.waitFor("Prompt", "Type a goal")
        let shell = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let workbench = ProcessTable.descendants(of: shell).first {
            ProcessTable.commandLine(of: $0.pid).hasPrefix(TmuxSession.wandBinary.path)
        }
        let process = try #require(workbench, "the workbench under the shell \(shell)")
        // After a fork the workbench runs its second loop, the case where the hang-up once went unnoticed.
        try await tmux.send("What is 6 * 7?", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("Answer", "│42 ")
        try await tmux.send("/fork 1", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitForScreen(timeout: 60, "the forked run answered") { screen in
            screen.contains("Forked ") || (screen.contains("│42 ") && !screen.contains("running, Esc cancels"))
        }
        await tmux.stop()
        let deadline = Date().addingTimeInterval(20)
        while ProcessTable.isAlive(process), Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let gone = !ProcessTable.isAlive(process)
        #expect(gone, "the workbench was still running 20 s after its terminal went away")
        if !gone { kill(process.pid, SIGKILL) }
    }
}
