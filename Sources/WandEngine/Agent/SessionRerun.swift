/// Replays a session's recorded model replies against the live executor, then compares executions.
public enum SessionRerun {
    /// The events of the runs that can be re-run: runs cancelled in the recording stopped at an
    /// arbitrary point, so their replies cannot be replayed faithfully and they are left out.
    public static func rerunnable(_ events: [EventRecord]) -> [EventRecord] {
        var kept: [EventRecord] = []
        var current: [EventRecord] = []
        var inRun = false
        for record in events {
            switch record.event {
            case .runStarted:
                inRun = true
                current = [record]
            case .runFinished(let finished):
                current.append(record)
                if finished.status != .cancelled { kept += current }
                current = []
                inRun = false
            default:
                if inRun { current.append(record) } else { kept.append(record) }
            }
        }
        return kept
    }

    /// The model for a re-run: the recorded replies of the runs that can be re-run.
    public static func model(for recorded: LoadedSession) -> RecordedModel {
        RecordedModel(events: rerunnable(recorded.events))
    }

    /// Re-runs every run of `recorded` that can be re-run, in `session` (whose model comes from
    /// ``model(for:)``), each with the settings recorded in force for it (see ``settings(recorded:)``).
    public static func run(_ recorded: LoadedSession, in session: AgentSession) async -> RerunReport {
        let rerun = EventCollector(listeningTo: session.recorder)
        let events = rerunnable(recorded.events)
        let skipped = recorded.events.count(where: { if case .runStarted = $0.event { true } else { false } })
            - events.count(where: { if case .runStarted = $0.event { true } else { false } })
        if skipped > 0 {
            session.recorder.emit(.notice(Notice(level: .info, message: "\(skipped) run(s) cancelled in the recording are not re-run.")))
        }
        var inForce: [String: String] = [:]
        replaying: for record in events {
            switch record.event {
            case .sessionStarted(let started): inForce = started.settings
            case .settingsChanged(let changed): inForce.merge(changed.settings) { $1 }
            case .runStarted(let started):
                let strategy = StrategyName(rawValue: started.strategy) ?? .codeact
                let tests = started.tests.map { TestSuite(source: $0, origin: "recording") }
                let finished = await session.run(goal: started.goal, strategy: strategy, settings: settings(recorded: inForce),
                                                 tests: tests)
                if finished.status == .cancelled { break replaying }
            default: break
            }
        }
        let report = RerunReport.compare(recorded: events, rerun: rerun.records)
        session.recorder.emit(.notice(Notice(level: report.isIdentical ? .info : .warning, message: report.summary)))
        return report
    }

    /// Settings for re-running a run recorded with `values` in force: its sample count, repair budget,
    /// reflection and action format (native tool calls are replayed as tool calls), with approvals off
    /// (the recorded replies already were approved) and generous step and token budgets.
    public static func settings(recorded values: [String: String]) -> AgentSettings {
        AgentSettings(maxSteps: 1_000, maxTokens: 10_000_000, maxSeconds: 3_600,
                      maxRepairs: values["max_repairs"].flatMap(Int.init) ?? 3,
                      samples: values["samples"].flatMap(Int.init) ?? 5,
                      reflect: values["reflect"] == "true", approval: .auto,
                      actions: values["actions"].flatMap(AgentSettings.ActionFormat.init(rawValue:)) ?? .fenced)
    }
}
