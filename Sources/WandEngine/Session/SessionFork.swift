public import Foundation

/// Starting a new live run from a point of a recorded session: the events up to that point are
/// copied into a new session, the conversation is rebuilt for the model, and the code that built the
/// persistent kernel's state is listed so that state can be rebuilt.
public struct SessionFork: Sendable {
    /// The copied events, renumbered, under the new session's id, closed with a notice.
    public var events: [EventRecord]
    /// The goal of the run the fork continues.
    public var goal: String
    /// Its strategy.
    public var strategy: String
    /// The conversation so far, as chat messages (without the system prompt).
    public var messages: [ChatMessage]
    /// How the Python kernel's state at the fork point can be rebuilt, and what cannot be.
    public var restore: KernelRestore

    /// Builds a fork of `source` after its first `count` events, for a new session `id`.
    public init(source: LoadedSession, upTo count: Int, newSessionID id: String, now: Date = Date()) {
        let prefix = Array(source.events.prefix(max(1, count)))
        var copied: [EventRecord] = []
        var goal = source.started?.goal ?? ""
        var strategy = source.started?.strategy ?? "codeact"
        var messages: [ChatMessage] = []
        var restore = KernelRestore()
        var pending: [Int: String] = [:]
        var runners: [Int: ExecutionRunner] = [:]
        var runOpen = false
        var runNumber = 0
        for record in prefix {
            var event = record.event
            switch event {
            case .sessionStarted(var started):
                started.session = id
                event = .sessionStarted(started)
            case .runStarted(let run):
                goal = run.goal
                strategy = run.strategy
                messages = [ChatMessage(.user, run.goal)]
                runOpen = true
                runNumber = run.run
            case .modelFinished(let finished):
                messages.append(ChatMessage(.assistant, finished.text))
            case .feedbackSent(let feedback) where feedback.kind != .reflection:
                messages.append(ChatMessage(.user, "Observation:\n" + feedback.text))
            case .codeProposed(let code):
                pending[code.attempt] = code.source
            case .approvalDecided(let decided):
                if let source = decided.source { pending[decided.attempt] = source }
            case .execStarted(let started):
                runners[started.attempt] = started.runner
            case .execFinished(let finished):
                restore.record(finished, runner: runners[finished.attempt], source: pending[finished.attempt])
            case .runFinished:
                runOpen = false
            default:
                break
            }
            copied.append(EventRecord(seq: copied.count + 1, time: record.time, event: event))
        }
        if runOpen {
            copied.append(EventRecord(seq: copied.count + 1, time: now, event: .runFinished(RunFinished(
                run: runNumber, status: .cancelled, totals: RunTotals(), reason: "forked at event \(count)"))))
        }
        copied.append(EventRecord(seq: copied.count + 1, time: now, event: .notice(Notice(
            level: .info, message: "Forked from \(source.url.lastPathComponent) at event \(count) of \(source.events.count)."))))
        if messages.last?.role == .assistant { messages.append(ChatMessage(.user, "Continue.")) }
        events = copied
        self.goal = goal
        self.strategy = strategy
        self.messages = messages
        self.restore = restore
    }

    /// Writes the copied events as a new session file and returns it loaded.
    public func write(to url: URL) throws -> LoadedSession {
        let writer = try SessionWriter(url: url)
        for record in events { try writer.append(record: record) }
        writer.close()
        return LoadedSession(url: url, events: events, problems: [])
    }
}

/// What re-running earlier code can rebuild of the persistent Python kernel a fork continues from.
///
/// Only code that ran in that kernel is re-run, and only since the kernel last started: code that ran
/// in a fresh process never left anything in it (and re-running it would repeat its side effects), and
/// shell steps act on files and the system, not on the kernel.
public struct KernelRestore: Sendable, Equatable {
    /// Python that ran to completion in the kernel since it last started, in order.
    public var code: [String] = []
    /// Programs that ran in a fresh process (pal, tdd, tests).
    public var freshPrograms = 0
    /// Shell steps.
    public var shellSteps = 0
    /// Kernel steps that failed: whatever they set before failing is not rebuilt.
    public var failedKernelSteps = 0
    /// Kernel steps whose state a kernel restart had already lost before the fork point.
    public var lostToRestart = 0

