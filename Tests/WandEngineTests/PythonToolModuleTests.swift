import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Python tools module")
struct PythonToolModuleTests {
    /// `convert_time` as `mcp-server-time` describes it.
    static let convertTime = MCPToolInfo(
        server: "time", name: "convert_time", description: "Convert time between timezones",
        inputSchema: .object([
            "type": .string("object"),
            "properties": .object([
                "source_timezone": .object(["type": .string("string"), "description": .string("Source IANA timezone name")]),
                "time": .object(["type": .string("string"), "description": .string("Time to convert in 24-hour format (HH:MM)")]),
                "target_timezone": .object(["type": .string("string"), "description": .string("Target IANA timezone name")]),
            ]),
            "required": .array([.string("source_timezone"), .string("time"), .string("target_timezone")]),
        ]))

    /// Runs `script` after loading the generated module as `tools`, with a `_wand_call` that records
    /// its calls (printed as JSON on the last line) and returns `{"ok": true}`.
    private func run(_ tools: [MCPToolInfo], _ script: String) async throws -> (output: String, calls: JSONValue) {
        let directory = try FixtureSessions.temporaryDirectory("wand-tools-module")
        let module = directory.appendingPathComponent("tools_module.py")
        try PythonToolModule.source(for: tools).write(to: module, atomically: true, encoding: .utf8)
        let driver = """
            import json, sys, types
            calls = []
            def _fake_call(server, tool, arguments):
                calls.append([server, tool, arguments])
                return {"ok": True}
            tools = types.ModuleType("tools")
            tools._wand_call = _fake_call
            exec(compile(open(sys.argv[1], encoding="utf-8").read(), "tools.py", "exec"), tools.__dict__)
            \(script)
            print(json.dumps(calls))
            """
        let result = try await ChildProcess.collect(ChildCommand(executable: "/usr/bin/env",
                                                                 arguments: ["python3", "-I", "-c", driver, module.path],
                                                                 environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]))
        try #require(result.succeeded, "python failed: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let calls = try JSONDecoder().decode(JSONValue.self, from: Data((lines.last ?? "[]").utf8))
        return (lines.dropLast().joined(separator: "\n"), calls)
    }

    @Test("a tool becomes a function with its signature and docstring, calling _wand_call with the server's names")
    func timeServer() async throws {
        let (output, calls) = try await run([Self.convertTime], """
            import inspect
            print(inspect.signature(tools.time.convert_time))
            print(tools.time.convert_time.__doc__.splitlines()[0])
            print("time (str): Time to convert" in tools.time.convert_time.__doc__)
            print(tools.time.convert_time("UTC", "12:00", target_timezone="Asia/Tokyo"))
            print(tools.__all__)
            """)
        #expect(output == """
            (source_timezone, time, target_timezone)
            Convert time between timezones
            True
            {'ok': True}
            ['time']
            """)
        #expect(calls == .array([.array([.string("time"), .string("convert_time"),
                                         .object(["source_timezone": .string("UTC"), "time": .string("12:00"),
                                                  "target_timezone": .string("Asia/Tokyo")])])]))
        #expect(PythonToolModule.signature(of: Self.convertTime) == "tools.time.convert_time(source_timezone, time, target_timezone)")
        #expect(PythonToolModule.signature(of: Self.convertTime, typed: true)
            == "tools.time.convert_time(source_timezone: str, time: str, target_timezone: str)")
    }

    @Test("optional parameters default to None and are sent only when given; types and defaults are documented")
    func optionalParameters() async throws {
        let search = MCPToolInfo(server: "web", name: "search", description: nil, inputSchema: .object([
            "type": .string("object"),
            "properties": .object([
                "query": .object(["type": .string("string")]),
                "limit": .object(["type": .string("integer"), "default": .int(10)]),
                "safe": .object(["type": .array([.string("boolean"), .string("null")])]),
                "order": .object(["enum": .array([.string("new"), .string("old")])]),
                "tags": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
            ]),
            "required": .array([.string("query")]),
        ]))
        let (output, calls) = try await run([search], """
            import inspect
            print(inspect.signature(tools.web.search))
            doc = tools.web.search.__doc__
            print("limit (int, optional): The server's default: 10." in doc, "safe (bool | None, optional):" in doc,
                  "One of \\"new\\", \\"old\\"." in doc, "tags (list[str], optional):" in doc)
            tools.web.search("cats")
            tools.web.search(query="dogs", limit=3, safe=False)
            """)
        #expect(output == "(query, limit=None, order=None, safe=None, tags=None)\nTrue True True True")
        #expect(calls == .array([
            .array([.string("web"), .string("search"), .object(["query": .string("cats")])]),
            .array([.string("web"), .string("search"), .object(["query": .string("dogs"), "limit": .int(3), "safe": .bool(false)])]),
        ]))
    }

    @Test("names with dashes, dots, keywords and digits become identifiers; hostile descriptions stay inside their docstring")
    func hostileNames() async throws {
        let injection = "Ends the docstring? \"\"\"\nimport os; os._exit(9)\n\"\"\" \\ and a NUL \u{0} and \u{1b}[31m"
        let tools = [
            MCPToolInfo(server: "class", name: "get-file.contents", description: injection, inputSchema: .object([
                "type": .string("object"),
                "properties": .object([
                    "from": .object(["type": .string("string"), "description": .string(injection)]),
                    "max-results": .object(["type": .string("integer")]),
                    "arguments": .object(["type": .string("string")]),
                    "_wand_call": .object(["type": .string("string")]),
                ]),
                "required": .array([.string("from"), .string("max-results"), .string("arguments"), .string("_wand_call")]),
            ])),
            MCPToolInfo(server: "class", name: "2fast", description: "'''", inputSchema: .object([:])),
            MCPToolInfo(server: "class", name: "__init__", description: nil, inputSchema: .object(["type": .string("object")])),
            MCPToolInfo(server: "class", name: "get_file_contents", description: nil, inputSchema: .object([:])),
        ]
        let (output, calls) = try await run(tools, """
            import inspect
            print(inspect.signature(tools.class_.get_file_contents))
            print("os._exit(9)" in tools.class_.get_file_contents.__doc__)
            tools.class_.get_file_contents("a", 1, "b", "c")
            tools.class_._2fast()
            tools.class_.tool__init__()
            tools.class_.get_file_contents_2()
            """)
        #expect(output == "(from_, max_results, arguments_2, _wand_call_2)\nTrue")
        #expect(calls == .array([
            .array([.string("class"), .string("get-file.contents"),
                    .object(["from": .string("a"), "max-results": .int(1), "arguments": .string("b"), "_wand_call": .string("c")])]),
            .array([.string("class"), .string("2fast"), .object([:])]),
            .array([.string("class"), .string("__init__"), .object([:])]),
            .array([.string("class"), .string("get_file_contents"), .object([:])]),
        ]))
        let source = PythonToolModule.source(for: tools)
        #expect(!source.contains("\u{0}") && !source.contains("\u{1b}"))
    }

    @Test("identifiers")
    func identifiers() {
        #expect(PythonToolModule.identifier("my-server") == "my_server")
        #expect(PythonToolModule.identifier("lambda") == "lambda_")
        #expect(PythonToolModule.identifier("9lives") == "_9lives")
        #expect(PythonToolModule.identifier("héllo") == "h_llo")
        #expect(PythonToolModule.identifier("") == "_")
    }
}
