import Foundation

/// `codeact` with the server's native tool calls (`--tools native`), for models that support them:
/// tools to run Python and shell, and to read, write and list files, and the session's MCP tools
/// (named `SERVER__TOOL`, with the server's input schema). Every tool runs through the sandboxed
/// executor, so file tools reach only the workspace and an MCP call is code calling the `tools`
/// module: it meets the same policy, approval, events and re-run as a call written by the model.
struct NativeToolsLoop {
    static let tools = [
        ToolDefinition(name: "python", description: "Run Python code in a persistent session; returns its output.",
                       parameters: [("code", "The Python code to run", true)]),
        ToolDefinition(name: "shell", description: "Run a bash command in the workspace; returns its output.",
                       parameters: [("command", "The command line", true)]),
        ToolDefinition(name: "read_file", description: "Read a text file of the workspace.",
                       parameters: [("path", "The file's path, relative to the workspace", true)]),
        ToolDefinition(name: "write_file", description: "Write a text file in the workspace.",
                       parameters: [("path", "The file's path, relative to the workspace", true),
                                    ("content", "The whole new content", true)]),
        ToolDefinition(name: "list_files", description: "List the files of a workspace directory.",
                       parameters: [("path", "The directory, relative to the workspace (default: .)", false)]),
    ]

    static let system = """
        You solve tasks with the tools you are given: run Python or shell, and read, write or list files.
        Call one tool at a time and look at its result. When you know the answer, reply with it in plain text.
        """

    /// Said after the system prompt when MCP tools are offered.
    static let mcpSystem = "The tools named SERVER__TOOL call the MCP server SERVER; their results come back as JSON or text."

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        let mcpTools = context.toolbox?.tools ?? []
        let offered = ToolDefinition.nativeActionTools(offering: mcpTools)
        let system = mcpTools.isEmpty ? Self.system : Self.system + "\n" + Self.mcpSystem
        var messages = [ChatMessage(.system, system), ChatMessage(.user, context.goalMessage)]
        while true {
            let result = try await context.generate(messages, purpose: .act, tools: offered)
            guard !result.toolCalls.isEmpty else {
                let answer = ReplyParser.parse(result.text).finalAnswer ?? result.text.trimmingCharacters(in: .whitespacesAndNewlines)
                return answer.isEmpty ? StrategyOutcome(status: .failed, reason: "the model ended without an answer")
                    : StrategyOutcome(status: .answered, answer: answer)
            }
            messages.append(ChatMessage(.assistant, result.text, toolCalls: result.toolCalls))
            for call in result.toolCalls {
                let observation: String
                if let (language, code) = Self.code(for: call) ?? Self.mcpCode(for: call, tools: mcpTools) {
                    let run = try await context.runCode(language, code)
                    observation = context.observe(run)
                } else {
                    observation = context.feedback("Unknown tool `\(call.function.name)` or missing arguments; the tools are "
                                                   + offered.map(\.name).joined(separator: ", ") + ".",
                                                   kind: .format, attempt: nil)
                }
                messages.append(ChatMessage(.tool, observation, toolCallID: call.id))
            }
        }
    }

    /// The code that carries out a tool call in the sandbox, or nil for an unknown tool.
    static func code(for call: ToolCall) -> (CodeLanguage, String)? {
        let arguments = call.stringArguments
        // A Python literal, not JSON: JSONEncoder writes `/` as `\/`, which Python keeps as two characters.
        let literal = PythonToolModule.stringLiteral
        switch call.function.name {
        case "python": return arguments["code"].map { (.python, $0) }
        case "shell": return arguments["command"].map { (.shell, $0) }
        case "read_file":
            return arguments["path"].map { (.python, "print(open(\(literal($0)), encoding='utf-8', errors='replace').read())") }
        case "write_file":
            guard let path = arguments["path"], let content = arguments["content"] else { return nil }
            return (.python, "import os\npath = \(literal(path))\nos.makedirs(os.path.dirname(path) or '.', exist_ok=True)\n"
                + "open(path, 'w', encoding='utf-8').write(\(literal(content)))\nprint('wrote', path)")
        case "list_files":
            let path = arguments["path"] ?? "."
            return (.python, "import os\nfor name in sorted(os.listdir(\(literal(path)))):\n    print(name)")
        default:
            return nil
        }
    }
}

extension NativeToolsLoop {
    /// The native name of an MCP tool: `SERVER__TOOL`, both made identifiers (which function names allow).
    static func nativeName(of tool: MCPToolInfo) -> String {
        PythonToolModule.identifier(tool.server) + "__" + PythonToolModule.identifier(tool.name)
    }

    static func definition(for tool: MCPToolInfo) -> ToolDefinition {
        let description = (tool.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return ToolDefinition(name: nativeName(of: tool),
                              description: description.isEmpty ? "The tool `\(tool.name)` of the MCP server `\(tool.server)`." : description,
                              inputSchema: tool.inputSchema)
    }

    /// The code that makes an MCP tool call through the `tools` module, with the arguments as the
    /// model sent them (a JSON object), or nil when the call names no MCP tool or its arguments are
    /// not an object.
    static func mcpCode(for call: ToolCall, tools: [MCPToolInfo]) -> (CodeLanguage, String)? {
        guard let tool = tools.first(where: { nativeName(of: $0) == call.function.name }),
              let arguments = try? JSONDecoder().decode(JSONValue.self, from: Data(call.function.arguments.utf8)),
              arguments.object != nil else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(arguments) else { return nil }
        let code = """
            import json, tools
            result = tools._wand_call(\(PythonToolModule.stringLiteral(tool.server)), \(PythonToolModule.stringLiteral(tool.name)), json.loads(\(PythonToolModule.stringLiteral(String(decoding: json, as: UTF8.self)))))
            print(result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, default=str))
            """
        return (.python, code)
    }
}

extension ToolDefinition {
    /// The tools `--tools native` offers the model, as every request of that mode sends them: the
    /// built-in ones, then the session's MCP tools (`mcpTools`, as `session.started` records them).
    public static func nativeActionTools(offering mcpTools: [MCPToolInfo]) -> [ToolDefinition] {
        NativeToolsLoop.tools + mcpTools.map(NativeToolsLoop.definition(for:))
    }
}
