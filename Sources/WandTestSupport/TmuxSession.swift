public import Foundation
import Subprocess

/// Drives a real program in a detached tmux session: send keys, poll the screen, never sleep blindly.
///
/// Each session gets its own tmux server socket (`tmux -L`), so tests can run side by side. tmux is run
/// through swift-subprocess: `Foundation.Process` did not reap the tmux client from async tests here.
public final class TmuxSession: Sendable {
    /// The socket name.
    public let socket: String
    /// Where the program's exit status is written when it ends.
    public let statusFile: URL

    /// Where `swift build` puts the `wand` binary for this checkout.
    public static var wandBinary: URL {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent(".build/debug/wand")
    }

    private init(socket: String, statusFile: URL) {
        self.socket = socket
        self.statusFile = statusFile
    }

    /// Starts `command` (run by `sh -c`) in a new session of the given size.
    public static func start(command: String, width: Int = 120, height: Int = 40,
                             environment: [String: String] = [:]) async throws -> TmuxSession {
        let socket = "wand-test-\(UUID().uuidString.prefix(8))"
        let statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).status")
        let exports = (["LANG": "C.UTF-8", "TERM": "xterm-256color"].merging(environment) { $1 })
            .map { "export \($0.key)='\($0.value)'" }.joined(separator: "; ")
        let script = "\(exports); \(command); echo $? > '\(statusFile.path)'"
        let session = TmuxSession(socket: socket, statusFile: statusFile)
        try await session.tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", String(width),
                                "-y", String(height), "sh", "-c", script], collectOutput: false)
        return session
    }

    deinit {
        let socket = self.socket
        let statusFile = self.statusFile
        Task.detached {
            _ = try? await Subprocess.run(.name("tmux"), arguments: ["-L", socket, "kill-server"],
                                          output: .discarded, error: .discarded)
            try? FileManager.default.removeItem(at: statusFile)
        }
    }

    /// Ends the tmux server and everything in it.
    public func stop() async {
        _ = try? await tmux(["kill-server"], collectOutput: false)
    }

    /// Types keys as tmux names them (`Tab`, `C-q`, `Enter`, `Right`, or literal text with `literal: true`).
    public func send(_ keys: String..., literal: Bool = false) async throws {
        try await tmux(["send-keys", "-t", "main"] + (literal ? ["-l"] : []) + keys)
    }

    /// The visible screen as text.
    public func capture() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", "main"])
    }

    /// Resizes the window (the program gets SIGWINCH).
    public func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `predicate` holds, or throws with the last screen after `timeout` seconds.
    @discardableResult
    public func waitForScreen(timeout: Double = 15, _ description: String,
                              _ predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = (try? await capture()) ?? screen
            if predicate(screen) { return screen }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TmuxError("timed out after \(timeout) s waiting for \(description); screen was:\n\(screen)")
    }

    /// Waits until the screen contains every one of the texts.
    @discardableResult
    public func waitFor(_ texts: String..., timeout: Double = 15) async throws -> String {
        try await waitForScreen(timeout: timeout, texts.joined(separator: ", ")) { screen in texts.allSatisfy(screen.contains) }
    }

    /// Waits for the program to end and returns its exit status.
    public func waitForExit(timeout: Double = 15) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: statusFile, encoding: .utf8),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TmuxError("the program did not exit within \(timeout) s; screen was:\n\((try? await capture()) ?? "")")
    }

    @discardableResult
    private func tmux(_ arguments: [String], collectOutput: Bool = true) async throws -> String {
        let all = ["-L", socket] + arguments
        if !collectOutput {
            // The server forks from this client and keeps its descriptors: never wait for a pipe's end here.
            let result = try await Subprocess.run(.name("tmux"), arguments: Arguments(all), output: .discarded,
                                                  error: .discarded)
            guard result.terminationStatus.isSuccess else {
                throw TmuxError("tmux \(all.joined(separator: " ")) failed: \(result.terminationStatus)")
            }
            return ""
        }
        let result = try await Subprocess.run(.name("tmux"), arguments: Arguments(all), output: .string(limit: 1 << 20),
                                              error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else {
            throw TmuxError("tmux \(all.joined(separator: " ")) failed: \(result.standardError)")
        }
        return result.standardOutput
    }
}

/// A tmux-driven test step failed; says what was awaited and what the screen showed.
public struct TmuxError: Error, CustomStringConvertible {
    /// The explanation.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
