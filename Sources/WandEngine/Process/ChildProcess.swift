import Foundation
import Glibc
import Subprocess
import Synchronization
import SystemPackage

/// A chunk read from a child's standard output or standard error.
public enum ChildOutput: Sendable, Equatable {
    case stdout([UInt8])
    case stderr([UInt8])
}

/// How a child process ended.
public enum ChildExit: Sendable, Equatable {
    /// It exited with a status code.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)
}

/// What to start: an executable, its arguments, environment and working directory.
public struct ChildCommand: Sendable, Equatable {
    /// Absolute path, or a name looked up in `PATH`.
    public var executable: String
    /// Arguments after the executable.
    public var arguments: [String]
    /// The complete environment of the child.
    public var environment: [String: String]
    /// The working directory, or nil for Wand's.
    public var workingDirectory: String?
    /// Whether the child leads a new session (and process group), so signals can reach its descendants.
    public var newSession: Bool

    /// Creates a command.
    public init(executable: String, arguments: [String], environment: [String: String],
                workingDirectory: String? = nil, newSession: Bool = false) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.newSession = newSession
    }
}

/// A running child process: streamed output, writable input, signals, and its exit.
///
/// Built on swift-subprocess, whose children start with default signal handling (`Foundation.Process`
/// children started from async code ignored SIGTERM here). The child's lifetime is bounded by a task
/// that owns the swift-subprocess `run` call.
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    /// Output chunks of both streams in arrival order; ends when both streams close.
    public let output: AsyncStream<ChildOutput>
    private let commands: AsyncStream<InputCommand>.Continuation
    private let runTask: Task<ChildExit, any Error>
    /// Set once the child has exited, before it is reaped; signals by pid are sent only while it is false.
    private let exited: Locked<Bool>
    private let leadsSession: Bool
    /// The child held by a pidfd, opened while it could not yet have been reaped.
    private let reference: ProcessReference?

    private enum InputCommand: Sendable {
        case write([UInt8], CheckedContinuation<Void, any Error>)
        case close
    }

    private init(pid: Int32, output: AsyncStream<ChildOutput>, commands: AsyncStream<InputCommand>.Continuation,
                 runTask: Task<ChildExit, any Error>, leadsSession: Bool, exited: Locked<Bool>, reference: ProcessReference?) {
        self.pid = pid
        self.exited = exited
        self.reference = reference
        self.output = output
        self.commands = commands
        self.runTask = runTask
        self.leadsSession = leadsSession
    }

    /// Starts a child; throws if it cannot be started (missing executable, for instance).
    public static func launch(_ command: ChildCommand) async throws -> ChildProcess {
        let (output, outputSink) = AsyncStream<ChildOutput>.makeStream(bufferingPolicy: .unbounded)
        let (commands, commandSink) = AsyncStream<InputCommand>.makeStream(bufferingPolicy: .unbounded)
        let (started, startedSink) = AsyncThrowingStream<(pid_t, ProcessReference?), any Error>.makeStream()
        let exited = Locked(false)
        var options = PlatformOptions()
        options.createSession = command.newSession
        var environment: [Environment.Key: String] = [:]
        for (key, value) in command.environment { environment[Environment.Key(stringLiteral: key)] = value }
        let executable: Executable = command.executable.hasPrefix("/")
            ? .path(FilePath(command.executable)) : .name(command.executable)
        let configuration = Configuration(
            executable: executable, arguments: Arguments(command.arguments), environment: .custom(environment),
            workingDirectory: command.workingDirectory.map { FilePath($0) }, platformOptions: options)
        let runTask = Task<ChildExit, any Error> {
            do {
                let result = try await Subprocess.run(configuration, input: .inputWriter, output: .sequence,
                                                      error: .sequence) { execution in
                    // swift-subprocess reaps the child only after this closure returns, so the pid is still its.
                    let pid = execution.processIdentifier.value
                    startedSink.yield((pid, ProcessReference.open(pid)))
                    startedSink.finish()
                    let writer = execution.standardInputWriter
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await command in commands {
                                switch command {
                                case .write(let bytes, let done):
                                    do {
                                        _ = try await writer.write(bytes)
                                        done.resume()
                                    } catch {
                                        done.resume(throwing: error)
                                    }
                                case .close:
                                    try? await writer.finish()
                                }
                            }
                        }
                        await withTaskGroup(of: Void.self) { streams in
                            streams.addTask {
                                do {
                                    for try await buffer in execution.standardOutput {
                                        outputSink.yield(.stdout(buffer.withUnsafeBytes { Array($0) }))
                                    }
                                } catch {}
                            }
                            streams.addTask {
                                do {
                                    for try await buffer in execution.standardError {
                                        outputSink.yield(.stderr(buffer.withUnsafeBytes { Array($0) }))
                                    }
                                } catch {}
                            }
                        }
                        outputSink.finish()
                        commandSink.finish()
                        for await _ in group {}
                    }
                    // swift-subprocess reaps the child when this closure returns, and its pid may then be
                    // reused: from here on, signals must not be sent by pid.
                    var pause = 1
                    while let status = ProcessTable.status(of: pid), status.state != "Z" {
                        try? await Task.sleep(for: .milliseconds(pause))
                        pause = min(pause * 2, 20)
                    }
                    exited.withLock { $0 = true }
                }
                switch result.terminationStatus {
                case .exited(let code): return .exited(code)
                case .signaled(let signal): return .signaled(signal)
                }
            } catch {
                startedSink.finish(throwing: error)
                outputSink.finish()
                throw error
            }
        }
        var pid: pid_t = 0
        var reference: ProcessReference?
        do {
            for try await value in started { (pid, reference) = value }
        } catch {
            throw ChildProcessError(command: command.executable, reason: Self.startFailure(error))
        }
        guard pid > 0 else {
            throw ChildProcessError(command: command.executable, reason: "did not start")
        }
        return ChildProcess(pid: pid, output: output, commands: commandSink, runTask: runTask,
                            leadsSession: command.newSession, exited: exited, reference: reference)
    }

    /// Writes bytes to the child's standard input.
    public func write(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            if case .terminated = commands.yield(.write(bytes, done)) {
                done.resume(throwing: ChildProcessError(command: "pid \(pid)", reason: "has exited; cannot write"))
            }
        }
    }

    /// Closes the child's standard input (it reads end-of-file).
    public func closeInput() {
        commands.yield(.close)
    }

    /// Sends a signal to the child, and to its whole process group when it leads a session.
    ///
    /// Through the child's pidfd where the kernel has them; by pid (only until the child has exited, after
    /// which its pid may belong to another process) where it has not, or for the group on kernels
    /// before 6.9.
    public func signal(_ number: Int32) {
        if leadsSession, reference?.signalGroup(number) == nil {
            exited.withLock { exited in
                if !exited { _ = kill(-pid, number) }
            }
        }
        if let reference, reference.holdsDescriptor {
            reference.signal(number)
            return
        }
        exited.withLock { exited in
            if !exited { _ = kill(pid, number) }
        }
    }

    /// Waits for the child to end.
    public func waitForExit() async -> ChildExit {
        let exit = (try? await runTask.value) ?? .signaled(SIGKILL)
        exited.withLock { $0 = true }
        return exit
    }

    /// Sends SIGTERM, then SIGKILL if the child has not ended within `grace` seconds; returns how it ended.
    @discardableResult
    public func terminate(grace: Double = 3) async -> ChildExit {
        signal(SIGTERM)
        let killer = Task {
            try await Task.sleep(for: .seconds(grace))
            signal(SIGKILL)
        }
        let exit = await waitForExit()
        killer.cancel()
        return exit
    }
}

