"""Wand's persistent Python kernel: runs code cells in one long-lived namespace.

Protocol: one JSON object per line. Wand writes requests to this process's standard input; the kernel
answers on its standard output. Both original descriptors are moved aside at start, so the code being
run (and any process it starts) writes into capture pipes instead and can never corrupt the protocol.

Requests:  {"type": "execute", "id": N, "code": "...", "language": "python" | "shell", "tools": "..."?}
                                            `tools` is the source of the `tools` module (MCP tools as
                                            functions); it is (re)loaded when it differs from the last one
           {"type": "interrupt"}            raise KeyboardInterrupt in the running cell
           {"type": "reap"}                 kill every process the kernel started
           {"type": "tool_result", "call": C, "ok": bool, "value": any, "error": str}
                                            Wand's answer to a `tool_call`
Replies:   {"type": "ready", "python": "3.11.2", "pid": P}
           {"type": "stream", "id": N, "name": "stdout" | "stderr", "data": "..."}
           {"type": "tool_call", "id": N, "call": C, "server": "...", "tool": "...", "arguments": {...}}
                                            the cell calls an MCP tool and waits for its `tool_result`
           {"type": "result", "id": N, "ok": bool, "value": str | null, "error": str | null,
            "traceback": str | null, "limit": str | null, "dropped": bytes, "duration_ms": ms}

Configuration comes as one JSON argument: memory (bytes), processes, file_size (bytes), cpu_seconds,
output_bytes (head + tail kept per cell), workspace.
"""
import ast
import codecs
import ctypes
import json
import linecache
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import traceback
import types

CONFIG = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
PROTOCOL_IN = os.dup(0)
PROTOCOL_OUT = os.dup(1)
KERNEL_PID = os.getpid()
WRITE_LOCK = threading.Lock()
PROTOCOL_WRITE_LOCK = threading.Lock()


def send(message):
    data = (json.dumps(message) + "\n").encode()
    with PROTOCOL_WRITE_LOCK:
        view = memoryview(data)
        while view:
            written = os.write(PROTOCOL_OUT, view)
            view = view[written:]


class CellOutput:
    """Keeps the first half of a cell's output budget as it streams, and a rolling tail after that."""

    def __init__(self):
        self.reset(None)

    def reset(self, cell_id):
        self.cell_id = cell_id
        budget = int(CONFIG.get("output_bytes", 65536))
        self.head_left = budget // 2
        self.tail_size = budget - budget // 2
        self.tail = []
        self.tail_length = 0
        self.dropped = 0

    def write(self, name, text):
        if not text:
            return
        with WRITE_LOCK:
            if self.head_left > 0:
                part = text[: self.head_left]
                self.head_left -= len(part)
                text = text[len(part):]
                if self.cell_id is not None:
                    send({"type": "stream", "id": self.cell_id, "name": name, "data": part})
            if text:
                self.tail.append((name, text))
                self.tail_length += len(text)
                while self.tail_length - len(self.tail[0][1]) >= self.tail_size:
                    self.dropped += len(self.tail[0][1])
                    self.tail_length -= len(self.tail[0][1])
                    self.tail.pop(0)

    def finish(self):
        """Sends the tail (marking what was cut) and returns the number of characters dropped."""
        with WRITE_LOCK:
            excess = self.tail_length - self.tail_size
            if excess > 0 and self.tail:
                name, text = self.tail[0]
                self.tail[0] = (name, text[excess:])
                self.dropped += excess
            if self.dropped and self.cell_id is not None:
                send({"type": "stream", "id": self.cell_id, "name": "stderr",
                      "data": "\n[… %d characters of output cut …]\n" % self.dropped})
            for name, text in self.tail:
                if self.cell_id is not None and text:
                    send({"type": "stream", "id": self.cell_id, "name": name, "data": text})
            dropped = self.dropped
            self.tail, self.tail_length, self.dropped = [], 0, 0
            self.cell_id = None
            return dropped


OUTPUT = CellOutput()


class CaptureRaw(__import__("io").RawIOBase):
    """The bytes side of sys.stdout / sys.stderr: decodes (replacing invalid UTF-8) and captures."""

    def __init__(self, name):
        self.name = name
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def writable(self):
        return True

    def write(self, data):
        OUTPUT.write(self.name, self.decoder.decode(bytes(data)))
        return len(data)


