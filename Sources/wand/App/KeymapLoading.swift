import Foundation
import WandEngine
import Workbench

/// Loads `keys.toml` from the configuration directory over the standard bindings; a broken file is
/// reported and the standard bindings are kept.
enum KeymapLoading {
    static func load(paths: WandPaths) -> Keymap {
        let file = paths.config.appendingPathComponent("keys.toml")
        guard FileManager.default.fileExists(atPath: file.path) else { return .standard }
        do {
            return try Keymap.standard.overriding(with: TOMLDocument(contentsOf: file))
        } catch {
            TerminalOutput.err("warning: key bindings ignored: \(error)\n")
            return .standard
        }
    }
}
