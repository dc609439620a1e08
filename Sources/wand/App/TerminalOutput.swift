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

    /// A JSON line with DEL and C1 controls written as `\u` escapes: JSON encoders escape only C0, and
    /// the line may be read on a terminal. The characters can only occur inside strings, where the
    /// escape means the same character, so the JSON is unchanged.
    static func escapingControls(json line: Data) -> Data {
        let text = String(decoding: line, as: UTF8.self)
        guard text.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return line }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                escaped += String(format: "\\u%04x", scalar.value)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return Data(escaped.utf8)
    }

    /// Writes a line to standard output.
    static func line(_ text: String = "") { out(text + "\n") }
}