def make_stream(name):
    import io
    return io.TextIOWrapper(io.BufferedWriter(CaptureRaw(name)), encoding="utf-8", errors="replace",
                            line_buffering=True, write_through=True)


SYNC_MARK = b"\x00\x1b[wand-sync]\x1b\x00"


class Pump:
    """Forwards what child processes write to the shared stdout/stderr pipes.

    `sync()` is a barrier: it writes a marker into the pipe and waits until this pump has read past it,
    so every byte written before the cell ended has been captured (a pipe is first in, first out).
    """

    def __init__(self, descriptor, target, name):
        self.descriptor = descriptor
        self.target = target
        self.name = name
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.synced = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        pending = b""
        while True:
            try:
                data = os.read(self.descriptor, 65536)
            except OSError:
                return
            if not data:
                return
            pending += data
            while True:
                index = pending.find(SYNC_MARK)
                if index < 0:
                    break
                self.forward(pending[:index])
                pending = pending[index + len(SYNC_MARK):]
                self.synced.set()
            keep = 0
            for length in range(min(len(pending), len(SYNC_MARK) - 1), 0, -1):
                if SYNC_MARK.startswith(pending[-length:]):
                    keep = length
                    break
            self.forward(pending[:len(pending) - keep])
            pending = pending[len(pending) - keep:]

    def forward(self, data):
        if data:
            OUTPUT.write(self.name, self.decoder.decode(data))

    def sync(self):
        self.synced.clear()
        try:
            os.write(self.target, SYNC_MARK)
        except OSError:
            return
        self.synced.wait(2)


def redirect_descriptors():
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    pumps = []
    for descriptor, name in ((1, "stdout"), (2, "stderr")):
        read_end, write_end = os.pipe()
        os.dup2(write_end, descriptor)
        os.close(write_end)
        pumps.append(Pump(read_end, descriptor, name))
    sys.stdin = __import__("io").StringIO("")
    sys.stdout = make_stream("stdout")
    sys.stderr = make_stream("stderr")
    return pumps


def drain(pumps):
    """Waits until everything written to the capture pipes before now has been forwarded."""
    for pump in pumps:
        pump.sync()


class CPULimitExceeded(BaseException):
    pass


def on_cpu_limit(signum, frame):
    raise CPULimitExceeded()


