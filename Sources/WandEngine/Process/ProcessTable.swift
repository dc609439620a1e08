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
        allPIDs().filter { pid in pid != getpid() && commandLine(of: pid).contains(text) }
    }

    /// A process as a whole identity: its id and its start time (clock ticks after boot), so a check on a
    /// process that has ended is never fooled by a new process that got the same id.
    public struct Identity: Sendable, Hashable {
        /// The process id.
        public var pid: pid_t
        /// When it started, from `/proc/PID/stat`.
        public var startTime: UInt64
    }

    /// The parent id and start time of `pid`, from `/proc/PID/stat`.
    static func parentAndStart(of pid: pid_t) -> (parent: pid_t, start: UInt64)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // The command name in parentheses may hold spaces; the fields after it are plain numbers.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let parent = pid_t(fields[1]), let start = UInt64(fields[19]) else { return nil }
        return (parent, start)
    }

    /// Every living process descended from `pid` (children, their children, …), with its identity.
    public static func descendants(of pid: pid_t) -> [Identity] {
        var children: [pid_t: [Identity]] = [:]
        for candidate in allPIDs() {
            guard let (parent, start) = parentAndStart(of: candidate) else { continue }
            children[parent, default: []].append(Identity(pid: candidate, startTime: start))
        }
        var found: [Identity] = []
        var frontier = [pid]
        while let next = frontier.popLast() {
            for child in children[next] ?? [] where !isZombie(child.pid) {
                found.append(child)
                frontier.append(child.pid)
            }
        }
        return found
    }

    /// Whether the process is still running: same id, same start time, and not a zombie.
    public static func isAlive(_ process: Identity) -> Bool {
        guard let (_, start) = parentAndStart(of: process.pid), start == process.startTime else { return false }
        return !isZombie(process.pid)
    }

    /// The command line of `pid`, arguments separated by spaces; empty when it cannot be read.
    public static func commandLine(of pid: pid_t) -> String {
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }
}
