public import Glibc
import Foundation

/// Reads the process table from `/proc`: one place for the sandbox's process count, exit checks and tests.
public enum ProcessTable {
    /// A process's state letter (`R`, `S`, `Z` for a zombie waiting to be reaped, …) and real uid.
    public struct Status: Sendable, Equatable {
        /// The state letter.
        public var state: Character
        /// The real user id.
        public var uid: UInt32
    }

    /// The status of `pid`, or nil when there is no such process.
    public static func status(of pid: pid_t) -> Status? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var state: Character?
        var uid: UInt32?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("State:") {
                state = line.dropFirst("State:".count).first { !$0.isWhitespace }
            } else if line.hasPrefix("Uid:") {
                uid = line.split(separator: "\t").dropFirst().first.flatMap { UInt32($0) }
            }
            if let state, let uid { return Status(state: state, uid: uid) }
        }
        return nil
    }

    /// Whether `pid` is a zombie: it has exited and its parent has not reaped it yet.
    public static func isZombie(_ pid: pid_t) -> Bool {
        status(of: pid)?.state == "Z"
    }

    /// Every process id, in no particular order.
    public static func allPIDs() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// The processes whose real uid is `uid`; zombies are left out when `living` is true.
    public static func pids(ownedBy uid: UInt32, living: Bool = false) -> [pid_t] {
        allPIDs().filter { pid in
            guard let status = status(of: pid), status.uid == uid else { return false }
            return !living || status.state != "Z"
        }
    }

    /// The processes (other than this one) whose command line contains `text`.
    public static func pids(commandContaining text: String) -> [pid_t] {
        allPIDs().filter { pid in
            guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(text)
        }
    }
}
