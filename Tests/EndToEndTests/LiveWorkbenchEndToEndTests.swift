import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("End to end: the live workbench in tmux", .serialized)
struct LiveWorkbenchEndToEndTests {
    @Test("type a goal, see plan, code and output fill in; cancel a second run with Esc; quit cleanly")
    func liveRun() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxSession.wandBinary.path), "build first: swift build")
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-live")
        let tmux = try await TmuxSession.start(
            command: "'\(TmuxSession.wandBinary.path)' --base-url \(server.baseURL("agent").absoluteString) --model fake --approve auto --strategy codeact",
            environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path])
        try await tmux.waitFor("Prompt", "Type a goal")

        try await tmux.send("What is 6 * 7?", literal: true)
        try await tmux.waitFor("What is 6 * 7?")
        try await tmux.send("Enter")
        try await tmux.waitFor("Code · attempt 1/1 · python", "print(6 * 7)", "42", "✓ exit 0", "Answer")
        let screen = try await tmux.capture()
        #expect(screen.contains("✓ #1 python · exit 0"), "the Plan pane lists the attempt")

        try await tmux.send("Think slowly about 6 * 7.", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("running, Esc cancels", "model writing")
        try await tmux.send("Escape")
        try await tmux.waitFor("Run cancelled")

        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
        let sessions = SessionDirectory(url: data.appendingPathComponent("wand/sessions")).list()
        #expect(sessions.count == 1, "both runs are in one saved session")
        let state = SessionState(folding: try SessionReader().load(sessions[0].url).events)
        #expect(state.run == 2)
        #expect(state.runStatus == .cancelled)
        #expect(state.isFinished)
    }

    @Test("without a model the workbench offers to install it or open a demo, and does not exit")
    func welcomeOffer() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxSession.wandBinary.path), "build first: swift build")
        let data = try FixtureSessions.temporaryDirectory("wand-empty")
        let tmux = try await TmuxSession.start(command: "'\(TmuxSession.wandBinary.path)'",
                                               environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path,
                                                             "OPENAI_BASE_URL": ""])
        try await tmux.waitFor("Welcome to Wand", "install the embedded model", "open a demo session")
        try await tmux.send("Escape")
        try await tmux.waitForScreen("the offer closed") { !$0.contains("Welcome to Wand") }
        try await tmux.send("No model yet", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("No model available")
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
    }
}

extension LiveWorkbenchEndToEndTests {
    @Test("the welcome offer's demo key leaves the live workbench for a replay of a demo session")
    func welcomeOpensDemo() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxSession.wandBinary.path), "build first: swift build")
        let data = try FixtureSessions.temporaryDirectory("wand-empty")
        let tmux = try await TmuxSession.start(command: "'\(TmuxSession.wandBinary.path)'",
                                               environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path,
                                                             "OPENAI_BASE_URL": ""])
        try await tmux.waitFor("Welcome to Wand", "open a demo session")
        try await tmux.send("d")
        try await tmux.waitFor("Goal", "Space play")
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
    }
}

@Suite("End to end: installing the model from the workbench", .serialized)
struct WorkbenchInstallEndToEndTests {
    @Test("the welcome offer installs the model with progress in the status bar, then runs are possible", .requires(.model))
    func installFromWelcome() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxSession.wandBinary.path), "build first: swift build")
        let home = try FixtureSessions.temporaryDirectory("wand-install")
        let wand = home.appendingPathComponent("wand", isDirectory: true)
        try FileManager.default.createDirectory(at: wand, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: wand.appendingPathComponent("runtime"),
                                                   withDestinationURL: WandPaths().data.appendingPathComponent("runtime"))
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try await TmuxSession.start(command: "'\(TmuxSession.wandBinary.path)'",
                                               environment: ["XDG_DATA_HOME": home.path, "XDG_CONFIG_HOME": home.path])
        try await tmux.waitFor("Welcome to Wand")
        try await tmux.send("i")
        try await tmux.waitFor("Installing", timeout: 30)
        try await tmux.waitFor("Model weights", timeout: 120)
        try await tmux.waitFor("The embedded model is installed", timeout: 300)
        #expect(EmbeddedModelLayout(paths: WandPaths(data: wand, config: home)).isInstalled)
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
    }
}
