import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("End to end: wand replay in tmux", .serialized)
struct ReplayEndToEndTests {
    let binary = TmuxSession.wandBinary

    func fixtureFile() throws -> URL {
        let file = try FixtureSessions.temporaryDirectory("e2e").appendingPathComponent("fixture.jsonl")
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: file)
        return file
    }

    @Test("panes appear, stepping shows code and output, a 10x4 resize survives, q exits 0")
    func replayInTmux() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let file = try fixtureFile()
        let tmux = try await TmuxSession.start(command: "'\(binary.path)' replay '\(file.path)'")
        try await tmux.waitFor("Plan", "Code", "Output", "Goal", "What is the 30th Fibonacci")
        try await tmux.waitFor("1/26")

        for _ in 0..<9 { try await tmux.send("Right") }
        try await tmux.waitFor("10/26", "print(fib(30)")
        try await tmux.send("n")
        try await tmux.waitFor("SyntaxError")
        try await tmux.send(">")
        try await tmux.waitFor("26/26", "F30 = 832040", "✓ exit 0", "832040")

        try await tmux.resize(width: 10, height: 4)
        try await tmux.waitFor("Too small")
        try await tmux.resize(width: 120, height: 40)
        try await tmux.waitFor("F30 = 832040", "Plan")

        try await tmux.send("Left")
        try await tmux.waitFor("25/26")
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
    }

    @Test("the help overlay opens from the keymap and closes with Esc; F2 switches theme")
    func helpAndTheme() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let file = try fixtureFile()
        let tmux = try await TmuxSession.start(command: "'\(binary.path)' replay '\(file.path)' --theme light")
        try await tmux.waitFor("Plan")
        try await tmux.send("F1")
        try await tmux.waitFor("Help · Esc closes", "Play or pause")
        try await tmux.send("Escape")
        try await tmux.waitForScreen("help closed") { !$0.contains("Help · Esc closes") }
        try await tmux.send("F2")
        try await tmux.waitFor("Theme: high-contrast")
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
    }

    @Test("the help scrolls from what the screen shows: G reaches its last line, Up moves at once, g returns")
    func helpScrolling() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let file = try fixtureFile()
        let tmux = try await TmuxSession.start(command: "'\(binary.path)' replay '\(file.path)'")
        try await tmux.waitFor("Plan")
        try await tmux.send("F1")
        // At the first event no pane overflows, so the only position shown is the help's (`1-36/45`).
        let opened = try await tmux.waitFor("Help · Esc closes")
        let match = try #require(opened.firstMatch(of: /(\d+)-(\d+)\/(\d+)/), "the help is longer than the screen")
        let (first, visible, total) = (Int(match.1)!, Int(match.2)!, Int(match.3)!)
        #expect(first == 1 && visible < total)
        // G and g rather than End and Home: tmux sends those as its own TERM's sequences, not xterm's.
        try await tmux.send("G")
        try await tmux.waitFor("\(total - visible + 1)-\(total)/\(total)")
        try await tmux.send("Up")
        try await tmux.waitFor("\(total - visible)-\(total - 1)/\(total)")
        try await tmux.send("g")
        try await tmux.waitFor("1-\(visible)/\(total)")
        try await tmux.send("Escape")
        try await tmux.waitForScreen("help closed") { !$0.contains("Help · Esc closes") }
        try await tmux.send("C-q")
        #expect(try await tmux.waitForExit() == 0)
    }

    @Test("--print writes the transcript without a terminal")
    func printTranscript() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let file = try fixtureFile()
        let result = try await WandProcess.run(["replay", file.path, "--print"])
        #expect(result.status == 0)
        let output = result.stdout
        #expect(output == TranscriptPrinter.transcript(of: FixtureSessions.fibonacci()))
    }

    @Test("a corrupt session is reported with file and line, and the good events still replay")
    func corruptSession() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build")
        let file = try fixtureFile()
        let handle = try FileHandle(forWritingTo: file)
        handle.seekToEndOfFile()
        handle.write(Data("{\"v\":1,\"seq\":27,\"ti".utf8))
        try handle.close()
        let result = try await WandProcess.run(["replay", file.path, "--print"])
        #expect(result.status == 0)
        let stderr = result.stderr
        #expect(stderr.contains("\(file.path):27: truncated last line"))
    }
}
