import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
@testable import Workbench

/// States and contexts for the command tests.
enum CommandStates {
    static let choices = CommandChoices(profiles: [
        .init(name: "local", model: "qwen2.5-coder-0.5b-instruct"),
        .init(name: "fast", model: "fake-fast"),
        .init(name: "openai", model: "gpt-4o-mini", problem: "profile `openai` reads its API key from $OPENAI_API_KEY, which is not set"),
    ], exportFormats: ["markdown", "cast", "chat-jsonl"])

    static func live(_ size: Size = Size(width: 120, height: 40)) -> ViewState {
        ViewState(mode: .live, size: size, themeNames: TestStates.themeNames, history: ["What is 6 * 7?"],
                  live: LiveSettings(model: "qwen2.5-coder-0.5b-instruct", strategy: "codeact", sandbox: "bubblewrap",
                                     profile: "local", choices: choices))
    }

    static func context(lastGoal: String? = "What is 6 * 7?", attempts: [Int] = [1, 2]) -> CommandContext {
        CommandContext(choices: choices, strategy: .codeact, profile: "local", lastGoal: lastGoal, attempts: attempts,
                       hasSession: !attempts.isEmpty)
    }

    static func submit(_ state: inout ViewState, _ text: String) -> [Effect] {
        state.prompt.setText(text)
        return TestStates.press(&state, .submit)
    }
}

@Suite("Commands: parsing")
struct CommandParserTests {
    func parse(_ text: String, _ context: CommandContext = CommandStates.context()) -> Result<CommandInvocation, CommandError> {
        CommandParser.parse(text, in: context)
    }

    @Test("every setting command parses its argument")
    func settings() {
        #expect(parse("/strategy pal") == .success(.strategy(.pal)))
        #expect(parse("  /strategy   PAL ") == .success(.strategy(.pal)))
        #expect(parse("/model fast") == .success(.model(profile: "fast")))
        #expect(parse("/reflect on") == .success(.reflect(true)))
        #expect(parse("/reflect off") == .success(.reflect(false)))
        #expect(parse("/approve ask") == .success(.approve(.ask)))
        #expect(parse("/samples 8") == .success(.samples(8)))
        #expect(parse("/sessions") == .success(.sessions))
        #expect(parse("/clear") == .success(.clear))
        #expect(parse("/help") == .success(.help))
        #expect(parse("/fork") == .success(.fork(attempt: nil)))
        #expect(parse("/fork 2") == .success(.fork(attempt: 2)))
        #expect(parse("/export markdown") == .success(.export(format: "markdown", file: nil)))
        #expect(parse("/export cast  my demo.cast ") == .success(.export(format: "cast", file: "my demo.cast")))
    }

