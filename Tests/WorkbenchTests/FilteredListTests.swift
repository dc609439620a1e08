import Foundation
import Testing
@testable import Workbench

/// Words kept when they contain the query: the simplest rule, so these tests check the list, not a rule.
private struct Word: Filterable, ExpressibleByStringLiteral {
    let text: String

    init(stringLiteral text: String) { self.text = text }

    static func matches(_ items: [Word], query: String) -> [Word] {
        query.isEmpty ? items : items.filter { $0.text.contains(query) }
    }
}

@Suite("Filtered list: typing, deleting and selecting")
struct FilteredListTests {
    private let words: [Word] = ["plan", "planet", "plane", "code", "output"]

    @Test("typing narrows the matches and returns the selection to the first row; line breaks are not typed")
    func typingNarrows() {
        var list = FilteredList(items: words)
        list.move(by: 3)
        list.type("pla")
        #expect(list.matches.map(\.text) == ["plan", "planet", "plane"])
        #expect(list.selectedIndex == 0)
        list.type("n\ne")
        #expect(list.query == "plane")
        #expect(list.matches.map(\.text) == ["planet", "plane"])
        list.type("x")
        #expect(list.matches.isEmpty)
        #expect(list.selectedIndex == nil)
        #expect(list.selected == nil)
    }

    @Test("deleting backward widens the matches; on an empty query it changes nothing but the selection")
    func deleteWidens() {
        var list = FilteredList(items: words)
        list.type("planet")
        #expect(list.matches.map(\.text) == ["planet"])
        list.deleteBackward()
        list.deleteBackward()
        #expect(list.query == "plan")
        #expect(list.matches.map(\.text) == ["plan", "planet", "plane"])
        list.move(by: 1)
        list.deleteBackward()
        #expect(list.selectedIndex == 0, "a changed query starts from the first row again")
        list.clearQuery()
        list.deleteBackward()
        #expect(list.query.isEmpty)
        #expect(list.matches == words)
    }

    @Test("moving stops at the first and the last match")
    func movingPastTheEnds() {
        var list = FilteredList(items: words)
        list.move(by: -1)
        #expect(list.selectedIndex == 0)
        list.move(by: 2)
        #expect(list.selected?.text == "plane")
        list.move(by: 10)
        #expect(list.selectedIndex == 4)
        #expect(list.selected?.text == "output")
        list.type("plan")
        list.move(by: 5)
        #expect(list.selected?.text == "plane", "the last of the matches, not of the items")
        list.type("x")
        list.move(by: 1)
        #expect(list.selectedIndex == nil, "with no match there is nothing to select")
        list.deleteBackward()
        #expect(list.selected?.text == "plan")
    }

    @Test("new items keep the query and the selected row, clamped to the last match when the list shrinks")
    func selectionClampsWhenTheListShrinks() {
        var list = FilteredList(items: words)
        list.move(by: 3)
        list.replaceItems(["plan", "planet", "code", "output", "input"])
        #expect(list.selected?.text == "output", "the row stays where the new list still reaches it")
        list.replaceItems(["plan", "code"])
        #expect(list.selectedIndex == 1)
        #expect(list.selected?.text == "code")
        list.type("p")
        list.replaceItems(["planet", "plane", "pin"])
        #expect(list.query == "p")
        #expect(list.matches.map(\.text) == ["planet", "plane", "pin"])
        list.move(by: 2)
        list.replaceItems(["code"])
        #expect(list.selectedIndex == nil)
        list.replaceItems(["plan", "pin"])
        #expect(list.selectedIndex == 0, "an empty list left the selection on the first row")
    }

    @Test("the session browser keeps the selected row while a deleted session's directory is read again")
    func browserKeepsRowAcrossRelisting() {
        var state = CommandStates.live()
        _ = CommandStates.submit(&state, "/sessions")
        let sessions = BrowserFixtures.summaries
        _ = Reducer.reduce(&state, .sessionsListed(.success(sessions)))
        _ = TestStates.press(&state, .selectNext)
        _ = TestStates.press(&state, .selectNext)
        _ = TestStates.press(&state, .sessionDelete)
        #expect(TestStates.press(&state, .confirmYes) == [.deleteSession(sessions[2].url)])
        guard case .sessions(let reading) = state.overlay else { Issue.record("browser closed"); return }
        #expect(reading.sessions == nil)
        #expect(reading.matches.isEmpty)
        #expect(reading.selected == nil, "nothing can be opened or deleted until the listing is back")
        _ = Reducer.reduce(&state, .sessionsListed(.success(sessions.filter { $0 != sessions[2] })))
        guard case .sessions(let listed) = state.overlay else { Issue.record("browser closed"); return }
        #expect(listed.selected == sessions[3], "the row after the deleted session is selected")
    }
}