    /// Nothing to re-run and nothing left out.
    public init() {}

    /// Accounts for one finished execution; `runner` is from its `exec.started` (absent: the kernel).
    mutating func record(_ finished: ExecFinished, runner: ExecutionRunner?, source: String?) {
        switch runner ?? .kernel {
        case .process:
            freshPrograms += 1
        case .shell:
            shellSteps += 1
        default:
            if finished.stateLost {
                // The kernel was restarted at or during this step: what earlier steps built is gone.
                lostToRestart += code.count
                code = []
            }
            if finished.succeeded, let source {
                code.append(source)
            } else {
                failedKernelSteps += 1
            }
        }
    }

    /// A sentence naming what was not re-run, or nil when everything was.
    public var notRestored: String? {
        func count(_ number: Int, _ one: String, _ many: String) -> String? {
            number == 0 ? nil : "\(number) \(number == 1 ? one : many)"
        }
        let parts = [
            count(freshPrograms, "program that ran in a fresh process", "programs that ran in fresh processes"),
            count(shellSteps, "shell step", "shell steps"),
            count(failedKernelSteps, "kernel step that failed", "kernel steps that failed"),
            count(lostToRestart, "kernel step whose state a restart had already lost",
                  "kernel steps whose state a restart had already lost"),
        ].compactMap { $0 }
        guard !parts.isEmpty else { return nil }
        return "Not re-run: " + parts.joined(separator: ", ")
            + "; variables and files they made are not in this session."
    }
}

/// How a re-run's executions compare with the recording.
public struct RerunReport: Sendable, Equatable {
    /// One execution that came out differently.
    public struct Difference: Sendable, Equatable {
        /// Its position among the executions, from 1.
        public var index: Int
        /// What the recording says.
        public var recorded: String
        /// What happened now.
        public var now: String
    }

    /// Executions that came out the same.
    public var matching: Int
    /// Executions that did not.
    public var differences: [Difference]
    /// Executions in the recording that the re-run did not reach.
    public var missing: Int
    /// Executions the re-run made beyond the recording.
    public var extra: Int

    /// Whether everything matched.
    public var isIdentical: Bool { differences.isEmpty && missing == 0 && extra == 0 }

    /// One paragraph for people.
    public var summary: String {
        var text = "Re-run: \(matching) of \(matching + differences.count + missing) executions match the recording"
        if missing > 0 { text += "; \(missing) were not reached" }
        if extra > 0 { text += "; \(extra) more ran" }
        text += "."
        for difference in differences.prefix(5) {
            text += "\nExecution \(difference.index) differs — recorded: \(difference.recorded) — now: \(difference.now)"
        }
        return text
    }

    /// Compares the executions of two event lists, in order.
    public static func compare(recorded: [EventRecord], rerun: [EventRecord]) -> RerunReport {
        let before = signatures(recorded)
        let after = signatures(rerun)
        var matching = 0
        var differences: [Difference] = []
        for index in 0..<min(before.count, after.count) {
            if before[index] == after[index] {
                matching += 1
            } else {
                differences.append(Difference(index: index + 1, recorded: before[index], now: after[index]))
            }
        }
        return RerunReport(matching: matching, differences: differences, missing: max(0, before.count - after.count),
                           extra: max(0, after.count - before.count))
    }

    /// Each execution as a comparable line: outcome and output (durations left out).
    static func signatures(_ events: [EventRecord]) -> [String] {
        var output: [Int: String] = [:]
        var result: [String] = []
        for record in events {
            switch record.event {
            case .execOutput(let chunk): output[chunk.attempt, default: ""] += chunk.chunk
            case .execFinished(let finished):
                var parts = [finished.limit.map { "limit \($0.rawValue)" } ?? finished.error ?? "exit \(finished.exitStatus ?? -1)"]
                if let value = finished.value { parts.append("value \(value)") }
                let printed = (output[finished.attempt] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if !printed.isEmpty { parts.append("output \(printed.count > 120 ? String(printed.prefix(119)) + "…" : printed)") }
                result.append(parts.joined(separator: ", ").replacingOccurrences(of: "\n", with: "⏎"))
            default:
                break
            }
        }
        return result
    }
}
