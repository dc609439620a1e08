public import Foundation

/// Files that ship inside Wand's resource bundle: themes, demo sessions and the Python kernel driver.
///
/// `Themes/` and `Sessions/` live at the repository's top level; this target reaches them through
/// symbolic links so SwiftPM copies them into the bundle next to the `wand` binary.
public enum BundledResources {
    /// The directory holding the bundled theme files (`*.toml`).
    public static var themesDirectory: URL { directory("Themes") }

    /// The directory holding the bundled demo sessions (`*.jsonl`).
    public static var sessionsDirectory: URL { directory("Sessions") }

    /// The directory holding Wand's Python helpers (kernel driver, process guard).
    public static var pythonDirectory: URL { directory("Python") }

    private static func directory(_ name: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent(name, isDirectory: true)
    }
}
