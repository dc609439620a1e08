"""An MCP server (on the `mcp` Python SDK, version 2) that misbehaves on request, for Wand's client tests.

Usage: python mcp_fault_server.py [--fail-start] [--hang-start] [--http]
  (default)     serve over stdio
  --fail-start  print a message (with $WAND_TEST_SECRET in it) to stderr and exit 3 before serving
  --hang-start  sleep for an hour before serving (the client's start-up timeout must fire)
  --http        serve streamable HTTP on 127.0.0.1 at a free port, printed as `port N` on stdout;
                every request must carry `X-Test-Token: $WAND_TEST_SECRET`, or gets 401; exits when
                its standard input closes, so it never outlives the test that started it

Tools: echo, crash (exits mid-call after writing the secret to stderr), hang (never answers),
fail (a tool error), big (returns `megabytes` MB of text), env (the value of a variable, to check
what the server was given).
"""
import os
import socket
import sys
import time

import anyio
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

server = MCPServer("wand-fault")


@server.tool()
def echo(text: str, times: int = 1) -> str:
    """Returns `text` repeated `times` times."""
    return text * times


@server.tool()
def crash(code: int = 7) -> str:
    """Exits the server process in the middle of the call."""
    sys.stderr.write("fault server crashing; my token is %s\n" % os.environ.get("WAND_TEST_SECRET", ""))
    sys.stderr.flush()
    os._exit(code)


@server.tool()
async def hang() -> str:
    """Never answers."""
    await anyio.sleep(3600)
    return "woke up"


@server.tool()
def fail(message: str) -> str:
    """Fails with a tool error carrying `message`."""
    raise ToolError(message)


@server.tool()
def big(megabytes: int = 5) -> str:
    """Returns `megabytes` MB of text."""
    return "x" * (megabytes * 1_000_000)


@server.tool(name="env")
def env_value(name: str) -> str:
    """The value of environment variable `name` in the server, or `(unset)`."""
    return os.environ.get(name, "(unset)")


def exit_when_input_closes():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def serve_http():
    import threading
    import uvicorn

    threading.Thread(target=exit_when_input_closes, daemon=True).start()
    expected = os.environ.get("WAND_TEST_SECRET", "")
    app = server.streamable_http_app()

    async def guarded(scope, receive, send):
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            if headers.get(b"x-test-token", b"").decode() != expected:
                await send({"type": "http.response.start", "status": 401,
                            "headers": [(b"content-type", b"text/plain")]})
                await send({"type": "http.response.body", "body": b"missing or wrong X-Test-Token"})
                return
        await app(scope, receive, send)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print("port %d" % listener.getsockname()[1], flush=True)
    config = uvicorn.Config(guarded, log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    if "--fail-start" in sys.argv:
        sys.stderr.write("fault server refuses to start; my token is %s\n" % os.environ.get("WAND_TEST_SECRET", ""))
        sys.exit(3)
    if "--hang-start" in sys.argv:
        time.sleep(3600)
    if "--http" in sys.argv:
        serve_http()
    else:
        server.run()
