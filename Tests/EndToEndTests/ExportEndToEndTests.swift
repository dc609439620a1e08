import Foundation
import Testing
import WandEngine
import WandTestSupport

/// `wand export`: the real binary writing each format, checked by the readers and players people use.
@Suite("End to end: wand export")
struct ExportEndToEndTests {
    static var demo: URL { WandResourcesLocator.sessions.appendingPathComponent("codeact-fibonacci.jsonl") }

    static func fixtureFile(_ name: String) throws -> URL {
        let file = try FixtureSessions.temporaryDirectory("wand-export").appendingPathComponent(name)
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: file)
        return file
    }

    @Test("cast: `asciinema cat` plays the file without error and shows the final answer",
          .requires(.asciinema))
    func castPlaysInAsciinema() async throws {
        let cast = try FixtureSessions.temporaryDirectory("wand-cast").appendingPathComponent("demo.cast")
        let export = try await WandProcess.run(["export", Self.demo.path, "--format", "cast", "--output", cast.path,
                                                "--speed", "4", "--max-idle", "1", "--cols", "100", "--rows", "30"])
        #expect(export.status == 0, "\(export.stderr)")
        let played = try await WandProcess.runProgram("asciinema", ["cat", cast.path])
        #expect(played.status == 0, "\(played.stderr)")
        #expect(played.stderr.isEmpty, "\(played.stderr)")
        #expect(played.stdout.contains("832040"))
        #expect(played.stdout.contains("Answer"))
    }

    @Test("markdown: the transcript on standard output")
    func markdown() async throws {
        let result = try await WandProcess.run(["export", try Self.fixtureFile("fib.jsonl").path, "--format", "markdown"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# What is the 30th Fibonacci number"))
        #expect(result.stdout.contains("### Answer\n\n> 832040\n"))
    }

    @Test("chat-jsonl: a directory and an eval run directory, read back by Python's json")
    func chatJSONL() async throws {
        let run = try FixtureSessions.temporaryDirectory("wand-eval-run")
        let sessions = run.appendingPathComponent("sessions/auto", isDirectory: true)
        try FileManager.default.createDirectory(at: sessions, withIntermediateDirectories: true)
        var results = ""
        for (index, name) in ["codeact-fibonacci", "pal-average-speed", "auto-multiples"].enumerated() {
            try FileManager.default.copyItem(at: WandResourcesLocator.sessions.appendingPathComponent(name + ".jsonl"),
                                             to: sessions.appendingPathComponent(name + ".jsonl"))
            results += #"{"task":"\#(name)","strategy":"auto","passed":\#(index != 1),"attempts":1,"modelCalls":1,"tokens":1,"seconds":1,"status":"answered","session":"sessions/auto/\#(name).jsonl"}"# + "\n"
        }
        try results.write(to: run.appendingPathComponent("results.jsonl"), atomically: true, encoding: .utf8)
        let output = run.appendingPathComponent("examples.jsonl")
        let notRecorded = try await WandProcess.run(["export", run.path, "--format", "chat-jsonl", "--output", output.path])
        #expect(notRecorded.status == 1)
        #expect(notRecorded.stderr.contains("recorded before sessions kept the messages; --reenact rebuilds them"))
        let result = try await WandProcess.run(["export", run.path, sessions.path, "--format", "chat-jsonl", "--reenact",
                                                "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("5 example(s) from 5 accepted run(s) of 6 in 6 session(s); 5 re-enacted"), "\(result.stderr)")
        let python = try await WandProcess.runProgram("python3", ["-c", """
            import json, sys
            rows = [json.loads(line) for line in open(sys.argv[1])]
            assert all(row['messages'][0]['role'] == 'system' and row['messages'][-1]['role'] == 'assistant' for row in rows)
            print(len(rows))
            """, output.path])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == "5\n")
    }

    @Test("chat-jsonl from sessions `wand run` recorded: the messages as sent, native tool calls with their tools")
    func chatFromRecordedRuns() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let data = try FixtureSessions.temporaryDirectory("wand-export-runs")
        let environment = ["XDG_DATA_HOME": data.path, "XDG_CONFIG_HOME": data.path]
        for (scenario, extra) in [("agent", ["--strategy", "codeact"]), ("tools", ["--strategy", "codeact", "--tools", "native"])] {
            let run = try await WandProcess.run(["run", "What is 6 * 7?", "--base-url", server.baseURL(scenario).absoluteString,
                                                 "--model", "fake", "--approve", "auto"] + extra, environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let output = data.appendingPathComponent("examples.jsonl")
        let sessions = data.appendingPathComponent("wand/sessions").path
        let result = try await WandProcess.run(["export", sessions, "--format", "chat-jsonl", "--output", output.path],
                                               environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 example(s) from 2 accepted run(s) of 2 in 2 session(s)\n"), "\(result.stderr)")
        let python = try await WandProcess.runProgram("python3", ["-c", """
            import json, sys
            rows = [json.loads(line) for line in open(sys.argv[1])]
            fenced = next(row for row in rows if 'tools' not in row)
            native = next(row for row in rows if 'tools' in row)
            print([m['role'] for m in fenced['messages']])
            print(fenced['messages'][2]['content'].splitlines()[0], '|', fenced['messages'][-1]['content'])
            print([m['role'] for m in native['messages']], [t['function']['name'] for t in native['tools']][:2])
            print(native['messages'][2]['tool_calls'][0]['function']['name'], native['messages'][3]['tool_call_id'])
            """, output.path])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == """
            ['system', 'user', 'assistant', 'user', 'assistant']
            Let me compute it. | Final Answer: 42
            ['system', 'user', 'assistant', 'tool', 'tool', 'assistant'] ['python', 'shell']
            python call_a

            """)
    }

    @Test("mistakes get clear errors: options of another format, a wrong format, several sessions, a missing file")
    func errors() async throws {
        let file = try Self.fixtureFile("fib.jsonl").path
        let speed = try await WandProcess.run(["export", file, "--format", "markdown", "--speed", "2"])
        #expect(speed.status == 2)
        #expect(speed.stderr.contains("--speed applies to --format cast only"))
        let format = try await WandProcess.run(["export", file, "--format", "html"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("markdown") && format.stderr.contains("chat-jsonl"))
        let two = try await WandProcess.run(["export", file, file, "--format", "cast"])
        #expect(two.status == 2)
        #expect(two.stderr.contains("exports one session; 2 were given"))
        let small = try await WandProcess.run(["export", file, "--format", "cast", "--cols", "20"])
        #expect(small.status == 2)
        #expect(small.stderr.contains("--cols must be between 32 and 1000"))
        let missing = try await WandProcess.run(["export", "/nonexistent/session.jsonl", "--format", "markdown"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/session.jsonl"))
        let unwritable = try await WandProcess.run(["export", file, "--format", "markdown", "--output", "/nonexistent/dir/out.md"])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.contains("cannot write /nonexistent/dir/out.md"))
    }
}
