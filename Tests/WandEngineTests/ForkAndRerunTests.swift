import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Fork and re-run", .serialized)
struct ForkAndRerunTests {
    @Test("a fork copies the events up to a point under a new id, closes the open run, and rebuilds the conversation")
    func fork() throws {
        let records = FixtureSessions.fibonacci()
        let source = LoadedSession(url: URL(fileURLWithPath: "/tmp/original.jsonl"), events: records, problems: [])
        let fork = SessionFork(source: source, upTo: 23, newSessionID: "forked", now: FixtureSessions.start)
        #expect(fork.events.map(\.seq) == Array(1...fork.events.count))
        #expect(fork.events.count == 25, "23 copied, a closing run.finished and a notice")
        #expect(fork.events.first.map { if case .sessionStarted(let started) = $0.event { started.session } else { "" } } == "forked")
        let state = SessionState(folding: fork.events)
        #expect(state.runStatus == .cancelled)
        #expect(state.runReason == "forked at event 23")
        #expect(fork.goal.hasPrefix("What is the 30th Fibonacci"))
        #expect(fork.strategy == "plan")
        #expect(fork.messages.map(\.role) == [.user, .assistant, .user, .assistant, .user])
        #expect(fork.messages.last?.content.contains("F30 = 832040") == true)
        #expect(fork.messages[2].content.hasPrefix("Observation:\nSyntaxError"))
        #expect(fork.restore.code.count == 1, "only the attempt that succeeded is re-run")
        #expect(fork.restore.code.first?.contains("result = fib(30)") == true)
        #expect(fork.restore.failedKernelSteps == 1)
        #expect(fork.restore.notRestored == "Not re-run: 1 kernel step that failed; variables and files they made are not in this session.")
    }

