public import Foundation
import WandResources

/// The engine's view of Wand's bundled files.
public enum WandResourcesLocator {
    /// Wand's Python helpers (kernel driver, setup script).
    public static var python: URL { BundledResources.pythonDirectory }
    /// The bundled demo sessions.
    public static var sessions: URL { BundledResources.sessionsDirectory }
}