extension ChildProcess {
    /// Why a program could not be started, in words: the system's reason when it gave one.
    static func startFailure(_ error: any Error) -> String {
        if let failure = error as? SubprocessError, let underlying = failure.underlyingError {
            return "cannot start: \(String(cString: strerror(underlying.rawValue)))"
        }
        return "cannot start: \(error)"
    }
}

/// What a finished program printed, and how it ended.
public struct CollectedOutput: Sendable, Equatable {
    /// How it ended.
    public var exit: ChildExit
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String

    /// Whether it exited with status 0.
    public var succeeded: Bool { exit == .exited(0) }
}

extension ChildProcess {
    /// Runs a program with no input to its end and collects its output.
    public static func collect(_ command: ChildCommand) async throws -> CollectedOutput {
        let process = try await launch(command)
        process.closeInput()
        var stdout = Data()
        var stderr = Data()
        for await chunk in process.output {
            switch chunk {
            case .stdout(let bytes): stdout.append(contentsOf: bytes)
            case .stderr(let bytes): stderr.append(contentsOf: bytes)
            }
        }
        return CollectedOutput(exit: await process.waitForExit(), stdout: String(decoding: stdout, as: UTF8.self),
                               stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A child process could not be started or used.
public struct ChildProcessError: Error, Sendable, CustomStringConvertible {
    /// The program.
    public var command: String
    /// What went wrong.
    public var reason: String

    /// Creates an error.
    public init(command: String, reason: String) {
        self.command = command
        self.reason = reason
    }

    /// `command: reason`.
    public var description: String { "\(command): \(reason)" }
}
