import Foundation
import Testing
import WandEngine

@Suite("MCP configuration and tool policies")
struct MCPConfigTests {
    private func parse(_ text: String) throws(ConfigFileError) -> WandConfig {
        try WandConfig.parse(TOMLDocument(source: text, file: "config.toml"))
    }

    private func error(_ text: String) -> ConfigFileError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("stdio and HTTP servers with their timeouts, and no section at all")
    func servers() throws {
        #expect(try parse("theme = \"dark\"").mcp == .empty)
        let config = try parse("""
            [mcp.servers.time]
            command = "python3"
            args = ["-m", "mcp_server_time"]
            env = { TZ_HINT = "Europe/Paris" }
            call_timeout = 5

            [mcp.servers.remote-search]
            url = "https://search.example/mcp"
            bearer_token_env = "SEARCH_TOKEN"
            env_headers = { "X-Team" = "SEARCH_TEAM" }
            startup_timeout = 2.5
            """).mcp
        #expect(config.servers == [
            MCPServerConfig(name: "remote-search",
                            transport: .http(url: URL(string: "https://search.example/mcp")!, headerVariables: ["X-Team": "SEARCH_TEAM"],
                                             bearerTokenVariable: "SEARCH_TOKEN"),
                            startupTimeout: 2.5),
            MCPServerConfig(name: "time", transport: .stdio(command: "python3", arguments: ["-m", "mcp_server_time"],
                                                            environment: ["TZ_HINT": "Europe/Paris"]),
                            callTimeout: 5),
        ])
    }

    @Test("policies resolve tool, then server, then [mcp], then ask")
    func policies() throws {
        let config = try parse("""
            [mcp]
            policy = "auto"

            [mcp.servers.git]
            command = "git-mcp"
            policy = "ask"

            [mcp.servers.git.tools]
            git_commit = "never"
            git_log = "auto"

            [mcp.servers.time]
            command = "time-mcp"
            """).mcp
        let policies = config.policies
        #expect(policies.resolve(server: "git", tool: "git_commit") == .never)
        #expect(policies.resolve(server: "git", tool: "git_log") == .auto)
        #expect(policies.resolve(server: "git", tool: "git_status") == .ask)
        #expect(policies.resolve(server: "time", tool: "convert_time") == .auto)
        #expect(policies.source(server: "git", tool: "git_commit") == "mcp.servers.git.tools.git_commit")
        #expect(policies.source(server: "git", tool: "git_status") == "mcp.servers.git.policy")
        #expect(policies.source(server: "time", tool: "convert_time") == "mcp.policy")
        #expect(ToolPolicies().resolve(server: "time", tool: "convert_time") == .ask)
        #expect(ToolPolicies().source(server: "time", tool: "convert_time") == "default")
    }

    @Test("mistakes are reported with their line, and secret values never appear in the message")
    func mistakes() {
        let unknownKey = error("[mcp.servers.time]\ncommand = \"x\"\ncomand = \"y\"\n")
        #expect(unknownKey?.line == 3)
        #expect(unknownKey?.message.contains("unknown key `comand`") == true)

        let both = error("[mcp.servers.time]\ncommand = \"x\"\nurl = \"http://127.0.0.1:1/mcp\"\n")
        #expect(both?.message.contains("both a `command` and a `url`") == true)
        #expect(error("[mcp.servers.time]\nargs = [\"a\"]\n")?.message.contains("needs a `command`") == true)
        #expect(error("[mcp.servers.time]\nurl = \"ftp://x/mcp\"\n")?.message.contains("http(s) URL") == true)
        #expect(error("[mcp.servers.time]\ncommand = \"x\"\nargs = [\"a\", 1]\n")?.message.contains("array of strings") == true)
        #expect(error("[mcp.servers.time]\ncommand = \"x\"\ncall_timeout = 0\n")?.message.contains("positive number") == true)

        let policy = error("[mcp.servers.time]\ncommand = \"x\"\npolicy = \"sometimes\"\n")
        #expect(policy?.line == 3)
        #expect(policy?.message.contains("`sometimes`; it must be one of auto, ask, never") == true)
        let toolPolicy = error("[mcp.servers.time]\ncommand = \"x\"\n[mcp.servers.time.tools]\nconvert_time = \"yes\"\n")
        #expect(toolPolicy?.line == 4)
        #expect(error("[mcp]\npolicy = 3\n")?.message.contains("must be one of auto, ask, never") == true)

        let secret = error("[mcp.servers.time]\ncommand = \"x\"\nenv = { TOKEN = 12345678 }\n")
        #expect(secret?.message.contains("`env.TOKEN` must be a string") == true)
        #expect(secret?.message.contains("12345678") == false)

        #expect(error("[mcp.servers.\"my server\"]\ncommand = \"x\"\n")?.message.contains("must start with a letter") == true)
        let clash = error("[mcp.servers.my-tools]\ncommand = \"x\"\n[mcp.servers.my_tools]\ncommand = \"y\"\n")
        #expect(clash?.message.contains("would both be `tools.my_tools`") == true)
        #expect(error("[mcp.servers.web]\nurl = \"https://x.example/mcp\"\nbearer_token_env = \"T\"\nenv_headers = { Authorization = \"A\" }\n")?
            .message.contains("keep one") == true)
        #expect(error("[mcp.servers.local]\ncommand = \"x\"\nbearer_token_env = \"T\"\n")?.message.contains("servers with a `url`") == true)
    }

    @Test("secrets are replaced wherever they occur; short values are left alone")
    func redaction() {
        let redactor = SecretRedactor(secrets: ["s3cr3t-token", "s3cr3t", "on"])
        #expect(redactor.redact("token s3cr3t-token and s3cr3t, on") == "token ‹redacted› and ‹redacted›, on")
    }
}