    @Test("errors name what was wrong and what is known")
    func errors() {
        #expect(parse("/strategy pall") == .failure(CommandError(
            "unknown strategy \"pall\"; known: auto, vote, codeact, pal, plan, tdd, sample")))
        #expect(parse("/strat pal") == .failure(CommandError(
            "unknown command \"/strat\"; did you mean /strategy? commands: /strategy, /model, /reflect, /approve, /samples, "
                + "/compare, /sessions, /fork, /export, /clear, /help")))
        #expect(parse("/strategy") == .failure(CommandError(
            "/strategy NAME needs a strategy: auto, vote, codeact, pal, plan, tdd, sample")))
        #expect(parse("/strategy pal codeact") == .failure(CommandError("/strategy NAME takes one argument, got \"pal codeact\"")))
        #expect(parse("/samples many") == .failure(CommandError("/samples N needs a whole number from 1 to 32, got \"many\"")))
        #expect(parse("/samples 0") == .failure(CommandError("/samples N needs a whole number from 1 to 32, got \"0\"")))
        #expect(parse("/reflect maybe") == .failure(CommandError("/reflect on|off takes on or off, got \"maybe\"")))
        #expect(parse("/model gpt5") == .failure(CommandError(
            "unknown profile \"gpt5\"; known: local, fast, openai (see `wand models`)")))
        #expect(parse("/model openai") == .failure(CommandError(
            "profile \"openai\" cannot be used: profile `openai` reads its API key from $OPENAI_API_KEY, which is not set")))
        #expect(parse("/fork 9") == .failure(CommandError("no attempt 9 to fork after; this session has 1–2")))
        #expect(parse("/fork", CommandStates.context(attempts: [])) == .failure(CommandError("nothing to fork yet: run a goal first")))
        #expect(parse("/clear now") == .failure(CommandError("/clear takes no argument, got \"now\"")))
        #expect(parse("/export md") == .failure(CommandError("unknown export format \"md\"; known: markdown, cast, chat-jsonl")))
        #expect(parse("/export", CommandStates.context(attempts: [])) == .failure(CommandError("nothing to export yet: run a goal first")))
        #expect(parse("/") == .failure(CommandError(
            "type a command after \"/\"; commands: /strategy, /model, /reflect, /approve, /samples, /compare, /sessions, /fork, "
                + "/export, /clear, /help")))
    }

    @Test("compare takes two strategies, two profiles or STRATEGY@PROFILE, and the last goal by default")
    func compare() {
        let codeact = ComparisonRequest.Side(strategy: .codeact, profile: "local")
        #expect(parse("/compare codeact,pal") == .success(.compare(ComparisonRequest(
            sides: [codeact, .init(strategy: .pal, profile: "local")], goal: "What is 6 * 7?"))))
        #expect(parse("/compare local,fast Sum 1..10") == .success(.compare(ComparisonRequest(
            sides: [codeact, .init(strategy: .codeact, profile: "fast")], goal: "Sum 1..10"))))
        #expect(parse("/compare pal@fast,auto@local  two words ") == .success(.compare(ComparisonRequest(
            sides: [.init(strategy: .pal, profile: "fast"), .init(strategy: .auto, profile: "local")], goal: "two words"))))
        #expect(parse("/compare codeact") == .failure(CommandError(
            "/compare A,B [GOAL] needs two sides separated by a comma, such as codeact,pal; each a strategy (auto, vote, codeact, "
                + "pal, plan, tdd, sample), a profile (local, fast, openai) or STRATEGY@PROFILE")))
        #expect(parse("/compare codeact,pall") == .failure(CommandError(
            "\"pall\" is neither a strategy (auto, vote, codeact, pal, plan, tdd, sample) nor a profile (local, fast, openai)")))
        #expect(parse("/compare codeact,codeact") == .failure(CommandError(
            "both sides of /compare are codeact with local; name two that differ")))
        #expect(parse("/compare codeact,pal", CommandStates.context(lastGoal: nil)) == .failure(CommandError(
            "/compare needs a goal: no goal has run yet, so type codeact,pal and then the goal")))
    }

    @Test("a goal that does not start with / is not a command")
    func notCommand() {
        #expect(CommandParser.isCommand("  /help"))
        #expect(!CommandParser.isCommand("What is 1/2?"))
    }
}

@Suite("Commands: completion and hints")
struct CommandCompletionTests {
    let choices = CommandStates.choices

    @Test("Tab completes a command name, then its argument, as far as the candidates agree")
    func complete() {
        #expect(CommandCompletion.complete("/str", choices: choices) == "/strategy ")
        #expect(CommandCompletion.complete("/s", choices: choices) == "/s")
        #expect(CommandCompletion.complete("/se", choices: choices) == "/sessions")
        #expect(CommandCompletion.complete("/strategy p", choices: choices) == "/strategy p")
        #expect(CommandCompletion.complete("/strategy pa", choices: choices) == "/strategy pal")
        #expect(CommandCompletion.complete("/strategy co", choices: choices) == "/strategy codeact")
        #expect(CommandCompletion.complete("/model f", choices: choices) == "/model fast")
        #expect(CommandCompletion.complete("/compare codeact,p", choices: choices) == "/compare codeact,p")
        #expect(CommandCompletion.complete("/compare codeact,pa", choices: choices) == "/compare codeact,pal")
        #expect(CommandCompletion.complete("/compare pal@f", choices: choices) == "/compare pal@fast")
        #expect(CommandCompletion.complete("/nothing", choices: choices) == "/nothing")
    }

