import Foundation
import Synchronization
import Testing
import WandEngine
import WandTestSupport

@Suite("Python environment for sandboxed code")
struct CodeEnvironmentTests {
    @Test("sandboxed code gets numpy, pandas, sympy and matplotlib from Wand's environment, mounted read-only; a plot lands in the workspace",
          .requires(.codeEnvironment), .requires(.sandbox))
    func packagesInTheSandbox() async throws {
        let record = try #require(CodeEnvironmentLayout(paths: WandPaths()).installed)
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 60))
        #expect(executor.sandbox.detail.contains("Python: Wand's environment (Python \(record.python); numpy \(record.packages["numpy"] ?? "?")"))
        let (stdout, stderr, result, _) = await ExecutorFixtures.python(executor, """
            import sys, numpy, pandas, sympy, matplotlib
            import matplotlib.pyplot as plt
            print(sys.prefix)
            print(int(numpy.arange(10).sum()), pandas.DataFrame({"a": [1, 2]})["a"].sum(), sympy.factorint(360))
            plt.plot([1, 2, 3], [1, 4, 9])
            plt.savefig("squares.png")
            try:
                open("/opt/wand-python/planted.py", "w")
            except OSError as error:
                print("read-only", error.errno)
            """)
        #expect(result.succeeded, "\(result.error ?? "") \(stderr)")
        #expect(stdout == "/opt/wand-python\n45 3 {2: 3, 3: 2, 5: 1}\nread-only 30\n")
        #expect(stderr.isEmpty, "nothing on stderr (fontconfig, caches): \(stderr)")
        let plot = executor.workspace.appendingPathComponent("squares.png")
        let header = try #require(FileManager.default.contents(atPath: plot.path)).prefix(4)
        #expect(Array(header) == [0x89, 0x50, 0x4E, 0x47], "a PNG file")
        let workspaceEntries = try FileManager.default.contentsOfDirectory(atPath: executor.workspace.path)
        #expect(workspaceEntries == ["squares.png"], "caches stay out of the workspace")
        await executor.shutdown()
    }

    @Test("without the environment, code runs on the system Python and the sandbox description says so")
    func fallback() async throws {
        let data = try FixtureSessions.temporaryDirectory("wand-no-code-python")
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = data.path
        let capabilities = SandboxCapabilities.detect(environment: environment)
        #expect(capabilities.codeEnvironment == nil)
        #expect(capabilities.codePython == capabilities.python)
        let detail = capabilities.descriptor(limits: ExecutionLimits()).detail
        #expect(detail.hasSuffix("Python: the system Python \(capabilities.python), without numpy, pandas, sympy or matplotlib: "
            + "Wand's environment is not installed (run `wand setup`)"))
        let executor = try SandboxExecutor(capabilities: capabilities, limits: ExecutionLimits(timeout: 20),
                                           workspace: SandboxExecutor.workspaceRoot(paths: WandPaths(data: data, config: data),
                                                                                    capabilities: capabilities)
                                               .appendingPathComponent("fallback"))
        let (stdout, _, result, _) = await ExecutorFixtures.python(executor, "import sys\nprint(sys.prefix)")
        #expect(result.succeeded)
        #expect(stdout == "/usr\n")
        await executor.shutdown()
    }

    @Test("setup skips an environment whose record matches the requirements and extra packages, without running pip")
    func idempotent() async throws {
        let data = try FixtureSessions.temporaryDirectory("wand-code-python-record")
        let layout = CodeEnvironmentLayout(paths: WandPaths(data: data, config: data))
        try FileManager.default.createDirectory(at: layout.python.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: layout.python.path, withDestinationPath: CodeEnvironmentLayout.systemPython)
        let digest = try await ChildProcess.collect(ChildCommand(executable: "/usr/bin/sha256sum",
                                                                 arguments: [CodeEnvironmentLayout.requirementsFile.path],
                                                                 environment: [:])).stdout.prefix(64)
        let record = CodeEnvironmentRecord(python: "3.11.2", packages: ["numpy": "2.4.6", "pandas": "3.1.1", "sympy": "1.14.0",
                                                                        "matplotlib": "3.11.2", "scipy": "1.16.0"],
                                           requirementsSHA256: String(digest), extraPackages: ["scipy>=1.14"], installedAt: Date(timeIntervalSince1970: 1_800_000_000))
        try record.save(to: layout.recordFile)
        let details = ProgressDetails()
        let installed = try await CodeEnvironmentInstaller(layout: layout, extraPackages: ["scipy>=1.14"])
            .install { detail in details.lines.withLock { $0.append(detail) } }
        #expect(installed == record)
        #expect(details.lines.withLock { $0 } == ["already present: numpy 2.4.6, pandas 3.1.1, sympy 1.14.0, matplotlib 3.11.2, scipy 1.16.0"])
    }

    @Test("[python] extra_packages: pip requirements, with mistakes reported on their line")
    func configuration() throws {
        let config = try WandConfig.parse(TOMLDocument(source: "[python]\nextra_packages = [\"scipy\", \"networkx==3.3\"]\n", file: "c.toml"))
        #expect(config.pythonExtraPackages == ["scipy", "networkx==3.3"])
        #expect(throws: ConfigFileError(file: "c.toml", line: 2, message: "`extra_packages` holds pip requirements such as \"scipy\" (not options or empty strings)")) {
            try WandConfig.parse(TOMLDocument(source: "[python]\nextra_packages = [\"--index-url=http://x\"]\n", file: "c.toml"))
        }
        #expect(throws: ConfigFileError(file: "c.toml", line: 2, message: "unknown key `packages` in [python]; the known key is extra_packages")) {
            try WandConfig.parse(TOMLDocument(source: "[python]\npackages = []\n", file: "c.toml"))
        }
    }
}

/// Progress lines collected from a sendable closure.
private final class ProgressDetails: Sendable {
    let lines = Mutex<[String]>([])
}
