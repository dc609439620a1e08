#!/usr/bin/env python3
"""A fake OpenAI-compatible chat server for Wand's client tests, with fault injection.

The scenario is the first path segment: POST /<scenario>/v1/chat/completions.
Prints the port it listens on (loopback, chosen by the OS) as its first line.
"""
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNTS = {}
LOCK = threading.Lock()
RELEASED = threading.Event()


def chunk(content=None, finish=None):
    choice = {"index": 0, "delta": {} if content is None else {"content": content}, "finish_reason": finish}
    return {"object": "chat.completion.chunk", "choices": [choice]}


USAGE = {"object": "chat.completion.chunk", "choices": [], "usage": {"prompt_tokens": 11, "completion_tokens": 3}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def write_chunk(self, data: bytes):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def event(self, obj):
        self.write_chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def end_stream(self):
        self.write_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def plain(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        scenario = self.path.strip("/").split("/")[0]
        with LOCK:
            COUNTS[scenario] = COUNTS.get(scenario, 0) + 1
            count = COUNTS[scenario]
        if scenario == "chunked":
            self.start_stream()
            self.event(chunk(""))
            for piece in ["Hel", "lo", ", ", "wor", "ld"]:
                self.event(chunk(piece))
            self.event(chunk(None, "stop"))
            self.event(USAGE)
            self.end_stream()
        elif scenario == "echo":
            self.start_stream()
            self.event(chunk(json.dumps({"max_tokens": body.get("max_tokens"), "messages": len(body.get("messages", [])),
                                         "auth": self.headers.get("Authorization", "")})))
            self.event(chunk(None, "stop"))
            self.end_stream()
        elif scenario == "tools":
            messages = body.get("messages", [])
            tool_results = [m for m in messages if m.get("role") == "tool"]
            assert body.get("tools"), "tools must be offered"
            self.start_stream()
            if not tool_results:
                first = {"index": 0, "id": "call_a", "type": "function", "function": {"name": "python", "arguments": "{\"co"}}
                self.event({"choices": [{"index": 0, "delta": {"tool_calls": [first]}, "finish_reason": None}]})
                self.event({"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "de\": \"print(6 * 7)\"}"}}]}, "finish_reason": None}]})
                second = {"index": 1, "id": "call_b", "type": "function", "function": {"name": "list_files", "arguments": "{}"}}
                self.event({"choices": [{"index": 0, "delta": {"tool_calls": [second]}, "finish_reason": "tool_calls"}]})
            else:
                answer = "The answer is 42." if "42" in tool_results[0].get("content", "") else "no result"
                self.event(chunk(answer))
                self.event(chunk(None, "stop"))
            self.end_stream()
        elif scenario == "mcp-tools":
            # Calls the time server's convert_time natively, then answers from its result.
            messages = body.get("messages", [])
            tool_results = [m for m in messages if m.get("role") == "tool"]
            offered = [tool["function"]["name"] for tool in body.get("tools", [])]
            self.start_stream()
            if "time__convert_time" not in offered:
                self.event(chunk("time__convert_time was not offered: %s" % offered))
                self.event(chunk(None, "stop"))
            elif not tool_results:
                arguments = json.dumps({"source_timezone": "UTC", "time": "12:00", "target_timezone": "Asia/Tokyo"})
                call = {"index": 0, "id": "call_time", "type": "function",
                        "function": {"name": "time__convert_time", "arguments": arguments}}
                self.event(chunk("Converting."))
                self.event({"choices": [{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": "tool_calls"}]})
            else:
                content = tool_results[0].get("content") or ""
                self.event(chunk("Noon UTC is 21:00 in Tokyo." if "T21:00:00+09:00" in content else "no result: " + content[:300]))
                self.event(chunk(None, "stop"))
            self.end_stream()
        elif scenario == "agent":
            messages = body.get("messages", [])
            text = " ".join(m.get("content") or "" for m in messages)
            self.start_stream()
            try:
                if "Observation" in (messages[-1].get("content") or ""):
                    self.event(chunk("Final Answer: 42"))
                elif "sleep in the sandbox" in text:
                    # A program that keeps running, with a child of its own, for a crash to interrupt.
                    self.event(chunk("```python\nimport subprocess, time\nsubprocess.Popen(['sleep', '300'])\n"
                                     "print('sleeping now', flush=True)\ntime.sleep(300)\n```"))
                elif "slowly" in text:
                    for index in range(400):
                        self.event(chunk("thinking%d " % index))
                        time.sleep(0.05)
                else:
                    self.event(chunk("Let me compute it.\n```python\nprint(6 * 7)\n```"))
                self.event(chunk(None, "stop"))
                self.end_stream()
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif scenario == "hostile":
            # Replies and program output full of terminal escape sequences: a window title, a clear
            # screen, a clipboard write (OSC 52) and a C1 CSI.
            messages = body.get("messages", [])
            self.start_stream()
            if "Observation" in (messages[-1].get("content") or ""):
                self.event(chunk("Done \x1b]0;pwned\x07.\nFinal Answer: \x1b[2J42\x9b31m"))
            else:
                self.event(chunk("Title \x1b]0;pwned\x07 next.\n```python\n"
                                 "print('\\x1b]0;title\\x07\\x1b[2J\\x1b]52;c;SGVsbG8=\\x07\\x9b31m 42')\n```"))
            self.event(chunk(None, "stop"))
            self.end_stream()
        elif scenario == "cut":
            self.start_stream()
            self.event(chunk("partial "))
            self.event(chunk("answ"))
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
        elif scenario == "malformed":
            self.start_stream()
            self.write_chunk(b": keep-alive comment\n\n")
            self.event(chunk("good "))
            self.write_chunk(b"data: {this is not json\n\n")
            self.write_chunk(b"event: ping\ndata: {\"choices\": [{\"delta\": {\"content\": \"still \"}}]}\n\n")
            self.write_chunk(b"data: {\"choices\": [{\"delta\": {\"content\": \"fine\"}, \"finish_reason\": \"stop\"}]}\r\n\r\n")
            self.end_stream()
        elif scenario == "fail-once":
            if count == 1:
                self.plain(500, '{"error": {"message": "model is loading"}}')
            else:
                self.start_stream()
                self.event(chunk("recovered"))
                self.event(chunk(None, "stop"))
                self.end_stream()
        elif scenario == "rate-limit":
            if count == 1:
                self.plain(429, '{"error": {"message": "slow down"}}', headers=[("Retry-After", "1")])
            else:
                self.start_stream()
                self.event(chunk("after the wait"))
                self.event(chunk(None, "stop"))
                self.end_stream()
        elif scenario == "always-503":
            self.plain(503, '{"error": {"message": "overloaded"}}')
        elif scenario == "bad-request":
            auth = self.headers.get("Authorization", "")
            self.plain(400, json.dumps({"error": {"message": "invalid model; your header was " + auth}}))
        elif scenario == "hang":
            time.sleep(60)
        elif scenario == "held":
            # The first tick at once, then the stream waits (with SSE comments, so no idle timeout fires)
            # until the test POSTs /release/: a server can be killed while its streams are surely in
            # flight, however loaded the machine is. Once released, every stream finishes at once.
            self.start_stream()
            try:
                self.event(chunk("tick0 "))
                waited = 0.0
                while not RELEASED.is_set() and waited < 120:
                    self.write_chunk(b": waiting\n\n")
                    RELEASED.wait(0.2)
                    waited += 0.2
                for index in range(1, 30):
                    self.event(chunk("tick%d " % index))
                self.event(chunk(None, "stop"))
                self.end_stream()
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif scenario == "release":
            RELEASED.set()
            self.plain(200, "{}")
        elif scenario == "slow":
            self.start_stream()
            try:
                for index in range(200):
                    self.event(chunk("tick%d " % index))
                    time.sleep(0.05)
                self.event(chunk(None, "stop"))
                self.end_stream()
            except (BrokenPipeError, ConnectionResetError):
                with LOCK:
                    COUNTS["slow-cancelled"] = COUNTS.get("slow-cancelled", 0) + 1
        else:
            self.plain(404, '{"error": {"message": "unknown scenario"}}')

    def do_GET(self):
        scenario = self.path.strip("/")
        with LOCK:
            self.plain(200, json.dumps({"count": COUNTS.get(scenario, 0)}))


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()


if __name__ == "__main__":
    main()
