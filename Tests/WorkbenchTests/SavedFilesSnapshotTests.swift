import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
import Workbench

/// The files a step saved, listed under its output in the Output pane with the workspace they are in.
@Suite("Saved files in the Output pane")
struct SavedFilesSnapshotTests {
    static let sizes = [Size(width: 40, height: 12), Size(width: 120, height: 40)]
    static let root = "/home/ada/.local/share/wand/workspaces"
    let theme = Theme.fallback

    static func tag(_ size: Size) -> String { "\(size.width)x\(size.height)" }

    /// The fixture's second attempt ending after it saved `files` (and `more` besides).
    static func saved(_ files: [WorkspaceFile], more: Int? = nil, size: Size, workspaceRoot: String? = root) -> ViewState {
        var state = TestStates.live(size, events: 19)
        state.workspaceRoot = workspaceRoot
        let finished = ExecFinished(attempt: 2, exitStatus: 0, value: "832040", durationMs: 9, files: files, moreFiles: more)
        _ = Reducer.reduce(&state, .event(EventRecord(seq: 20, time: FixtureSessions.start, event: .execFinished(finished))))
        return state
    }

    static let plotAndTable = [WorkspaceFile(path: "plot.png", size: 14_321), WorkspaceFile(path: "results/table.csv", size: 120)]

    @Test("each saved file is listed under the output, images marked, then how many more and the workspace", arguments: sizes)
    func listed(size: Size) {
        let state = Self.saved(Self.plotAndTable, more: 3, size: size)
        #expect(state.session.attempts.last?.result?.files == Self.plotAndTable, "the fold keeps them on the attempt")
        Snapshot.assertMatches(WorkbenchRenderer.renderPane(.output, state, theme: theme, size: size),
                               named: "pane-output-files-\(Self.tag(size))")
    }

    @Test("a listed file is drawn with the output.file role")
    func fileRole() throws {
        let dark = try ThemeCatalog(directories: [ThemeTests.themesDirectory]).theme(named: "dark")
        let size = Size(width: 120, height: 40)
        let buffer = WorkbenchRenderer.renderPane(.output, Self.saved(Self.plotAndTable, size: size), theme: dark, size: size).buffer
        let rows = buffer.textLines()
        let row = try #require(rows.firstIndex { $0.contains("saved plot.png (image, 13 KiB)") })
        let column = try #require(rows[row].range(of: "saved")).lowerBound.utf16Offset(in: rows[row])
        #expect(buffer[column, row].style == dark.style("output.file"))
        #expect(dark.style("output.file") != dark.style("output.stdout"))
    }

    @Test("without a known workspace (a replay from another machine) the files are listed without it")
    func noWorkspace() {
        let size = Size(width: 120, height: 40)
        let rows = WorkbenchRenderer.renderPane(.output, Self.saved(Self.plotAndTable, size: size, workspaceRoot: nil),
                                                theme: theme, size: size).buffer.textLines()
        #expect(rows.contains { $0.contains("saved results/table.csv (120 bytes)") })
        #expect(!rows.contains { $0.contains(" in /") })
    }

    @Test("the workspace is the session's directory under the root; an id that is not a directory name gives none")
    func workspacePath() {
        var state = Self.saved(Self.plotAndTable, size: Size(width: 120, height: 40))
        #expect(state.workspace == Self.root + "/fixture-fibonacci")
        state.session.started?.session = "../../etc"
        #expect(state.workspace == nil)
    }

    @Test("a file name holding an escape sequence and a line break is shown inert, on one line")
    func hostileName() {
        let size = Size(width: 120, height: 40)
        let state = Self.saved([WorkspaceFile(path: "evil\u{1B}]0;pwned\u{07}\nnext.png", size: 3)], size: size)
        let rows = WorkbenchRenderer.renderPane(.output, state, theme: theme, size: size).buffer.textLines()
        #expect(rows.contains { $0.contains("▤ saved evil␛]0;pwned␇␊next.png (image, 3 bytes)") }, "\(rows)")
        #expect(!rows.joined().unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
