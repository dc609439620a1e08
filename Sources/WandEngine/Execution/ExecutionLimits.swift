/// Per-step limits on executed code. Hitting one ends only that step, with a message the model can read.
public struct ExecutionLimits: Sendable, Equatable {
    /// Wall-clock seconds per step.
    public var timeout: Double
    /// CPU seconds per step.
    public var cpuSeconds: Int
    /// Memory in MiB (address space of the kernel, and the sandbox's memory cgroup when available).
    public var memoryMB: Int
    /// Processes the sandboxed code may have at once.
    public var processes: Int
    /// Largest file the code may write, in MiB.
    public var fileSizeMB: Int
    /// Output kept per step, in bytes: the first half and the last half; the middle is cut and marked.
    public var outputBytes: Int
    /// Whether code may use the network.
    public var allowNetwork: Bool

    /// The defaults: 30 s, 60 CPU s (the wall clock stops a busy loop first; CPU time catches many
    /// threads burning at once), 1 GiB, 64 processes, 100 MiB files, 64 KiB of output, no network.
    public init(timeout: Double = 30, cpuSeconds: Int = 60, memoryMB: Int = 1024, processes: Int = 64,
                fileSizeMB: Int = 100, outputBytes: Int = 65_536, allowNetwork: Bool = false) {
        self.timeout = timeout
        self.cpuSeconds = cpuSeconds
        self.memoryMB = memoryMB
        self.processes = processes
        self.fileSizeMB = fileSizeMB
        self.outputBytes = outputBytes
        self.allowNetwork = allowNetwork
    }

    /// The limits as session settings.
    public var settings: [String: String] {
        ["limit.timeout_s": String(timeout), "limit.cpu_s": String(cpuSeconds), "limit.memory_mb": String(memoryMB),
         "limit.processes": String(processes), "limit.file_size_mb": String(fileSizeMB),
         "limit.output_bytes": String(outputBytes), "limit.network": allowNetwork ? "allowed" : "blocked"]
    }
}
