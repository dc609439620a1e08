import Foundation
import Glibc
import Synchronization
import TerminalUI

/// Shows progress on standard error: one redrawn line on a terminal, plain lines when redirected.
final class ProgressLine: Sendable {
    private let isTerminal = isatty(2) == 1
    private let last = Mutex<(text: String, when: Double)>(("", 0))

    /// Shows a step's status; `fraction` draws a bar.
    func show(_ text: String, fraction: Double?, finished: Bool) {
        var line = text
        if let fraction {
            let width = 20
            let filled = max(0, min(width, Int(fraction * Double(width))))
            line += "  [" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
                + String(format: "%3.0f%%", fraction * 100)
        }
        if isTerminal {
            let columns = Self.terminalWidth
            let shown = line.count > columns - 1 ? String(line.prefix(columns - 2)) + "…" : line
            // The line-clearing sequence is Wand's own; only the text it shows is made inert.
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + InertText.make(shown) + (finished ? "\n" : "")).utf8))
            return
        }
        let now = Date().timeIntervalSince1970
        let shouldPrint = last.withLock { last -> Bool in
            let changedText = last.text != text
            guard finished || changedText || now - last.when >= 15 else { return false }
            last = (text, now)
            return true
        }
        if shouldPrint { TerminalOutput.err((line + "\n")) }
    }

    private static var terminalWidth: Int {
        var size = winsize()
        return ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }
}
