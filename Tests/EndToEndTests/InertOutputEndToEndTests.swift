import Foundation
import Testing
import WandEngine
import WandTestSupport

/// A shared session, a model or a program must not be able to act on the user's terminal (rename the
/// window, clear the screen, write the clipboard): every command that prints such text writes it inert.
@Suite("End to end: hostile text is printed inert", .serialized)
struct InertOutputEndToEndTests {
    /// A window title, a clear screen, a clipboard write (OSC 52), a C1 CSI and a bare carriage return.
    static let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}]52;c;SGVsbG8=\u{07}\u{9B}31m\rspoof"

    /// Control characters a terminal acts on: C0 but tab and newline, DEL, and C1.
    static func controls(in text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x09, 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F: true
            default: false
            }
        }.map { String(format: "U+%04X", $0.value) }
    }

    func expectInert(_ result: WandProcess.Result, _ command: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Self.controls(in: result.stdout).isEmpty, "\(command) stdout: \(Self.controls(in: result.stdout))",
                sourceLocation: sourceLocation)
        #expect(Self.controls(in: result.stderr).isEmpty, "\(command) stderr: \(Self.controls(in: result.stderr))",
                sourceLocation: sourceLocation)
    }

    /// A session whose goal, model reply, code, program output, answer and notice are all hostile.
    func hostileSession(in data: URL) throws -> URL {
        let sessions = data.appendingPathComponent("wand/sessions", isDirectory: true)
        try FileManager.default.createDirectory(at: sessions, withIntermediateDirectories: true)
        let file = sessions.appendingPathComponent("20261204-000000-beef.jsonl")
        let goal = "Goal \(Self.hostile)"
        var started = FixtureSessions.started(goal: goal, strategy: "pal")
        started.session = "20261204-000000-beef"
        let events: [AgentEvent] = [
            .sessionStarted(started),
            .runStarted(RunStarted(run: 1, goal: goal, strategy: "pal")),
            .modelStarted(ModelStarted(call: 1, purpose: .program)),
            .modelFinished(ModelFinished(call: 1, text: "Thought \(Self.hostile)\n```python\nprint(1)\n```", usage: TokenUsage(),
                                         firstTokenMs: 1, totalMs: 2, finishReason: "stop")),
            .codeProposed(CodeProposed(attempt: 1, language: .python, source: "# \(Self.hostile)\nprint(1)")),
            .execStarted(ExecStarted(attempt: 1, language: .python, runner: .process)),
            .execOutput(ExecOutput(attempt: 1, stream: .stdout, chunk: "\(Self.hostile)\n")),
            .execOutput(ExecOutput(attempt: 1, stream: .stderr, chunk: "\(Self.hostile)\n")),
            .execFinished(ExecFinished(attempt: 1, exitStatus: 1, error: "ValueError: \(Self.hostile)",
                                       traceback: "Traceback\n\(Self.hostile)", durationMs: 5,
                                       files: [WorkspaceFile(path: "plot\(Self.hostile).png", size: 3)])),
            .feedbackSent(FeedbackSent(attempt: 1, kind: .error, text: Self.hostile)),
            .notice(Notice(level: .warning, message: Self.hostile)),
            .answer(AnswerGiven(text: Self.hostile)),
            .runFinished(RunFinished(run: 1, status: .failed, totals: RunTotals(), reason: Self.hostile)),
        ]
        try FixtureSessions.write(FixtureSessions.records(events), to: file)
        return file
    }

    @Test("replay --print and sessions list write a hostile session's text inert")
    func replayAndList() async throws {
        let data = try FixtureSessions.temporaryDirectory("wand-inert")
        let file = try hostileSession(in: data)
        let environment = ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path]

        let printed = try await WandProcess.run(["replay", file.path, "--print"], environment: environment)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("␛]0;pwned␇"), "the sequences stay visible")
        #expect(printed.stdout.contains("  saved plot␛]0;pwned␇"), "a saved file's name too")
        expectInert(printed, "replay --print")

        let listed = try await WandProcess.run(["sessions", "list"], environment: environment)
        #expect(listed.stdout.contains("Goal ␛"))
        expectInert(listed, "sessions list")

        let broken = data.appendingPathComponent("broken.jsonl")
        try Data(("{\"v\":1,\"seq\":1,\"type\":\"x\(Self.hostile)\"}\n").utf8).write(to: broken)
        let quoted = try await WandProcess.run(["replay", broken.path, "--print"], environment: environment)
        expectInert(quoted, "replay of a file whose bad line is quoted")
    }

    @Test("wand run's transcript and JSON Lines write a model's and a program's escape sequences inert")
    func run() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-inert-run")
        let environment = ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path]
        for format in [[], ["--json"]] {
            let result = try await WandProcess.run(["run", "What is 6 * 7?", "--base-url", server.baseURL("hostile").absoluteString,
                                                    "--model", "fake", "--strategy", "codeact", "--approve", "auto"] + format,
                                                   environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            expectInert(result, "run \(format.joined())")
        }
    }

    @Test("wand exec's own messages (error, traceback) are inert, and so is what the program prints")
    func exec() async throws {
        let data = try FixtureSessions.temporaryDirectory("wand-inert-exec")
        let program = "import sys\nprint('\\x1b]0;title\\x07 out')\nsys.stderr.write('\\x1b[2J err\\n')\nraise ValueError('\\x1b]52;c;SGVsbG8=\\x07')"
        let result = try await WandProcess.run(["exec", "-c", program], environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("ValueError"))
        expectInert(result, "exec")
    }

    @Test("eval's progress lines and report quote task ids inert")
    func eval() async throws {
        let data = try FixtureSessions.temporaryDirectory("wand-inert-eval")
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let tasks = data.appendingPathComponent("tasks.jsonl")
        let line = try JSONSerialization.data(withJSONObject: ["id": "t\(Self.hostile)", "prompt": "What is 6 * 7?", "answer": "42"])
        try (line + Data("\n".utf8)).write(to: tasks)
        let result = try await WandProcess.run(["eval", tasks.path, "--strategy", "pal", "--parallel", "1",
                                                "--base-url", server.baseURL("agent").absoluteString, "--model", "fake",
                                                "--out", data.appendingPathComponent("run").path],
                                               environment: ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("t␛]0;pwned"))
        expectInert(result, "eval")
    }
}
