import CNcursesw
import Glibc

/// Restores the terminal if Wand crashes while the workbench is open, then lets the crash proceed.
///
/// Installed as signal handlers for the crash signals (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE).
/// `endwin` is not async-signal-safe, but the process is about to die anyway and a terminal left in raw
/// mode is the worse outcome; child processes die with Wand through their parent-death signal.
public enum TerminalRestorer {
    private static let signals = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    /// Installs the handlers while the workbench owns the terminal.
    public static func install() {
        for number in signals {
            signal(number) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Restores the default handlers once the terminal is back to normal.
    public static func uninstall() {
        for number in signals { signal(number, SIG_DFL) }
    }
}
