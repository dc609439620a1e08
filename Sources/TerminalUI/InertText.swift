/// Text that came from a model, a program, a session file or a tool, made safe to write to a terminal.
///
/// A terminal acts on control characters and escape sequences: `ESC ]0;…BEL` renames the window,
/// `ESC [2J` clears the screen, `ESC ]52;c;…BEL` writes the clipboard. A shared session or a model's
/// output must not be able to do any of that, so every C0 control but tab and newline becomes its
/// visible Unicode control picture (`␛`, `␇`, `␍`), DEL becomes `␡`, and C1 controls (which some
/// terminals also act on) become U+FFFD, as the workbench shows them. A CR before a newline is dropped
/// rather than shown: models and Windows-made files end lines that way.
public enum InertText {
    /// The text with every control character made visible and inert.
    public static func make(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsReplacing) else { return text }
        var scalars = String.UnicodeScalarView()
        var pendingReturn = false
        for scalar in text.unicodeScalars {
            if pendingReturn {
                pendingReturn = false
                if scalar != "\n" { scalars.append("\u{240D}") }
            }
            switch scalar.value {
            case 0x0D: pendingReturn = true
            case 0x09, 0x0A: scalars.append(scalar)
            case 0x00...0x1F: scalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: scalars.append("\u{2421}")
            case 0x80...0x9F: scalars.append("\u{FFFD}")
            default: scalars.append(scalar)
            }
        }
        if pendingReturn { scalars.append("\u{240D}") }
        return String(scalars)
    }

    /// JSON text with DEL and C1 controls written as `\u` escapes: JSON encoders escape only C0, and the
    /// JSON may be read on a terminal. These characters can only occur inside strings, where the escape
    /// means the same character, so the JSON is unchanged.
    public static func escapingControls(json text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return text }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                let hex = String(scalar.value, radix: 16)
                escaped.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    private static func needsReplacing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}
