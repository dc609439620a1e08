import Foundation
public import TerminalUI
public import Testing

/// Plain-text snapshots of rendered frames, stored as `__Snapshots__/NAME.txt` next to the test file.
///
/// The file starts with a `size WxH` line, then one line per row between `|` marks so trailing spaces
/// show. A missing snapshot is written and the test fails until it is reviewed; set
/// `WAND_RECORD_SNAPSHOTS=1` to rewrite all of them (the run fails too, so nothing is recorded silently).
public enum Snapshot {
    /// The text form of a buffer.
    public static func text(of buffer: Buffer) -> String {
        var lines = ["size \(buffer.width)x\(buffer.height)"]
        lines += buffer.textLines().map { "|" + $0 + "|" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Compares a frame with its stored snapshot, recording a failure with the first differing rows.
    public static func assertMatches(_ frame: Frame, named name: String, testFile: String = #filePath,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
        let directory = URL(fileURLWithPath: testFile).deletingLastPathComponent()
            .appendingPathComponent("__Snapshots__", isDirectory: true)
        let file = directory.appendingPathComponent(name + ".txt")
        let actual = text(of: frame.buffer)
        let record = ProcessInfo.processInfo.environment["WAND_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("Recorded snapshot \(file.path); review it and run the tests again", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var report = ["Snapshot \(name) differs (\(file.path)):"]
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let left = index < expectedLines.count ? String(expectedLines[index]) : "<none>"
            let right = index < actualLines.count ? String(actualLines[index]) : "<none>"
            if left != right {
                report.append("row \(index): expected \(left)")
                report.append("row \(index): actual   \(right)")
            }
            if report.count > 12 { break }
        }
        Issue.record(Comment(rawValue: report.joined(separator: "\n")), sourceLocation: sourceLocation)
    }
}
