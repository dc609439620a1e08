public import ArgumentParser
import Foundation
import WandEngine

/// `wand exec`: runs code through Wand's sandboxed executor, as the agent would.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run code in Wand's sandbox and print its output; exits with the code's status.",
        discussion: """
            Exit status: the code's own (0 on success, 1 for an uncaught exception), 124 when the time limit \
            stopped it, 125 when another limit did (memory, CPU, processes, file size), 126 when the sandbox \
            could not start.
            """
    )

    @Option(name: .customLong("lang"), help: "python or shell.")
    var language: CodeLanguage = .python

    @OptionGroup var sandbox: LimitOptions

    @Option(name: .customShort("c"), help: "The code to run.")
    var code: String?

    @Option(help: "Run in this directory instead of a fresh temporary workspace.")
    var workspace: String?

    @Argument(help: "A file holding the code (instead of -c).")
    var file: String?

    func validate() throws {
        if (code == nil) == (file == nil) { throw ValidationError("give the code with -c CODE or as a FILE, not both") }
    }

    func run() async throws {
        let source: String
        if let code {
            source = code
        } else {
            do {
                source = try String(contentsOfFile: file!, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file!): \(error.localizedDescription)")
            }
        }
        let capabilities = SandboxCapabilities.detect()
        let limits = sandbox.limits
        let temporary = workspace == nil
        let root = SandboxExecutor.workspaceRoot(paths: WandPaths(), capabilities: capabilities)
        let directory = workspace.map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent("exec-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let executor = try SandboxExecutor(capabilities: capabilities, limits: limits, workspace: directory)
        defer { if temporary { try? FileManager.default.removeItem(at: directory) } }
        if capabilities.bubblewrap == nil {
            TerminalOutput.err("wand: warning: \(executor.sandbox.detail)\n")
        }
        var result: ExecFinished?
        let request = ExecutionRequest(attempt: 1, language: language, source: source, fresh: true)
        let interrupt = SignalWatcher(signals: [SIGINT, SIGTERM])
        let run = Task {
            for await event in executor.execute(request) {
                switch event {
                case .output(.stdout, let text): TerminalOutput.out(text)
                case .output(.stderr, let text): TerminalOutput.err(text)
                case .notice(let notice): TerminalOutput.err("wand: \(notice.message)\n")
                case .finished(let finished): result = finished
                }
            }
            return result
        }
        interrupt.onSignal { run.cancel() }
        guard let finished = await run.value else { throw ExitCode(126) }
        await executor.shutdown()
        if let value = finished.value { TerminalOutput.line(value) }
        if let traceback = finished.traceback {
            TerminalOutput.err((traceback + "\n"))
        } else if let error = finished.error, finished.limit == nil {
            TerminalOutput.err("\(error)\n")
        }
        if finished.truncated {
            TerminalOutput.err("wand: output was longer than \(sandbox.outputBytes) bytes; the middle was cut\n")
        }
        if let limit = finished.limit {
            TerminalOutput.err("wand: stopped: \(finished.error ?? limit.rawValue)\n")
            throw ExitCode(limit == .timeout ? 124 : limit == .cancelled ? 130 : 125)
        }
        if finished.error?.hasPrefix("cannot start") == true || finished.error?.contains("did not start") == true {
            throw ExitCode(126)
        }
        if let status = finished.exitStatus, status != 0 { throw ExitCode(Int32(status)) }
    }
}

extension CodeLanguage: ExpressibleByArgument {}
