import Foundation
import TerminalUI
import Testing
import WandEngine
import WandResources
@testable import Workbench

@Suite("Themes")
struct ThemeTests {
    static var themesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Themes")
    }

    @Test("every theme file in Themes/ loads without problems, including the required three")
    func allThemesLoad() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory.path).filter { $0.hasSuffix(".toml") }
        let catalog = ThemeCatalog(directories: [Self.themesDirectory])
        #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        #expect(catalog.themes.count == files.count)
        for name in ["dark", "light", "high-contrast"] { #expect(catalog.themes[name] != nil) }
    }

    @Test("the bundled copy of the themes matches Themes/")
    func bundled() {
        let bundled = ThemeCatalog(directories: [BundledResources.themesDirectory])
        let source = ThemeCatalog(directories: [Self.themesDirectory])
        #expect(bundled.themes == source.themes)
    }

    @Test("a theme that extends another overrides only what it names")
    func inheritance() throws {
        let catalog = ThemeCatalog(directories: [Self.themesDirectory])
        let dark = try catalog.theme(named: "dark")
        let contrast = try catalog.theme(named: "high-contrast")
        #expect(contrast.style("output.stderr").attributes.contains(.bold))
        #expect(!dark.style("output.stderr").attributes.contains(.bold))
        #expect(contrast.roles["code.keyword"] == dark.roles["code.keyword"], "not overridden, so inherited")
        #expect(contrast.palette["accent"] == .rgb(255, 255, 0))
    }

    @Test("role lookup falls back to the parent role, then to text")
    func fallback() {
        let theme = Theme.fallback
        #expect(theme.style("plan.step.done.extra") == theme.style("plan.step.done"))
        #expect(theme.style("nothing.at.all") == theme.style("text"))
    }

    @Test("broken theme files are reported with their line", arguments: [
        ("name = \"x\"\ncolour = \"red\"\n", 2, "unknown key `colour`"),
        ("name = \"x\"\n[roles]\n\"code.keyword\" = { fg = \"accent\" }\n\"code.kewyord\" = \"red\"\n", 4, "unknown role `code.kewyord`"),
        ("[roles]\n\"code.keyword\" = { fg = \"accent\", blod = true }\n", 2, "unknown key `blod` in role `code.keyword`"),
        ("[palette]\naccent = \"#12345\"\n", 2, "palette colour `accent` is not a colour"),
        ("[roles]\n\"text\" = { fg = \"nonexistent\" }\n", 2, "`fg` of role `text` is neither a palette name nor a colour"),
        ("name = \"x\"\n[palette\n", 2, "Error while parsing table header: expected ']'"),
        ("name = \"x\"\n\n[\u{13}\u{13}]\n", 3, "control character U+0013 is not allowed in TOML"),
        ("name = \"x\\u0007\"\r\nbad = \"\u{7}\"\r\n", 2, "control character U+0007 is not allowed in TOML"),
        ("name = \"x\"\r\n[roles]\r\n\"code.kewyord\" = \"red\"\r\n", 3, "unknown role `code.kewyord`"),
        ("name = \"x\"\n[\nroles]\n", 2, "a table header needs a name after `[`, on the same line"),
        ("[palette]\naccent = [\n  [\n    \"#ff0000\"\n  ]\n]\n", 2, "palette colour `accent` is not a colour"),
        ("[palette]\naccent = [{ a = \"#ff0000\" }, }\n", 2, "`}` where the array expects a value or `]`"),
        ("\u{FEFF}[/roles]\n", 1, "a table header needs a name after `[`, on the same line"),
    ])
    func brokenTheme(source: String, line: Int, message: String) throws {
        let error = try #require(throws: ConfigFileError.self) {
            try ThemeCatalog.parse(source: source, file: "/themes/broken.toml")
        }
        #expect(error.line == line)
        #expect(error.file == "/themes/broken.toml")
        #expect(error.message.hasPrefix(message), "\(error.message)")
        #expect(error.description.hasPrefix("/themes/broken.toml:\(line): "))
    }

    @Test("a broken file in a directory is skipped and reported; the others still load")
    func brokenFileInCatalog() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "name = \"ok\"\n".write(to: directory.appendingPathComponent("ok.toml"), atomically: true, encoding: .utf8)
        try "name = \"bad\"\nextends = \"ok\"\n[roles]\n\"pane.bordr\" = \"red\"\n"
            .write(to: directory.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
        try "name = \"orphan\"\nextends = \"missing\"\n"
            .write(to: directory.appendingPathComponent("orphan.toml"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [directory])
        #expect(catalog.names == ["ok"])
        #expect(catalog.problems.map(\.line).sorted(by: { ($0 ?? 0) < ($1 ?? 0) }) == [2, 4])
        #expect(catalog.problems.contains { $0.message == "extends unknown theme `missing`" })
        #expect(throws: ConfigFileError.self) { try catalog.theme(named: "solarized") }
    }

    @Test("key files rebind actions and report unknown names with their line")
    func keyFile() throws {
        let document = try TOMLDocument(source: "[global]\n\"app.quit\" = [\"ctrl-x\", \"f10\"]\n", file: "keys.toml")
        let keymap = try Keymap.standard.overriding(with: document)
        #expect(keymap.action(for: .control("x"), in: [.global]) == .quit)
        #expect(keymap.action(for: .control("q"), in: [.global]) == nil)
        #expect(keymap.action(for: .function(1), in: [.global]) == .help, "other bindings are kept")
        let bad = try TOMLDocument(source: "[global]\n\"app.quit\" = \"ctrl-x\"\n\"app.jump\" = \"j\"\n", file: "keys.toml")
        let error = try #require(throws: ConfigFileError.self) { try Keymap.standard.overriding(with: bad) }
        #expect(error.line == 3)
    }
}