    @Test("the hint lists what may follow")
    func hint() {
        #expect(CommandCompletion.hint("/s", choices: choices) == "/strategy NAME · /samples N · /sessions")
        #expect(CommandCompletion.hint("/strategy ", choices: choices)
            == "/strategy NAME — Use another strategy from the next goal: auto, vote, codeact, pal, plan, tdd, sample")
        #expect(CommandCompletion.hint("/strategy p", choices: choices) == "/strategy NAME: pal, plan")
        #expect(CommandCompletion.hint("/strategy x", choices: choices) == "/strategy NAME: nothing starts with \"x\"")
        #expect(CommandCompletion.hint("/x", choices: choices) == "no command starts with /x · /help lists them")
    }
}

@Suite("Commands: reducer")
struct CommandReducerTests {
    @Test("a setting command changes what the status bar shows, asks the controller, and clears the prompt")
    func strategy() {
        var state = CommandStates.live()
        let effects = CommandStates.submit(&state, "/strategy pal")
        #expect(effects == [.recordHistory("/strategy pal"), .changeSetting(.strategy(.pal))])
        #expect(state.live?.strategy == "pal")
        #expect(state.prompt.text.isEmpty)
        #expect(state.message == "Strategy pal from the next goal")
        #expect(StatusBar.segments(state).contains { $0.label == "strategy" && $0.value == "pal" })
        _ = CommandStates.submit(&state, "/model fast")
        #expect(StatusBar.segments(state).contains { $0.label == "model" && $0.value == "fake-fast" })
    }

    @Test("a mistyped command stays in the prompt with the reason under it, until the text changes")
    func refused() {
        var state = CommandStates.live()
        #expect(CommandStates.submit(&state, "/strategy pall").isEmpty)
        #expect(state.prompt.text == "/strategy pall")
        #expect(state.commandError == "unknown strategy \"pall\"; known: auto, vote, codeact, pal, plan, tdd, sample")
        #expect(CommandLineHint.text(state)?.role == "prompt.error")
        _ = TestStates.press(&state, .deleteBackward)
        #expect(state.commandError == nil)
        #expect(CommandLineHint.text(state)?.text == "/strategy NAME: pal")
    }

