import Foundation

/// `codeact` with the server's native tool calls (`--tools native`), for models that support them:
/// tools to run Python and shell, and to read, write and list files. Every tool runs through the
/// sandboxed executor, so file tools reach only the workspace.
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

    func run(_ context: AgentContext) async throws -> StrategyOutcome {
        var messages = [ChatMessage(.system, Self.system), ChatMessage(.user, context.goalMessage)]
        while true {
            let result = try await context.generate(messages, purpose: .act, tools: Self.tools)
            guard !result.toolCalls.isEmpty else {
                let answer = ReplyParser.parse(result.text).finalAnswer ?? result.text.trimmingCharacters(in: .whitespacesAndNewlines)
                return answer.isEmpty ? StrategyOutcome(status: .failed, reason: "the model ended without an answer")
                    : StrategyOutcome(status: .answered, answer: answer)
            }
            messages.append(ChatMessage(.assistant, result.text, toolCalls: result.toolCalls))
            for call in result.toolCalls {
                let observation: String
                if let (language, code) = Self.code(for: call) {
                    let run = try await context.runCode(language, code)
                    observation = context.observe(run)
                } else {
                    observation = context.feedback("Unknown tool `\(call.function.name)` or missing arguments; the tools are "
                                                   + Self.tools.map(\.name).joined(separator: ", ") + ".",
                                                   kind: .format, attempt: nil)
                }
                messages.append(ChatMessage(.tool, observation, toolCallID: call.id))
            }
        }
    }

    /// The code that carries out a tool call in the sandbox, or nil for an unknown tool.
    static func code(for call: ToolCall) -> (CodeLanguage, String)? {
        let arguments = call.stringArguments
        func literal(_ text: String) -> String {
            String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
        }
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

extension ToolDefinition {
    /// The tools `--tools native` offers the model, as every request of that mode sends them.
    public static var nativeActionTools: [ToolDefinition] { NativeToolsLoop.tools }
}
