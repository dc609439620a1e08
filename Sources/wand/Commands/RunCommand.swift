import ArgumentParser
import Foundation
import Glibc
import Synchronization
import WandEngine

/// `wand run GOAL`: runs the agent headless, printing a transcript or JSON Lines.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent on a goal without the workbench.",
        discussion: """
            Exit status: 0 when the goal was answered (for tdd: all tests pass), 1 when it failed, 3 when a budget \
            ran out, 2 on usage errors, 130 when interrupted. The session is saved like any other (`wand sessions list`).
            """
    )

    @Argument(help: "What the agent should do.")
    var goal: String

    @Option(help: "Tests the answer must pass (Python asserts or test_* functions), for the tdd and sample strategies.")
    var tests: String?

    @Flag(help: "Print the events as JSON Lines instead of a transcript.")
    var json = false

    @OptionGroup var agent: AgentOptions

    func run() async throws {
        let bootstrap = try SessionBootstrap(options: agent)
        guard bootstrap.modelAvailable else { throw ValidationError(bootstrap.modelUnavailableReason) }
        let suite = try tests.map { try TestSuite.load(URL(fileURLWithPath: $0)) }
        let settings = agent.settings(sandboxed: bootstrap.capabilities.bubblewrap != nil)
        if settings.approval == .ask, isatty(0) != 1 {
            let why = bootstrap.capabilities.bubblewrapProblem.map { "without a sandbox (\($0.summary)) each run is approved first; " } ?? ""
            throw ValidationError(why + "--approve ask needs a terminal to ask on; use --approve never, or --approve auto to run code unasked")
        }
        let session = try await bootstrap.newSession()
        let printer = OutputPrinter(json: json)
        session.recorder.listen { printer.print($0) }
        if let server = bootstrap.runtime.server {
            await server.setNoticeHandler { TerminalOutput.err("wand: \($0)\n") }
        }
        let strategy = agent.strategy ?? bootstrap.config.defaultStrategy.flatMap(StrategyName.init) ?? .defaultStrategy
        let work = Task { await session.run(goal: goal, strategy: strategy, settings: settings, tests: suite) }
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
        signals.onSignal { work.cancel() }
        if settings.approval == .ask || session.toolbox?.asksForApproval == true {
            TerminalApprover(gate: session.gate, recorder: session.recorder).start()
        }
        let finished = await work.value
        await session.finish()
        await bootstrap.runtime.shutdown()
        printer.finish()
        if let error = session.recorder.writeError {
            TerminalOutput.err("wand: warning: the session file could not be written: \(error)\n")
        }
        if !json, let url = session.recorder.url {
            TerminalOutput.err("Session saved: \(url.path)\n")
        }
        switch finished.status {
        case .answered: return
        case .budgetExhausted: throw ExitCode(3)
        case .cancelled: throw ExitCode(130)
        case .failed, .error, .interrupted:
            if let reason = finished.reason { TerminalOutput.err("wand: \(finished.status.rawValue): \(reason)\n") }
            throw ExitCode(1)
        }
    }
}

/// Prints records as they come: a transcript, or JSON Lines.
final class OutputPrinter: Sendable {
    private let json: Bool
    private let printer = Mutex(TranscriptPrinter())
    private let codec = EventLineCodec()

    init(json: Bool) { self.json = json }

    func print(_ record: EventRecord) {
        if json {
            if let line = try? codec.encodeLine(record) { FileHandle.standardOutput.write(TerminalOutput.escapingControls(json: line)) }
            return
        }
        let text = printer.withLock { $0.text(for: record) }
        if !text.isEmpty { TerminalOutput.out(text) }
    }

    func finish() {
        guard !json else { return }
        let text = printer.withLock { $0.closeOutput() }
        if !text.isEmpty { TerminalOutput.out(text) }
    }
}



/// Asks on the terminal for approval of each proposed code block (`--approve ask`, headless).
struct TerminalApprover: Sendable {
    let gate: ApprovalGate
    let recorder: EventRecorder

    func start() {
        let gate = self.gate
        recorder.listen { record in
            guard case .approvalRequested(let request) = record.event else { return }
            Task.detached {
                let question = request.toolCall.map { "Allow tool call \($0) of attempt \(request.attempt)? [y]es / [n]o / [a]lways: " }
                    ?? "Run attempt \(request.attempt)? [y]es / [n]o / [a]lways: "
                TerminalOutput.err(question)
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? "n"
                let decision: ApprovalDecision = answer.hasPrefix("a") ? .always : answer.hasPrefix("y") || answer.isEmpty ? .run : .skip
                if let call = request.toolCall {
                    gate.decide(toolCall: call, decision: decision)
                } else {
                    gate.decide(attempt: request.attempt, decision: decision)
                }
            }
        }
    }
}
