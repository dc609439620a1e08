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
        guard let path = Requirement.executable(named: name) else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name]) }
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
        let command = try unprivilegedCommand(arguments, uid: uid, home: home)
        return try await launch(command[0], Array(command.dropFirst()), environment: .inherit)
    }

    /// Runs `wand` as `runUnprivileged` does, but where no user namespace can be created, as on hosts that
    /// disable them: bubblewrap then fails exactly as it does there. Needs root.
    ///
    /// The limit is set to 0 inside a user namespace of the run's own (`user.max_user_namespaces` is
    /// per namespace and binds the namespaces below it), so the host's setting, and every other process
    /// on this shared machine, is untouched, and nothing has to be restored if the test dies.
    public static func runUnprivilegedWithoutUserNamespaces(_ arguments: [String], uid: UInt32, home: URL) async throws -> Result {
        precondition(geteuid() == 0, "needs root to map the namespace's users")
        let command = try unprivilegedCommand(arguments, uid: uid, home: home)
        // The first shell waits until its users are mapped, then starts a second one: capabilities in the
        // namespace are granted by exec to a mapped root, and writing the limit needs them.
        let script = #"read mapped; exec /bin/sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"' sh "$@""#
        let process = try await ChildProcess.launch(ChildCommand(
            executable: "/usr/bin/unshare", arguments: ["--user", "--", "/bin/sh", "-c", script, "sh"] + command,
            environment: ProcessInfo.processInfo.environment))
        let ownNamespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/user")
        let deadline = Date().addingTimeInterval(10)
        while (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.pid)/ns/user")) == ownNamespace {
            guard Date() < deadline else {
                process.signal(SIGKILL)
                throw ChildProcessError(command: "unshare --user", reason: "did not enter a new user namespace within 10 s")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        for map in ["uid_map", "gid_map"] {
            try "0 0 4294967295\n".write(toFile: "/proc/\(process.pid)/\(map)", atomically: false, encoding: .utf8)
        }
        try await process.write(Array("mapped\n".utf8))
        process.closeInput()
        var stdout = Data()
        var stderr = Data()
        for await chunk in process.output {
            switch chunk {
            case .stdout(let bytes): stdout.append(contentsOf: bytes)
            case .stderr(let bytes): stderr.append(contentsOf: bytes)
            }
        }
        let status: Int32
        switch await process.waitForExit() {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The command line that runs `wand` as `uid` (as root) or as the current user, with `home` as its home.
    private static func unprivilegedCommand(_ arguments: [String], uid: UInt32, home: URL) throws -> [String] {
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
        return command + arguments
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