    @Test("/export asks for the export of the session, once there is one")
    func export() {
        var state = CommandStates.live()
        #expect(CommandStates.submit(&state, "/export markdown").isEmpty)
        #expect(state.commandError == "nothing to export yet: run a goal first")
        for record in FixtureSessions.fibonacci() { _ = Reducer.reduce(&state, .event(record)) }
        #expect(CommandStates.submit(&state, "/export markdown run.md")
            == [.recordHistory("/export markdown run.md"), .export(format: "markdown", file: "run.md")])
    }

    @Test("Tab completes in the prompt only while it holds a command")
    func tab() {
        var state = CommandStates.live()
        TestStates.type(&state, "/str")
        _ = Reducer.reduce(&state, .key(.tab))
        #expect(state.prompt.text == "/strategy ")
        #expect(state.focus == .prompt)
        state.prompt.setText("a goal")
        _ = Reducer.reduce(&state, .key(.tab))
        #expect(state.focus == .plan, "without a command Tab moves focus")
    }

    @Test("the palette filters as you type and runs a command, or puts one with an argument in the prompt")
    func palette() {
        var state = CommandStates.live()
        _ = Reducer.reduce(&state, .key(.control("p")))
        #expect(state.overlay == .palette(CommandPalette()))
        TestStates.type(&state, "sess")
        guard case .palette(let palette) = state.overlay else { Issue.record("palette closed"); return }
        #expect(palette.matches.first?.name == .sessions, "a command whose name starts with the filter comes first")
        #expect(TestStates.press(&state, .paletteChoose) == [.listSessions])
        #expect(state.overlay == .sessions(SessionBrowser()))

        state = CommandStates.live()
        _ = Reducer.reduce(&state, .key(.control("p")))
        _ = TestStates.press(&state, .selectNext)
        #expect(TestStates.press(&state, .paletteChoose).isEmpty)
        #expect(state.overlay == nil)
        #expect(state.prompt.text == "/model ")
    }

    @Test("the browser filters after /, confirms a delete, and opens the selected session")
    func browser() {
        var state = CommandStates.live()
        #expect(CommandStates.submit(&state, "/sessions") == [.recordHistory("/sessions"), .listSessions])
        let sessions = BrowserFixtures.summaries
        _ = Reducer.reduce(&state, .sessionsListed(.success(sessions)))
        TestStates.type(&state, "/fib")
        guard case .sessions(let browser) = state.overlay else { Issue.record("browser closed"); return }
        #expect(browser.matches.map(\.id) == ["20261124-093000-0b1c"])
        _ = TestStates.press(&state, .filterDone)
        _ = Reducer.reduce(&state, .key(.character("d")))
        _ = Reducer.reduce(&state, .key(.character("x")))
        guard case .sessions(let kept) = state.overlay else { Issue.record("browser closed"); return }
        #expect(!kept.isConfirmingDelete, "any key but yes keeps the session")
        _ = Reducer.reduce(&state, .key(.character("d")))
        #expect(Reducer.reduce(&state, .key(.character("y"))) == [.deleteSession(sessions[1].url)])
        _ = Reducer.reduce(&state, .sessionsListed(.success(sessions)))
        #expect(Reducer.reduce(&state, .key(.character("f"))) == [.openSession(sessions[1].url, .fork)])
        #expect(state.overlay == nil)
    }

    @Test("/compare shows the comparison and folds its events side by side; Esc cancels, then closes it")
    func compare() {
        var state = CommandStates.live()
        let effects = CommandStates.submit(&state, "/compare codeact,pal")
        let request = ComparisonRequest(sides: [.init(strategy: .codeact, profile: "local"), .init(strategy: .pal, profile: "local")],
                                        goal: "What is 6 * 7?")
        #expect(effects == [.recordHistory("/compare codeact,pal"), .startComparison(request)])
        #expect(state.isBusy)
        for record in FixtureSessions.comparison() { _ = Reducer.reduce(&state, .comparisonEvent(record)) }
        #expect(state.comparison?.sides.map(\.session.answer) == ["385", "385"])
        #expect(state.comparison?.sides.map { $0.session.attempts.map(\.number) } == [[1, 2], [3]])
        #expect(TestStates.press(&state, .cancel) == [.cancelRun])
        _ = Reducer.reduce(&state, .comparisonEnded(error: nil))
        #expect(TestStates.press(&state, .cancel).isEmpty)
        #expect(state.comparison == nil)
    }

    @Test("during a comparison the status bar counts the steps, tokens, cost and time of its runs so far")
    func comparisonStatusBar() throws {
        func statusBar(_ state: ViewState) -> String {
            WorkbenchRenderer.renderStatusBar(state, theme: .fallback, width: 160).buffer.textLines()[0]
        }
        var events = FixtureSessions.comparison()
        guard case .sessionStarted(var started) = events[0].event,
              case .sessionFinished(let finished) = try #require(events.last).event else {
            Issue.record("the fixture starts and finishes a session"); return
        }
        let pricing = ModelPricing(promptPerMillion: 1, completionPerMillion: 2)
        started.pricing = pricing
        events[0].event = .sessionStarted(started)

        var state = CommandStates.live()
        _ = CommandStates.submit(&state, "/compare codeact,pal")
        for record in events.prefix(13) { _ = Reducer.reduce(&state, .comparisonEvent(record)) }
        let firstSide = TokenUsage(prompt: 180 + 260, completion: 40 + 38)
        #expect(statusBar(state).contains("tokens \(firstSide.total) $\(String(format: "%.4f", pricing.cost(of: firstSide)))"),
                "the first side's two finished model calls, while it runs: \(statusBar(state))")

        for record in events.dropFirst(13) { _ = Reducer.reduce(&state, .comparisonEvent(record)) }
        _ = Reducer.reduce(&state, .comparisonEnded(error: nil))
        let total = finished.totals.usage
        #expect(statusBar(state).contains("tokens \(total.total) $\(String(format: "%.4f", pricing.cost(of: total)))"),
                "both runs, as session.finished records them: \(statusBar(state))")
        let sides = try #require(state.comparison?.sides)
        let steps = sides.map { String($0.session.attempts.count) }.joined(separator: " · ")
        #expect(statusBar(state).contains("step \(steps) "), "each side's steps: \(statusBar(state))")
        let seconds = sides.reduce(0) { $0 + $1.seconds(now: nil) }
        #expect(seconds > 0)
        #expect(statusBar(state).contains("time \(StatusBar.formatElapsed(seconds))"), "both sides' time: \(statusBar(state))")
    }

    @Test("replaying a comparison moves both sides, forward and back")
    func replayComparison() {
        let events = FixtureSessions.comparison()
        var state = ViewState(mode: .replay, size: Size(width: 120, height: 40), themeNames: TestStates.themeNames)
        var replay = ReplayState(fileName: "compare.jsonl", events: events)
        state.session = replay.seek(to: 1, from: state.session)
        state.replay = replay
        state.comparison = ComparisonState(events: events)
        state.comparison?.seek(in: events, to: 1)
        _ = TestStates.press(&state, .replayEnd)
        #expect(state.comparison?.sides.map(\.session.runStatus) == [.answered, .answered])
        _ = TestStates.press(&state, .replayStart)
        #expect(state.comparison?.position == 0)
        #expect(state.comparison?.sides.allSatisfy { $0.session.attempts.isEmpty } == true)
    }
}