    @Test("only kernel code since the kernel last started is re-run; fresh programs, shell steps and lost state are named")
    func restorePlan() {
        let start = FixtureSessions.start
        var events: [AgentEvent] = [.runStarted(RunStarted(run: 1, goal: "g", strategy: "codeact"))]
        func step(_ attempt: Int, _ language: CodeLanguage, _ runner: ExecutionRunner, _ source: String, ok: Bool = true, stateLost: Bool = false) {
            events += [.codeProposed(CodeProposed(attempt: attempt, language: language, source: source)),
                       .execStarted(ExecStarted(attempt: attempt, language: language, runner: runner)),
                       .execFinished(ExecFinished(attempt: attempt, exitStatus: ok ? 0 : 1, error: ok ? nil : "E: e",
                                                  durationMs: 1, stateLost: stateLost))]
        }
        step(1, .python, .kernel, "lost = 1")
        step(2, .python, .kernel, "after_restart = 2", stateLost: true)
        step(3, .python, .process, "open('side', 'a').write('x')")
        step(4, .shell, .shell, "touch made-by-shell")
        step(5, .python, .kernel, "broken(", ok: false)
        step(6, .python, .kernel, "kept = 3")
        let records = events.enumerated().map { EventRecord(seq: $0.offset + 1, time: start, event: $0.element) }
        let fork = SessionFork(source: LoadedSession(url: URL(fileURLWithPath: "/tmp/plan.jsonl"), events: records, problems: []),
                               upTo: records.count, newSessionID: "forked", now: start)
        #expect(fork.restore.code == ["after_restart = 2", "kept = 3"])
        #expect(fork.restore.freshPrograms == 1)
        #expect(fork.restore.shellSteps == 1)
        #expect(fork.restore.failedKernelSteps == 1)
        #expect(fork.restore.lostToRestart == 1)
        #expect(fork.restore.notRestored == "Not re-run: 1 program that ran in a fresh process, 1 shell step, "
            + "1 kernel step that failed, 1 kernel step whose state a restart had already lost; "
            + "variables and files they made are not in this session.")
    }

    @Test("a fork restores the kernel: a variable set before the fork point is there, fresh-process code is not re-run",
          .requires(.sandbox))
    func forkRestoresKernel() async throws {
        let recorder = EventRecorder(writer: nil)
        let collector = EventCollector(listeningTo: recorder)
        let executor = try ExecutorFixtures.make()
        let original = AgentSession(id: "original", recorder: recorder, model: ScriptedModel([
            "```python\nsecret = 6 * 7\nprint('set')\n```",
            "```bash\necho made > by_shell.txt\n```",
            "Final Answer: done",
            "```python\npal_value = 1\nprint(7)\n```",
        ]), executor: executor, limits: executor.limits)
        #expect(await original.run(goal: "set a secret", strategy: .codeact, settings: AgentSettings()).status == .answered)
        #expect(await original.run(goal: "seven", strategy: .pal, settings: AgentSettings()).status == .answered)
        await original.finish()
        let runners = collector.records.compactMap { if case .execStarted(let started) = $0.event { started.runner } else { nil } }
        #expect(runners == [.kernel, .shell, .process], "the recording has a kernel step, a shell step and a fresh program")

        let directory = try FixtureSessions.temporaryDirectory("wand-fork")
        let source = LoadedSession(url: directory.appendingPathComponent("original.jsonl"), events: collector.records, problems: [])
        let fork = SessionFork(source: source, upTo: source.events.count, newSessionID: "forked")
        #expect(fork.restore.code == ["secret = 6 * 7\nprint('set')"])
        let copied = try fork.write(to: directory.appendingPathComponent("forked.jsonl"))

        let forkedRecorder = EventRecorder(writer: nil)
        let forkedCollector = EventCollector(listeningTo: forkedRecorder)
        let forkedExecutor = try ExecutorFixtures.make()
        let forked = AgentSession(resuming: copied, recorder: forkedRecorder, model: ScriptedModel([
            "```python\nprint(secret, 'pal_value' in globals())\n```", "Final Answer: 42",
        ]), executor: forkedExecutor, limits: forkedExecutor.limits)
        #expect(await forked.restoreKernel(fork.restore) == 1)
        let finished = await forked.run(goal: "What is the secret?", strategy: .codeact, settings: AgentSettings())
        await forked.finish()
        #expect(finished.status == .answered)
        let output = forkedCollector.records.compactMap { if case .execOutput(let chunk) = $0.event { chunk.chunk } else { nil } }
        #expect(output.joined() == "42 False\n", "the variable set before the fork is there; the fresh program did not run in the kernel")
        let notices = forkedCollector.records.compactMap { if case .notice(let notice) = $0.event { notice.message } else { nil } }
        #expect(notices == ["Restored the Python session: re-ran 1 of 1 earlier kernel steps. Not re-run: 1 program that ran "
            + "in a fresh process, 1 shell step; variables and files they made are not in this session."],
                "one notice says what was restored and what was not; none says the session starts fresh")
    }

    @Test("without bubblewrap a fork does not re-run the session file's code, and says so")
    func forkWithoutSandboxRunsNothing() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("wand-fork-marker-\(UUID().uuidString)")
        var restore = KernelRestore()
        restore.code = ["open('\(marker.path)', 'w').write('ran')"]
        let executor = try ExecutorFixtures.make(sandboxed: false)
        let recorder = EventRecorder(writer: nil)
        let collector = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "forked", recorder: recorder, model: ScriptedModel([]), executor: executor,
                                   limits: executor.limits)
        #expect(await session.restoreKernel(restore) == 0)
        await session.finish()
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the recorded code did not run")
        let notices = collector.records.compactMap { if case .notice(let notice) = $0.event { notice } else { nil } }
        #expect(notices.count == 1)
        #expect(notices.first?.level == .warning)
        #expect(notices.first?.message.contains("without bubblewrap's confinement") == true)
    }

    @Test("re-running a recorded session against the executor finds no difference, and a changed recording is caught")
    func rerun() async throws {
        let executor = try ExecutorFixtures.make()
        let recorder = EventRecorder(writer: nil)
        let collected = EventCollector(listeningTo: recorder)
        let original = AgentSession(id: "original", recorder: recorder,
                                    model: ScriptedModel(["```python\nimport math\nprint(math.factorial(5))\n```", "Final Answer: 120"]),
                                    executor: executor, limits: executor.limits)
        _ = await original.run(goal: "5!", strategy: .codeact, settings: AgentSettings())
        await original.finish()
        let recorded = LoadedSession(url: URL(fileURLWithPath: "/tmp/recorded.jsonl"), events: collected.records, problems: [])

        func rerun(_ session: LoadedSession) async throws -> (RerunReport, RunStatus?) {
            let executor = try ExecutorFixtures.make()
            let recorder = EventRecorder(writer: nil)
            let collected = EventCollector(listeningTo: recorder)
            let again = AgentSession(id: "rerun", recorder: recorder, model: SessionRerun.model(for: session),
                                     executor: executor, limits: executor.limits)
            let report = await SessionRerun.run(session, in: again)
            await again.finish()
            return (report, SessionState(folding: collected.records).runStatus)
        }

        let (same, status) = try await rerun(recorded)
        #expect(same.isIdentical, "\(same.summary)")
        #expect(same.matching == 1)
        #expect(status == .answered)

        var changed = recorded
        changed.events = recorded.events.map { record in
            guard case .execOutput(var output) = record.event else { return record }
            output.chunk = "999\n"
            return EventRecord(seq: record.seq, time: record.time, event: .execOutput(output))
        }
        let (different, _) = try await rerun(changed)
        #expect(!different.isIdentical)
        #expect(different.differences.first?.recorded.contains("999") == true)
        #expect(different.differences.first?.now.contains("120") == true)
    }

    @Test("a recorded model answers with the recorded replies in order, then says it has no more")
    func recordedModel() async throws {
        let model = RecordedModel(events: FixtureSessions.fibonacci())
        let first = try await model.complete(GenerationRequest(messages: []))
        #expect(first.text.hasPrefix("I will compute it iteratively."))
        _ = try await model.complete(GenerationRequest(messages: []))
        await #expect(throws: ModelError.self) { _ = try await model.complete(GenerationRequest(messages: [])) }
    }
}
