import Foundation
import Testing
@testable import WandEngine

@Suite("Native tool calls as code")
struct NativeToolCodeTests {
    @Test("a path reaches Python exactly, slashes, quotes and backslashes included")
    func pathLiteral() async throws {
        let path = "dir/sub/x \"q\" \\ é.txt"
        let arguments = String(decoding: try JSONEncoder().encode(["path": path]), as: UTF8.self)
        let (language, code) = try #require(NativeToolsLoop.code(for: ToolCall(id: "1", name: "read_file", arguments: arguments)))
        #expect(language == .python)
        let script = "import ast, sys\nprint(next(n.value for n in ast.walk(ast.parse(sys.argv[1])) "
            + "if isinstance(n, ast.Constant) and isinstance(n.value, str)), end='')"
        let result = try await ChildProcess.collect(ChildCommand(executable: "/usr/bin/env", arguments: ["python3", "-I", "-c", script, code],
                                                                 environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]))
        #expect(result.stdout == path, "\(code)")
    }
}
