import Foundation
import Glibc
import Logging
import MCP

/// The MCP stdio transport over a child process that Wand starts and owns.
///
/// Used instead of the SDK's `StdioTransport`, which reads borrowed descriptors by polling every
/// 10 ms and cannot say that the other end died. Here the server is a ``ChildProcess``: it leads its
/// own process group (stopping it stops what it started), dies with Wand (`setpriv --pdeathsig KILL`),
/// and its end is reported through ``ended`` with its exit status and the last lines of its stderr.
/// A message longer than ``maximumMessageBytes`` stops the server instead of filling memory.
actor MCPProcessTransport: Transport {
    nonisolated let logger = Logger(label: "wand.mcp.stdio", factory: { _ in SwiftLogNoOpLogHandler() })
    private let command: ChildCommand
    private let maximumMessageBytes: Int
    private let messages: AsyncThrowingStream<Data, any Error>
    private let messageSink: AsyncThrowingStream<Data, any Error>.Continuation
    private let endedSink: AsyncStream<ProcessEndAccount>.Continuation
    /// Yields once, when the process has ended, a plain account of how (already redacted).
    let ended: AsyncStream<ProcessEndAccount>
    private let redactor: SecretRedactor
    private var process: ChildProcess?
    private var stopping = false
    private var overflow = false

    /// The stderr kept for error messages, in bytes.
    static let stderrTailBytes = 2048

    init(command: ChildCommand, redactor: SecretRedactor, maximumMessageBytes: Int) {
        self.command = command
        self.redactor = redactor
        self.maximumMessageBytes = maximumMessageBytes
        (messages, messageSink) = AsyncThrowingStream.makeStream()
        (ended, endedSink) = AsyncStream.makeStream()
    }

    func connect() async throws {
        guard process == nil else { return }
        let started: ChildProcess
        do {
            started = try await ChildProcess.launch(command)
        } catch {
            throw MCPServerError.startFailed("cannot start `\(command.displayName)`: \(redactor.redact(String(describing: error)))")
        }
        process = started
        Task { await self.read(started) }
    }

    func disconnect() async {
        guard let process, !stopping else { return }
        stopping = true
        // Finished with an error: the SDK's client reads again at once after a stream that ends
        // without one, and would spin until it is disconnected.
        messageSink.finish(throwing: MCPError.connectionClosed)
        process.closeInput()
        await process.terminate(grace: 2)
    }

    func send(_ data: Data) async throws {
        guard let process, !stopping else { throw MCPError.connectionClosed }
        var line = [UInt8](data)
        line.append(0x0A)
        do {
            try await process.write(line)
        } catch {
            throw MCPError.connectionClosed
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { messages }

    private func read(_ process: ChildProcess) async {
        var pending: [UInt8] = []
        var stderrTail: [UInt8] = []
        for await chunk in process.output {
            switch chunk {
            case .stdout(let bytes):
                guard !overflow else { continue }
                var searchFrom = pending.count
                pending.append(contentsOf: bytes)
                while let newline = pending[searchFrom...].firstIndex(of: 0x0A) {
                    let line = Data(pending[..<newline])
                    pending.removeSubrange(...newline)
                    searchFrom = 0
                    if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { messageSink.yield(line) }
                }
                if pending.count > maximumMessageBytes {
                    overflow = true
                    pending = []
                    process.signal(SIGKILL)
                }
            case .stderr(let bytes):
                stderrTail.append(contentsOf: bytes)
                if stderrTail.count > Self.stderrTailBytes * 2 { stderrTail.removeFirst(stderrTail.count - Self.stderrTailBytes) }
            }
        }
        let exit = await process.waitForExit()
        messageSink.finish(throwing: MCPError.connectionClosed)
        endedSink.yield(account(of: exit, stderr: stderrTail))
        endedSink.finish()
    }

    /// How the process ended, with its last stderr lines, secrets replaced.
    private func account(of exit: ChildExit, stderr: [UInt8]) -> ProcessEndAccount {
        let summary: String
        if overflow {
            summary = "sent a message over \(maximumMessageBytes / 1_048_576) MiB, so it was stopped"
        } else {
            switch exit {
            case .exited(let code): summary = "exited with status \(code)"
            case .signaled(let signal): summary = stopping ? "was stopped" : "was killed by signal \(signal)"
            }
        }
        var lines = String(decoding: stderr.suffix(Self.stderrTailBytes), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
        // A line cut at the start of the kept bytes could hold part of a secret that no longer matches it whole.
        if stderr.count > Self.stderrTailBytes, !lines.isEmpty { lines.removeFirst() }
        let tail = lines.suffix(6).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return ProcessEndAccount(summary: redactor.redact(summary), stderr: redactor.redact(tail))
    }

    deinit {
        process?.signal(SIGKILL)
    }
}

/// How a server's process ended: a summary and the last lines of its stderr, secrets replaced.
struct ProcessEndAccount: Sendable, Equatable {
    /// `exited with status 3`, `was killed by signal 9`, …
    var summary: String
    /// Its last stderr lines, possibly empty.
    var stderr: String

    /// The summary, then `context` (`while starting`), then the stderr lines.
    func text(_ context: String) -> String {
        "\(summary) \(context)" + (stderr.isEmpty ? "" : "; its stderr ended with:\n" + stderr)
    }
}

extension ChildCommand {
    /// The program's name for messages (never its environment).
    var displayName: String {
        let parts = [executable] + arguments
        let pdeathsigPrefix = ["setpriv", "--pdeathsig", "KILL", "--"]
        let shown = parts.count > 4 && parts[0].hasSuffix("setpriv") && Array(parts[1...3]) == Array(pdeathsigPrefix[1...3])
            ? Array(parts.dropFirst(4)) : parts
        return shown.joined(separator: " ")
    }
}
