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
        return try await launch(TmuxSession.wandBinary.path, arguments, environment: .inherit.updating(variables))
    }

    /// Runs another program found on `PATH` (a reader or player that a test checks Wand's output with);
    /// throws when there is none of that name.
    public static func runProgram(_ name: String, _ arguments: [String]) async throws -> Result {
        guard let path = Requirements.executable(named: name) else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name]) }
        return try await launch(path, arguments, environment: .inherit)
    }

    private static func launch(_ executable: String, _ arguments: [String], environment: Environment) async throws -> Result {
        let result = try await Subprocess.run(
            .path(.init(executable)), arguments: Arguments(arguments),
            environment: environment, output: .string(limit: 64 << 20), error: .string(limit: 16 << 20))
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Result(status: status, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// Runs `wand` as an unprivileged user, the way most people run it, with `home` as its home and data
    /// directory. As root this goes through `setpriv` to `uid`, with a copy of the binary that the user
    /// can read (a checkout under root's home is closed to others); otherwise it runs as the current user.
    public static func runUnprivileged(_ arguments: [String], uid: UInt32, home: URL) async throws -> Result {
        var binary = TmuxSession.wandBinary.path
        var command: [String] = []
        if geteuid() == 0 {
            let copies = home.appendingPathComponent("bin", isDirectory: true)
            if !FileManager.default.fileExists(atPath: copies.path) {
                try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
                let built = TmuxSession.wandBinary.deletingLastPathComponent()
                for name in try FileManager.default.contentsOfDirectory(atPath: built.path)
                where name == "wand" || name.hasSuffix(".resources") {
                    try FileManager.default.copyItem(at: built.appendingPathComponent(name),
                                                     to: copies.appendingPathComponent(name))
                }
            }
            guard chown(home.path, uid, uid) == 0 else { throw CocoaError(.fileWriteNoPermission) }
            binary = copies.appendingPathComponent("wand").path
            command = ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"]
        }
        command += ["/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "HOME=\(home.path)",
                    "XDG_DATA_HOME=\(home.path)/data", "XDG_CONFIG_HOME=\(home.path)/config", "TMPDIR=/tmp", binary]
        return try await launch(command[0], Array(command.dropFirst()) + arguments, environment: .inherit)
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
