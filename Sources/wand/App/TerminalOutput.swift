import Foundation
import TerminalUI

/// The one way the commands write text to standard output and standard error. Everything passes
/// through ``InertText``: transcripts, lists and messages quote what models, programs, session files
/// and task files contain, and none of it may act on the user's terminal.
enum TerminalOutput {
    /// Writes to standard output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(InertText.make(text).utf8))
    }

    /// Writes to standard error.
    static func err(_ text: String) {
        FileHandle.standardError.write(Data(InertText.make(text).utf8))
    }

    /// A JSON line with DEL and C1 controls written as `\u` escapes (``InertText/escapingControls(json:)``).
    static func escapingControls(json line: Data) -> Data {
        Data(InertText.escapingControls(json: String(decoding: line, as: UTF8.self)).utf8)
    }

    /// Writes a line to standard output.
    static func line(_ text: String = "") { out(text + "\n") }
}
