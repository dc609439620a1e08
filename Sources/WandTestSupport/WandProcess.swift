public import Foundation
import Subprocess
import WandEngine

/// Runs the built `wand` binary and collects what it printed.
public enum WandProcess {
    /// The result of a run.
    public struct Result: Sendable {
        /// The exit status (or 128 + signal).
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Runs `wand` with arguments and extra environment variables.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        var variables: [Environment.Key: String?] = [:]
        for (key, value) in environment { variables[Environment.Key(stringLiteral: key)] = value }
        let result = try await Subprocess.run(
            .path(.init(TmuxSession.wandBinary.path)), arguments: Arguments(arguments),
            environment: .inherit.updating(variables), output: .string(limit: 64 << 20), error: .string(limit: 16 << 20))
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Result(status: status, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// A temporary data directory that shares the installed embedded model (by links), so a test's
    /// sessions and server processes are its own.
    public static func isolatedDataHome() throws -> URL {
        let home = try FixtureSessions.temporaryDirectory("wand-data")
        let wand = home.appendingPathComponent("wand", isDirectory: true)
        try FileManager.default.createDirectory(at: wand, withIntermediateDirectories: true)
        let installed = WandPaths().data
        for name in ["runtime", "models"] {
            try FileManager.default.createSymbolicLink(at: wand.appendingPathComponent(name),
                                                       withDestinationURL: installed.appendingPathComponent(name))
        }
        return home
    }
}
