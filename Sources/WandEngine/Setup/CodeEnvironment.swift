public import Foundation

/// The Python environment sandboxed code runs with: a virtual environment of the system Python (the
/// one the sandbox shows) holding numpy, pandas, sympy and matplotlib, pinned by hash, plus the
/// packages `[python] extra_packages` names. The sandbox mounts it read-only at ``sandboxPath``.
public struct CodeEnvironmentLayout: Sendable {
    /// Wand's directories.
    public let paths: WandPaths

    /// Creates a layout.
    public init(paths: WandPaths) { self.paths = paths }

    /// The packages every installation has.
    public static let basePackages = ["numpy", "pandas", "sympy", "matplotlib"]
    /// Where the sandbox mounts the environment.
    public static let sandboxPath = "/opt/wand-python"
    /// The Python the environment is made from: the system's, which the sandbox binds read-only.
    public static let systemPython = "/usr/bin/python3"

    /// The virtual environment.
    public var venv: URL { paths.runtime.appendingPathComponent("code-python", isDirectory: true) }
    /// Its Python, as the host sees it.
    public var python: URL { venv.appendingPathComponent("bin/python3") }
    /// What setup installed, written last (an environment without it is incomplete and unused).
    public var recordFile: URL { venv.appendingPathComponent("wand-environment.json") }
    /// The hash-pinned requirements file shipped with Wand.
    public static var requirementsFile: URL { WandResourcesLocator.python.appendingPathComponent("code-requirements.txt") }

    /// The record of a complete installation, or nil when there is none (or its Python is gone).
    public var installed: CodeEnvironmentRecord? {
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return nil }
        return CodeEnvironmentRecord.load(from: recordFile)
    }
}

/// What `wand setup` installed into the code environment.
public struct CodeEnvironmentRecord: Codable, Sendable, Equatable {
    /// The Python version (`3.11.2`).
    public var python: String
    /// Installed distributions and their versions, by lower-case name.
    public var packages: [String: String]
    /// The SHA-256 of the requirements file it was installed from.
    public var requirementsSHA256: String
    /// The `[python] extra_packages` it was installed with (not hash-checked).
    public var extraPackages: [String]
    /// When setup finished.
    public var installedAt: Date

    /// Creates a record.
    public init(python: String, packages: [String: String], requirementsSHA256: String, extraPackages: [String], installedAt: Date) {
        self.python = python
        self.packages = packages
        self.requirementsSHA256 = requirementsSHA256
        self.extraPackages = extraPackages
        self.installedAt = installedAt
    }

    /// Reads a record, or nil when missing or unreadable.
    public static func load(from url: URL) -> CodeEnvironmentRecord? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(CodeEnvironmentRecord.self, from: data)
    }

    /// Writes the record.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// `numpy 2.4.6, pandas 3.1.1, …`: the base packages first, then the extra ones.
    public var summary: String {
        let extras = extraPackages.compactMap { Self.distributionName(of: $0) }.filter { !CodeEnvironmentLayout.basePackages.contains($0) }
        return (CodeEnvironmentLayout.basePackages + extras).map { name in "\(name) \(packages[name] ?? "?")" }.joined(separator: ", ")
    }

    /// The distribution name of a requirement (`scipy>=1.14` → `scipy`), lower-cased.
    static func distributionName(of requirement: String) -> String? {
        let name = requirement.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        return name.isEmpty ? nil : name.lowercased().replacingOccurrences(of: "_", with: "-")
    }
}

/// Creates or updates the code environment: idempotent, and an environment is used only once its
/// record is written, so an interrupted install is redone, never half used.
public struct CodeEnvironmentInstaller: Sendable {
    /// Where things go.
    public let layout: CodeEnvironmentLayout
    /// `[python] extra_packages` from config.toml.
    public let extraPackages: [String]
    /// The environment for pip.
    public let environment: [String: String]

    /// Creates an installer.
    public init(layout: CodeEnvironmentLayout, extraPackages: [String],
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.layout = layout
        self.extraPackages = extraPackages
        self.environment = environment
    }

    /// Installs what is missing; `progress` gets short details. Returns the record of the environment.
    @discardableResult
    public func install(progress: @Sendable (String) -> Void) async throws -> CodeEnvironmentRecord {
        let requirementsDigest = try await SetupDigest.sha256(of: CodeEnvironmentLayout.requirementsFile)
        if let record = layout.installed, record.requirementsSHA256 == requirementsDigest, record.extraPackages == extraPackages {
            progress("already present: \(record.summary)")
            return record
        }
        try FileManager.default.createDirectory(at: layout.paths.logs, withIntermediateDirectories: true)
        var pipEnvironment = environment
        pipEnvironment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        let runner = SetupProcess(logs: layout.paths.logs, environment: pipEnvironment)
        try? FileManager.default.removeItem(at: layout.recordFile)
        if !FileManager.default.isExecutableFile(atPath: layout.python.path) {
            progress("creating \(layout.venv.path) from \(CodeEnvironmentLayout.systemPython)")
            try? FileManager.default.removeItem(at: layout.venv)
            do {
                try await runner.run(CodeEnvironmentLayout.systemPython, ["-m", "venv", layout.venv.path], log: "code-python.log")
            } catch {
                throw SetupError("cannot create the Python environment for code (\(error)). Install Python 3 with venv: "
                    + "apt-get install python3 python3-venv")
            }
        }
        let pip = layout.venv.appendingPathComponent("bin/pip").path
        progress("installing \(CodeEnvironmentLayout.basePackages.joined(separator: ", ")) (hash-pinned)")
        try await runner.run(pip, ["install", "--progress-bar", "off", "--require-hashes", "--only-binary=:all:",
                                   "-r", CodeEnvironmentLayout.requirementsFile.path], log: "code-python.log")
        if !extraPackages.isEmpty {
            progress("installing extra packages from config.toml (not hash-checked): \(extraPackages.joined(separator: ", "))")
            try await runner.run(pip, ["install", "--progress-bar", "off", "--only-binary=:all:"] + extraPackages,
                                 log: "code-python-extra.log")
        }
        var listing = ""
        try await runner.run(layout.python.path, ["-I", "-c", Self.listingScript]) { listing += $0 }
        guard let data = listing.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let python = object["python"] as? String, let packages = object["packages"] as? [String: String] else {
            throw SetupError("the code environment's Python did not list its packages; see \(layout.paths.logs.path)/code-python.log")
        }
        let record = CodeEnvironmentRecord(python: python, packages: packages, requirementsSHA256: requirementsDigest,
                                           extraPackages: extraPackages, installedAt: Date())
        try record.save(to: layout.recordFile)
        progress("ready: \(record.summary)")
        return record
    }

    /// Prints the Python version and every installed distribution as one JSON line.
    static let listingScript = """
        import json, platform, importlib.metadata as m
        print(json.dumps({"python": platform.python_version(), \
        "packages": {d.metadata["Name"].lower().replace("_", "-"): d.version for d in m.distributions()}}))
        """
}

/// SHA-256 of small files, computed by the system Python (Foundation on Linux has no hashing).
enum SetupDigest {
    static func sha256(of file: URL) async throws -> String {
        let output = try await ChildProcess.collect(ChildCommand(
            executable: CodeEnvironmentLayout.systemPython,
            arguments: ["-I", "-c", "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", file.path],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]))
        guard output.succeeded else { throw SetupError("cannot hash \(file.path): \(output.stderr)") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
