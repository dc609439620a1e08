import Foundation
import WandEngine

/// Recovers what the model was sent in sessions recorded before `model.started` carried the messages.
///
/// The session's runs go through the same strategy code again, with ``RecordedModel`` answering with the
/// recorded replies and ``RecordedExecutor`` with the recorded execution results, so nothing is generated
/// or run; the strategy builds its messages exactly as it did. A run's recovered messages are kept only
/// when the run came out as recorded — the same model calls, code, feedback and answer, in order — since
/// only then did the strategy see what it saw the first time. Anything else is reported, not guessed.
///
/// What cannot be checked is the prompt wording: the messages come from this build's strategy code, so
/// they are what the model saw only if Wand's prompts have not changed since the session was recorded,
/// and the session cannot tell. That is why re-enacting is asked for explicitly (`--reenact`).
enum PromptReenactment {
    /// Fills in the messages of `runs` (the runs of `loaded`) that lack them; returns, by run number, why
    /// a run's could not be recovered.
    static func recover(_ loaded: LoadedSession, runs: inout [RecordedRun]) async -> [Int: String] {
        var unrecovered: [Int: String] = [:]
        for run in runs where run.status == nil {
            unrecovered[run.number] = "it was interrupted, so its replies cannot be replayed to the end"
        }
        for run in runs where run.status == .cancelled {
            unrecovered[run.number] = "it was cancelled, so its replies cannot be replayed to the end"
        }
        let replayable = SessionRerun.rerunnable(loaded.events)
        let recordedSlices = Self.runSlices(replayable)
        let settings = loaded.started?.settings ?? [:]
        let recorder = EventRecorder(writer: nil)
        let collector = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "reenactment", recorder: recorder, model: RecordedModel(events: replayable),
                                   executor: RecordedExecutor(events: replayable), limits: Self.limits(settings))
        var diverged: String?
        for recorded in recordedSlices {
            if let diverged {
                unrecovered[recorded.started.run] = diverged
                continue
            }
            guard let strategy = StrategyName(rawValue: recorded.started.strategy) else {
                diverged = "an earlier run's strategy (`\(recorded.started.strategy)`) cannot be re-enacted outside `wand eval`"
                unrecovered[recorded.started.run] = "its strategy `\(recorded.started.strategy)` cannot be re-enacted outside `wand eval`"
                continue
            }
            let before = collector.records.count
            _ = await session.run(goal: recorded.started.goal, strategy: strategy, settings: Self.settings(settings),
                                  tests: recorded.started.tests.map { TestSuite(source: $0, origin: "recording") })
            let reenacted = Array(collector.records[before...])
            let expected = Self.signature(recorded.events)
            let actual = Self.signature(reenacted)
            guard expected == actual else {
                let index = zip(expected, actual).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
                    ?? min(expected.count, actual.count)
                let what = index < expected.count ? expected[index] : "the end of the run"
                unrecovered[recorded.started.run] = "re-enacting it did not reproduce the recording (first difference: \(Self.shortened(what)))"
                diverged = "an earlier run could not be re-enacted"
                continue
            }
            let messages = reenacted.compactMap { record -> [ChatMessage]? in
                if case .modelStarted(let started) = record.event { started.messages } else { nil }
            }
            guard let index = runs.firstIndex(where: { $0.number == recorded.started.run }),
                  runs[index].calls.count == messages.count else { continue }
            for call in runs[index].calls.indices where runs[index].calls[call].messages == nil {
                runs[index].calls[call].messages = messages[call]
            }
        }
        return unrecovered
    }

    /// The events of each run, from `run.started` to `run.finished`.
    private static func runSlices(_ events: [EventRecord]) -> [(started: RunStarted, events: [EventRecord])] {
        var slices: [(started: RunStarted, events: [EventRecord])] = []
        for record in events {
            if case .runStarted(let started) = record.event { slices.append((started, [])) }
            if !slices.isEmpty { slices[slices.count - 1].events.append(record) }
        }
        return slices
    }

    /// What must come out the same: the calls made, the code proposed, the feedback sent, the answer, the end.
    private static func signature(_ events: [EventRecord]) -> [String] {
        events.compactMap { record in
            switch record.event {
            case .modelStarted(let started): "model call (\(started.purpose.rawValue))"
            case .codeProposed(let code): "code: \(code.source)"
            case .feedbackSent(let feedback): "feedback (\(feedback.kind.rawValue)): \(feedback.text)"
            case .answer(let answer): "answer: \(answer.text)"
            case .runFinished(let finished): "run \(finished.status.rawValue)"
            default: nil
            }
        }
    }

    private static func shortened(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }

    /// The settings the recording ran with, where they change what a strategy does: budgets, repairs,
    /// samples, reflection and the action format. Code runs without asking: the recorded results stand
    /// for the decisions.
    private static func settings(_ recorded: [String: String]) -> AgentSettings {
        var settings = AgentSettings(approval: .auto)
        if let value = recorded["budget.max_steps"].flatMap(Int.init) { settings.maxSteps = value }
        if let value = recorded["budget.max_tokens"].flatMap(Int.init) { settings.maxTokens = value }
        if let value = recorded["budget.max_seconds"].flatMap(Double.init) { settings.maxSeconds = value }
        if let value = recorded["max_repairs"].flatMap(Int.init) { settings.maxRepairs = value }
        if let value = recorded["samples"].flatMap(Int.init) { settings.samples = value }
        if let value = recorded["reflect"] { settings.reflect = value == "true" }
        if let value = recorded["actions"].flatMap(AgentSettings.ActionFormat.init(rawValue:)) { settings.actions = value }
        return settings
    }

    /// The execution limits the recording names, which feedback about a limit quotes.
    private static func limits(_ recorded: [String: String]) -> ExecutionLimits? {
        guard let timeout = recorded["limit.timeout_s"].flatMap(Double.init) else { return nil }
        var limits = ExecutionLimits(timeout: timeout)
        if let value = recorded["limit.cpu_s"].flatMap(Int.init) { limits.cpuSeconds = value }
        if let value = recorded["limit.memory_mb"].flatMap(Int.init) { limits.memoryMB = value }
        if let value = recorded["limit.processes"].flatMap(Int.init) { limits.processes = value }
        if let value = recorded["limit.file_size_mb"].flatMap(Int.init) { limits.fileSizeMB = value }
        if let value = recorded["limit.output_bytes"].flatMap(Int.init) { limits.outputBytes = value }
        return limits
    }
}
