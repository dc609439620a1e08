public import Foundation
import TerminalUI
public import WandEngine
import Workbench

/// The parsers that read outside input, each with the properties a fuzzer checks on arbitrary bytes.
///
/// The libFuzzer harness (`Fuzz/`) traps on any problem returned here, and the regression tests run
/// every input the fuzzer ever broke (`Tests/Fixtures/fuzz/NAME/`) through the same checks, so a
/// crash found once stays fixed. A crash inside the parser shows as a crash of the harness or the test.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Server-sent events from a model server (`ServerSentEventParser`).
    case sse
    /// A model's reply text (`ReplyParser`).
    case reply
    /// Session files, line by line (`SessionReader.decode`, `EventLineCodec`).
    case session
    /// Theme files (`ThemeCatalog`), several at once to exercise `extends`.
    case theme
    /// Key files (`Keymap.overriding`), and the help overlay they generate.
    case keymap
    /// Eval task files (`TaskFile.parse`).
    case tasks

    /// What is wrong with how the parser handled `input`; empty when every property holds.
    public func problems(in input: [UInt8]) -> [String] {
        switch self {
        case .sse: Self.serverSentEventProblems(input)
        case .reply: Self.replyProblems(String(decoding: input, as: UTF8.self))
        case .session: Self.sessionProblems(input)
        case .theme: Self.themeProblems(String(decoding: input, as: UTF8.self))
        case .keymap: Self.keymapProblems(String(decoding: input, as: UTF8.self))
        case .tasks: Self.taskProblems(String(decoding: input, as: UTF8.self))
        }
    }

    /// Lines as the parsers split them: ended by LF or CRLF.
    static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }

    static func lineCount(_ text: String) -> Int { lines(text).count }

    // MARK: Server-sent events

    /// Events must not depend on how the stream was cut into chunks.
    static func serverSentEventProblems(_ input: [UInt8]) -> [String] {
        func events(_ chunks: [ArraySlice<UInt8>]) -> [String] {
            var parser = ServerSentEventParser()
            var events: [String] = []
            for chunk in chunks { events += parser.feed(chunk) }
            return events + parser.finish()
        }
        let whole = events([input[...]])
        let split = input.isEmpty ? 0 : Int(input[0]) % (input.count + 1)
        var problems: [String] = []
        if events(input.indices.map { input[$0...$0] }) != whole {
            problems.append("byte-by-byte feeding gave other events than one chunk")
        }
        if events([input[..<split], input[split...]]) != whole {
            problems.append("cutting the stream at byte \(split) gave other events than one chunk")
        }
        return problems
    }

    // MARK: Model replies

    /// Nothing in a block or an answer is invented: each of their lines is text the model wrote.
    static func replyProblems(_ text: String) -> [String] {
        let reply = ReplyParser.parse(text)
        var problems: [String] = []
        for (index, block) in reply.blocks.enumerated() {
            for line in lines(block.source) where !line.isEmpty && !text.contains(line) {
                problems.append("block \(index) has a line the reply does not: \(line.debugDescription)")
            }
        }
        if let answer = reply.finalAnswer {
            if answer.isEmpty { problems.append("the final answer is empty instead of absent") }
            for line in lines(answer) where !line.isEmpty && !text.contains(line) {
                problems.append("the final answer has a line the reply does not: \(line.debugDescription)")
            }
        }
        return problems
    }

    // MARK: Session lines

    /// Every non-blank line is an event or a reported problem, on its own line number; a decoded event
    /// written back out reads back to the same line; the listing's scanner reads every line as
    /// `JSONDecoder` reads the same fields.
    static func sessionProblems(_ input: [UInt8]) -> [String] {
        let data = Data(input)
        let loaded = SessionReader().decode(data, url: URL(fileURLWithPath: "/fuzz.jsonl"))
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        let nonBlank = lines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }.count
        var problems: [String] = []
        let versionNotes = loaded.problems.filter { $0.reason.hasPrefix("written by a newer Wand") }.count
        if loaded.events.count + loaded.problems.count - versionNotes != nonBlank {
            problems.append("\(nonBlank) non-blank lines gave \(loaded.events.count) events and \(loaded.problems.count) problems")
        }
        for problem in loaded.problems where !(1...max(1, lines.count)).contains(problem.line) {
            problems.append("problem on line \(problem.line) of \(lines.count)")
        }
        for line in lines {
            problems += listingProblems(Data(line))
        }
        let codec = EventLineCodec()
        for record in loaded.events {
            do {
                var first = try codec.encodeLine(record)
                first.removeLast()
                var second = try codec.encodeLine(codec.decodeLine(first))
                second.removeLast()
                if first != second {
                    problems.append("an event changed when written back and read again:\n\(String(decoding: first, as: UTF8.self))\n\(String(decoding: second, as: UTF8.self))")
                }
            } catch {
                problems.append("a decoded event could not be written back and read again: \(error)")
            }
        }
        return problems
    }

    /// The fields a session listing shows, as `JSONDecoder` reads them: the reference for ``ListingLine``.
    public struct ListingReference: Decodable, Equatable {
        public struct Side: Decodable, Equatable { public var strategy: String }
        public var v: Int
        public var seq: Int
        public var time: String
        public var type: String
        public var goal: String?
        public var strategy: String?
        public var status: String?
        public var comparison: [Side]?
    }

    /// Where ``ListingLine`` and `JSONDecoder` disagree on a line. The scanner may give up on a line the
    /// decoder reads (the listing then decodes it whole) but must never read a field differently, and
    /// must read every line Wand writes.
    public static func listingProblems(_ line: Data) -> [String] {
        let scanned = line.withUnsafeBytes { ListingLine.read($0) }
        guard let scanned else { return [] }
        guard let reference = try? JSONDecoder().decode(ListingReference.self, from: line) else {
            return ["the listing read a line JSONDecoder cannot: \(String(decoding: line, as: UTF8.self))"]
        }
        let expected = ListingLine(v: reference.v, seq: reference.seq, time: reference.time, type: reference.type,
                                   goal: reference.goal, strategy: reference.strategy, status: reference.status,
                                   comparison: reference.comparison?.map(\.strategy))
        guard scanned == expected else {
            return ["the listing read \(scanned), JSONDecoder \(expected): \(String(decoding: line, as: UTF8.self))"]
        }
        return []
    }

    // MARK: Theme files

    /// Splits the input into theme files at lines `#---`, loads them as a catalog, and checks that every
    /// problem names one of the files and a line in it, and that every loaded theme styles every role.
    static func themeProblems(_ text: String) -> [String] {
        let sources = text.components(separatedBy: "\n#---\n").prefix(4)
        var problems: [String] = []
        let single = "/fuzz/theme.toml"
        do {
            let theme = try ThemeCatalog.parse(source: sources.first ?? "", file: single)
            for role in ThemeRoles.defaults.keys { _ = theme.style(role) }
        } catch {
            problems += fileProblems(error, files: [single: sources.first ?? ""])
        }
        guard sources.count > 1 else { return problems }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wand-fuzz-theme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String: String] = [:]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (index, source) in sources.enumerated() {
                let file = directory.appendingPathComponent("theme\(index).toml")
                try Data(source.utf8).write(to: file)
                files[file.path] = source
            }
        } catch {
            return problems + ["could not write the theme files: \(error)"]
        }
        let catalog = ThemeCatalog(directories: [directory])
        for problem in catalog.problems { problems += fileProblems(problem, files: files) }
        for name in catalog.names {
            guard let theme = try? catalog.theme(named: name) else {
                problems.append("the catalog lists `\(name)` but cannot give it")
                continue
            }
            for role in ThemeRoles.defaults.keys { _ = theme.style(role) }
        }
        return problems
    }

    /// A configuration error must name the file it is about and, when it gives a line, one in that file.
    static func fileProblems(_ error: ConfigFileError, files: [String: String]) -> [String] {
        guard let source = files[error.file] else { return ["an error names an unknown file: \(error)"] }
        guard let line = error.line else { return [] }
        let lineCount = Self.lineCount(source)
        return (1...max(1, lineCount)).contains(line) ? [] : ["an error names line \(line) of \(lineCount): \(error)"]
    }

    // MARK: Key files

    /// A key file either fails with a located error or gives a keymap whose help overlay, generated
    /// from it, draws with no control character in any cell.
    static func keymapProblems(_ text: String) -> [String] {
        let file = "/fuzz/keys.toml"
        let keymap: Keymap
        do {
            keymap = try Keymap.standard.overriding(with: TOMLDocument(source: text, file: file))
        } catch {
            return fileProblems(error, files: [file: text])
        }
        var state = ViewState(mode: .live, size: Size(width: 100, height: 60), keymap: keymap)
        state.overlay = .help
        let frame = WorkbenchRenderer.render(state, theme: .fallback)
        let controls = frame.buffer.cells.filter { cell in
            cell.symbol.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }
        }
        return controls.isEmpty ? [] : ["the help overlay drew control characters: \(controls.map(\.symbol).debugDescription)"]
    }

    // MARK: Eval task files

    /// Each line gives at most one task or one error, errors are on real lines, and ids are unique.
    static func taskProblems(_ text: String) -> [String] {
        let (tasks, errors) = TaskFile.parse(text, file: "/fuzz/tasks.jsonl")
        let lineCount = Self.lineCount(text)
        var problems: [String] = []
        if tasks.count + errors.count > lineCount {
            problems.append("\(lineCount) lines gave \(tasks.count) tasks and \(errors.count) errors")
        }
        for error in errors where !(1...lineCount).contains(error.line) {
            problems.append("an error names line \(error.line) of \(lineCount)")
        }
        if Set(tasks.map(\.id)).count != tasks.count { problems.append("two tasks share an id") }
        for task in tasks {
            _ = task.goal
            _ = task.suite
        }
        return problems
    }
}
