import ArgumentParser
import Foundation
import WandEngine
import WandTestSupport

/// `wand-bench kernel`: round trip of `x = 1` in Wand's persistent kernel (sandbox on and off), against
/// spawning `python3 -c` and against a Jupyter kernel driven by jupyter_client, all in the same run.
struct KernelBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernel", abstract: "Kernel round-trip benchmark.")

    @Option(help: "Round trips per persistent kernel.")
    var repetitions = 200

    @Option(help: "Process starts for the spawning cases.")
    var spawns = 30

    func run() async throws {
        let statement = "x = 1"
        var rows: [(String, Double)] = []

        for sandboxed in [true, false] {
            let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 30), sandboxed: sandboxed)
            try await executor.warmUp()
            let label = sandboxed ? "Wand persistent kernel, bubblewrap sandbox" : "Wand persistent kernel, limits only"
            rows.append((label, try await Measure.median(repetitions: repetitions) {
                let (_, result) = await executor.run(ExecutionRequest(attempt: 1, language: .python, source: statement))
                precondition(result.succeeded, "\(result)")
            }))
            rows.append((sandboxed ? "Wand fresh process per run, bubblewrap sandbox" : "Wand fresh process per run, limits only",
                         try await Measure.median(repetitions: spawns) {
                let (_, result) = await executor.run(ExecutionRequest(attempt: 1, language: .python, source: statement, fresh: true))
                precondition(result.succeeded)
            }))
            await executor.shutdown()
        }
        rows.append(("python3 -c (a new process each time, no sandbox)", try await Measure.median(repetitions: spawns) {
            let output = try await ChildProcess.collect(ChildCommand(executable: "/usr/bin/python3", arguments: ["-c", statement],
                                                                     environment: ["PATH": "/usr/bin:/bin"]))
            precondition(output.succeeded)
        }))

        FileHandle.standardError.write(Data("Preparing jupyter_client and ipykernel (pip, first run only)…\n".utf8))
        let python = try await Self.jupyterPython()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("jupyter_roundtrip.py")
        let output = try await Self.run(python, [script.path, String(repetitions)])
        guard let jupyter = Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ValidationError("the Jupyter benchmark printed no number: \(output)")
        }
        rows.append(("Jupyter kernel via jupyter_client (ipykernel, no sandbox)", jupyter))

        print("Round trip of `\(statement)` (median; persistent kernels \(repetitions) times, process starts \(spawns) times)\n")
        Measure.printTable(["runner", "median", "vs Jupyter", "vs python3 -c"],
                           rows.map { label, seconds in
                               [label, Measure.format(seconds: seconds), String(format: "%.2f×", seconds / jupyter),
                                String(format: "%.2f×", seconds / rows.first { $0.0.hasPrefix("python3 -c") }!.1)]
                           })
    }

    /// A Python with jupyter_client and ipykernel, in a venv beside the build (created with pip once).
    static func jupyterPython() async throws -> String {
        let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/bench-venv")
        let python = venv.appendingPathComponent("bin/python3").path
        if (try? await run(python, ["-c", "import jupyter_client, ipykernel"])) == nil {
            _ = try await run("python3", ["-m", "venv", venv.path])
            _ = try await run(venv.appendingPathComponent("bin/pip").path,
                              ["install", "--quiet", "--disable-pip-version-check", "jupyter_client", "ipykernel"])
        }
        return python
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let output = try await ChildProcess.collect(ChildCommand(executable: executable, arguments: arguments,
                                                                 environment: ProcessInfo.processInfo.environment))
        guard output.succeeded else {
            throw ValidationError("\(executable) \(arguments.joined(separator: " ")) failed: \(output.stderr.suffix(500))")
        }
        return output.stdout
    }
}
