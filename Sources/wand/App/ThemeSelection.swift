import Foundation
import WandEngine
import WandResources
import Workbench

/// Loads the theme catalogue and picks the theme to start with, reporting unusable theme files.
struct ThemeSelection {
    let catalog: ThemeCatalog
    let name: String

    /// Loads bundled and user themes; `requested` (from `--theme`) must exist if given.
    init(requested: String?, paths: WandPaths) throws {
        catalog = ThemeCatalog(directories: [BundledResources.themesDirectory, paths.userThemes])
        for problem in catalog.problems {
            TerminalOutput.err("warning: theme skipped: \(problem)\n")
        }
        if let requested {
            _ = try catalog.theme(named: requested)
            name = requested
        } else {
            name = catalog.themes["dark"] != nil ? "dark" : (catalog.names.first ?? "fallback")
        }
    }

    /// Whether colours are off (the NO_COLOR convention: set and not empty).
    static var noColor: Bool {
        !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }
}