/// Saved-session summaries for the browser's tests and snapshots.
enum BrowserFixtures {
    static func summary(_ id: String, goal: String, strategy: String, status: RunStatus?, events: Int,
                        comparison: Bool = false) -> SessionSummary {
        let time = EventTime.parse(String(id.prefix(4)) + "-" + id.dropFirst(4).prefix(2) + "-" + id.dropFirst(6).prefix(2) + "T"
            + id.dropFirst(9).prefix(2) + ":" + id.dropFirst(11).prefix(2) + ":00.000Z")
        return SessionSummary(id: id, url: URL(fileURLWithPath: "/sessions/\(id).jsonl"), started: time, goal: goal,
                              strategy: strategy, isComparison: comparison, status: status, eventCount: events, problemCount: 0)
    }

    static let summaries = [
        summary("20261125-101500-a3f2", goal: "What is the sum of the squares of 1 to 10? Use code.", strategy: "codeact vs pal",
                status: .answered, events: 29, comparison: true),
        summary("20261124-093000-0b1c", goal: "What is the 30th Fibonacci number (F1 = F2 = 1)? Use code.", strategy: "plan",
                status: .answered, events: 26),
        summary("20261123-180000-77aa", goal: "Sort the words of a sentence by length and print them", strategy: "codeact",
                status: .budgetExhausted, events: 412),
        summary("20261122-120500-c0de", goal: "Count the primes below one million", strategy: "auto", status: nil, events: 57),
    ]
}