def apply_limits():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    signal.signal(signal.SIGXCPU, on_cpu_limit)
    if "processes" in CONFIG:
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (CONFIG["processes"], CONFIG["processes"]))
        except (ValueError, OSError):
            pass
    if "file_size" in CONFIG:
        resource.setrlimit(resource.RLIMIT_FSIZE, (CONFIG["file_size"], CONFIG["file_size"]))
    if "memory" in CONFIG:
        base = 0
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    base = int(line.split()[1]) * 1024
        limit = base + int(CONFIG["memory"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans stay ours
    except OSError:
        pass


def arm_cpu_limit():
    if "cpu_seconds" not in CONFIG:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime)
    soft = used + int(CONFIG["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))


def disarm_cpu_limit():
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


def descendants():
    """Every process whose parent chain leads to the kernel."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found = set()
    frontier = [KERNEL_PID]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def signal_all(pids, signum):
    for pid in pids:
        try:
            os.kill(pid, signum)
        except OSError:
            pass


def reap():
    """Kills every process the kernel started (a fork bomb's survivors, forgotten servers).

    They are stopped first, until a pass finds no new one: a stopped process cannot fork, so a fork
    bomb cannot replace what is killed, however little CPU the kernel gets on a loaded machine."""
    deadline = time.time() + 5
    while time.time() < deadline:
        stopped = set()
        while time.time() < deadline:
            fresh = descendants() - stopped
            if not fresh:
                break
            signal_all(fresh, signal.SIGSTOP)
            stopped |= fresh
        if not stopped:
            return 0
        signal_all(stopped, signal.SIGKILL)
        settle = time.time() + 0.2
        while time.time() < settle:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.01)
    return len(descendants())


class ToolError(Exception):
    """A tool call failed: the tool reported an error, its server could not answer, or Wand's policy
    (or the user) refused the call. The message says which."""


class ToolChannel:
    """Carries tool calls from the cell to Wand over the protocol pipe and waits for the answers.

    The wait is interruptible (a lock with a timeout, in a loop), so an interrupt or a time-out stops a
    cell that waits on a slow tool like any other cell. Answers to calls nobody waits for any more (the
    cell was interrupted) are dropped."""

    def __init__(self):
        self.condition = threading.Condition()
        self.answers = {}
        self.waiting = set()
        self.next_call = 0
        self.cell_id = 0
        self.source = None

    def call(self, server, tool, arguments):
        with self.condition:
            self.next_call += 1
            call = self.next_call
            self.waiting.add(call)
        try:
            send({"type": "tool_call", "id": self.cell_id, "call": call, "server": server, "tool": tool,
                  "arguments": arguments})
            with self.condition:
                while call not in self.answers:
                    self.condition.wait(0.2)
                answer = self.answers.pop(call)
        finally:
            with self.condition:
                self.waiting.discard(call)
                self.answers.pop(call, None)
        if answer.get("ok"):
            return answer.get("value")
        raise ToolError(answer.get("error") or "the tool call failed")

    def deliver(self, answer):
        with self.condition:
            call = answer.get("call")
            if call in self.waiting:
                self.answers[call] = answer
                self.condition.notify_all()

    def load(self, source):
        """Makes `import tools` give the module for `source`, with `ToolError` and `_wand_call` bound."""
        if source == self.source:
            return
        module = types.ModuleType("tools")
        module.ToolError = ToolError
        module._wand_call = self.call
        exec(compile(source, "<wand tools>", "exec"), module.__dict__)
        # Code often writes `import tools.time` or `from tools.time import convert_time` (small models
        # do): each server is also registered as a submodule, so these work like `import tools`.
        module.__path__ = []
        for name in [name for name in sys.modules if name.startswith("tools.")]:
            del sys.modules[name]
        for name in module.__all__:
            sys.modules["tools." + name] = getattr(module, name)
        module.__all__ = list(module.__all__) + ["ToolError"]
        sys.modules["tools"] = module
        self.source = source


TOOLS = ToolChannel()


def load_test_harness():
    """Makes `__wand_run_tests` available to every cell (from wand_tests.py beside this file)."""
    import builtins
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wand_tests.py")
    spec = importlib.util.spec_from_file_location("wand_tests", path)
    if spec is None or not os.path.exists(path):
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    builtins.__wand_run_tests = module.run_tests
    global TEST_HARNESS
    TEST_HARNESS = module


TEST_HARNESS = None


class Kernel:
    def __init__(self):
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        self.main_module = types.ModuleType("__main__")
        self.main_module.__dict__.update(self.namespace)
        self.namespace = self.main_module.__dict__
        sys.modules["__main__"] = self.main_module
        self.requests = []
        self.condition = threading.Condition()
        self.running = False

    def reader(self):
        buffer = b""
        while True:
            try:
                data = os.read(PROTOCOL_IN, 65536)
            except OSError:
                data = b""
            if not data:
                os._exit(0)  # Wand is gone: never outlive it
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                if not line.strip():
                    continue
                try:
                    request = json.loads(line)
                except ValueError:
                    continue
                if request.get("type") == "interrupt":
                    if self.running:
                        os.kill(KERNEL_PID, signal.SIGINT)
                    continue
                if request.get("type") == "tool_result":
                    TOOLS.deliver(request)
                    continue
                with self.condition:
                    self.requests.append(request)
                    self.condition.notify()

    def next_request(self):
        with self.condition:
            while not self.requests:
                self.condition.wait()
            return self.requests.pop(0)

    def run_python(self, cell_id, code):
        filename = "<cell %d>" % cell_id
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        tree = ast.parse(code, filename, "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, filename, "exec"), self.namespace)
        if os.getpid() != KERNEL_PID:
            os._exit(0)  # a forked copy of the kernel must not go on to serve requests
        if last is not None:
            value = eval(compile(last, filename, "eval"), self.namespace)
            if os.getpid() != KERNEL_PID:
                os._exit(0)
            if value is not None:
                self.namespace["_"] = value
                text = repr(value)
                return text if len(text) <= 4000 else text[:4000] + "…"
        return None

    def run_shell(self, code):
        process = subprocess.Popen(["/bin/bash", "-c", code], stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            status = process.wait()
        except BaseException:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
            process.wait()
            raise
        if status != 0:
            raise ShellFailed(status)
        return None

    def execute(self, request):
        cell_id = int(request.get("id", 0))
        code = request.get("code", "")
        OUTPUT.reset(cell_id)
        if TEST_HARNESS is not None:
            TEST_HARNESS.LAST_RESULTS = None
        started = time.monotonic()
        TOOLS.cell_id = cell_id
        result = {"type": "result", "id": cell_id, "ok": True, "value": None, "error": None, "traceback": None,
                  "limit": None, "exit_status": 0}
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.running = True
        arm_cpu_limit()
        try:
            if request.get("tools") is not None:
                TOOLS.load(request["tools"])
            if request.get("language") == "shell":
                self.run_shell(code)
            else:
                result["value"] = self.run_python(cell_id, code)
        except ShellFailed as failure:
            result.update(ok=False, exit_status=failure.status, error="the shell command exited with status %d" % failure.status)
        except CPULimitExceeded:
            result.update(ok=False, limit="cpu", error="CPU time limit of %ss exceeded" % CONFIG.get("cpu_seconds"))
        except KeyboardInterrupt:
            result.update(ok=False, limit="interrupted", error="KeyboardInterrupt")
        except MemoryError:
            result.update(ok=False, limit="memory", error="MemoryError: the memory limit of %d MiB was reached"
                          % (int(CONFIG.get("memory", 0)) // 1048576))
        except SystemExit as exit_request:
            code_value = exit_request.code
            status = code_value if isinstance(code_value, int) else (0 if code_value is None else 1)
            result.update(ok=status == 0, exit_status=status,
                          error=None if status == 0 else "SystemExit: %s" % code_value)
        except BaseException as error:  # the cell's own exception, reported as its result
            result.update(ok=False, exit_status=1, error=summary(error), traceback=user_traceback(error))
            if isinstance(error, OSError) and getattr(error, "errno", None) == 27:
                result["limit"] = "file-size"
            elif isinstance(error, BlockingIOError) and getattr(error, "errno", None) == 11:
                result["limit"] = "processes"
        finally:
            self.running = False
            disarm_cpu_limit()
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        if os.getpid() != KERNEL_PID:
            os._exit(0)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        drain(PUMPS)
        if result["limit"] in ("interrupted", "processes", "memory", "cpu"):
            reap()
        result["dropped"] = OUTPUT.finish()
        if TEST_HARNESS is not None and TEST_HARNESS.LAST_RESULTS is not None:
            result["tests"] = TEST_HARNESS.LAST_RESULTS
        result["duration_ms"] = int((time.monotonic() - started) * 1000)
        send(result)


class ShellFailed(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


def summary(error):
    if isinstance(error, SyntaxError):
        where = " (line %d)" % error.lineno if error.lineno else ""
        return "SyntaxError: %s%s" % (error.msg, where)
    text = str(error)
    return "%s: %s" % (type(error).__name__, text) if text else type(error).__name__


def user_traceback(error):
    """The traceback with the kernel's own frames removed, so only the cell's lines show."""
    if isinstance(error, SyntaxError):
        return "".join(traceback.format_exception_only(type(error), error)).rstrip()
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not frame.filename.endswith(("wand_kernel.py", "wand_tests.py", "<wand tools>"))]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines).rstrip()


def main():
    global PUMPS
    os.environ.setdefault("MPLBACKEND", "Agg")
    if CONFIG.get("workspace"):
        os.chdir(CONFIG["workspace"])
    sys.path.insert(0, os.getcwd())
    apply_limits()
    load_test_harness()
    PUMPS = redirect_descriptors()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    kernel = Kernel()
    threading.Thread(target=kernel.reader, daemon=True).start()
    send({"type": "ready", "python": "%d.%d.%d" % sys.version_info[:3], "pid": KERNEL_PID})
    while True:
        request = kernel.next_request()
        kind = request.get("type")
        if kind == "execute":
            kernel.execute(request)
        elif kind == "reap":
            send({"type": "reaped", "left": reap()})


PUMPS = []

if __name__ == "__main__":
    main()
