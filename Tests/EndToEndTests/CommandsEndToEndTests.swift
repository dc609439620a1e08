import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("End to end: small commands")
struct CommandsEndToEndTests {
    @Test("wand demo lists a demo per strategy and prints one")
    func demo() async throws {
        let list = try await WandProcess.run(["demo"])
        #expect(list.status == 0)
        for strategy in StrategyName.allCases { #expect(list.stdout.contains(" \(strategy.rawValue) ")) }
        let printed = try await WandProcess.run(["demo", "codeact-fibonacci", "--print"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("832040"))
    }

    @Test("wand doctor reports each check, with the sandbox and model as they are here")
    func doctor() async throws {
        let result = try await WandProcess.run(["doctor", "--quick"], environment: ["TERM": "xterm-256color"])
        for name in ["Wand", "Python (for code)", "Model server", "Model file", "Active profile", "Sandbox", "Themes", "Terminal"] {
            #expect(result.stdout.contains(name + ":"), "missing \(name)")
        }
        if Requirement.sandbox.problem == nil {
            #expect(result.stdout.contains("✓ Sandbox: bubblewrap"))
        } else {
            #expect(result.stdout.contains("! Sandbox: limits only"))
        }
        if Requirement.model.problem == nil {
            #expect(result.stdout.contains("✓ Model file"))
            #expect(result.stdout.contains("SHA-256 \(EmbeddedModelLayout.modelSHA256) verified"))
            #expect(result.stdout.contains("✓ Model weights: GGUF v3, 291 tensors: name Qwen2.5 Coder 0.5B Instruct AWQ, architecture qwen2, quantization Q4_K_M"))
        } else {
            #expect(result.stdout.contains("! Model file: not installed") || result.stdout.contains("✗ Model file"))
        }
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test("wand sessions list shows saved sessions with their status")
    func sessionsList() async throws {
        let directory = try FixtureSessions.temporaryDirectory("wand-list")
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: directory.appendingPathComponent("20261125-100000-abcd.jsonl"))
        let result = try await WandProcess.run(["sessions", "list", "--directory", directory.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("20261125-100000-abcd"))
        #expect(result.stdout.contains("answered"))
    }

    @Test("wand exec reports limits with distinct exit statuses")
    func execStatuses() async throws {
        #expect(try await WandProcess.run(["exec", "-c", "print(40 + 2)"]).stdout == "42\n")
        #expect(try await WandProcess.run(["exec", "-c", "raise SystemExit(7)"]).status == 7)
        #expect(try await WandProcess.run(["exec", "-c", "1/0"]).status == 1)
        #expect(try await WandProcess.run(["exec", "--timeout", "1", "-c", "while True: pass"]).status == 124)
        #expect(try await WandProcess.run(["exec", "--memory", "128", "-c", "x = bytearray(1 << 30)"]).status == 125)
        #expect(try await WandProcess.run(["exec", "--lang", "shell", "-c", "echo hi; exit 3"]).status == 3)
        #expect(try await WandProcess.run(["exec"]).status == 2)
    }
}
