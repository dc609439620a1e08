"""The test harness of Wand's kernel, available in every cell as `__wand_run_tests(path, globals())`.

Each top-level `assert` of the test file and each `test_*` function is one case; other statements
(imports, helpers) are set up first. A failing comparison reports both sides. Results are printed as
PASS/FAIL lines and kept in LAST_RESULTS, which the kernel returns with the cell's result.
"""
import ast
import sys
import traceback


LAST_RESULTS = None


def run_tests(path, namespace):
    """Runs every test in the file at `path` against `namespace` (a cell's globals)."""
    global LAST_RESULTS
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    tree = ast.parse(source)
    lines = source.splitlines()
    def segment(node):
        return ast.get_source_segment(source, node) or lines[node.lineno - 1].strip()
    def explain(node, frame_globals, frame_locals):
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare) and len(node.test.ops) == 1:
            try:
                left = eval(compile(ast.Expression(node.test.left), "<tests>", "eval"), frame_globals, frame_locals)
                right = eval(compile(ast.Expression(node.test.comparators[0]), "<tests>", "eval"), frame_globals, frame_locals)
                return "%s — got %s, expected %s" % (segment(node), repr(left)[:300], repr(right)[:300])
            except BaseException:
                pass
        return segment(node)
    def failing_assert(error):
        frame = None
        for entry, lineno in traceback.walk_tb(error.__traceback__):
            if entry.f_code.co_filename == "<tests>":
                frame = (entry, lineno)
        if frame is None:
            return None, None, None
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert) and node.lineno == frame[1]:
                return node, frame[0].f_globals, frame[0].f_locals
        return None, None, None
    results, setup, cases = [], [], []
    for node in tree.body:
        if isinstance(node, ast.Assert):
            cases.append(("line %d: %s" % (node.lineno, segment(node)[:120]), node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            setup.append(node)
            cases.append((node.name, None))
        else:
            setup.append(node)
    for node in setup:
        try:
            exec(compile(ast.Module([node], []), "<tests>", "exec"), namespace)
        except Exception as error:
            results.append({"name": "setup (line %d)" % node.lineno, "error": "%s: %s" % (type(error).__name__, error)})
    for name, node in cases:
        try:
            if node is None:
                namespace[name]()
            else:
                exec(compile(ast.Module([node], []), "<tests>", "exec"), namespace)
            results.append({"name": name, "error": None})
        except AssertionError as error:
            message = str(error)
            if not message:
                failed, frame_globals, frame_locals = failing_assert(error)
                message = explain(failed, frame_globals, frame_locals) if failed else "assertion failed"
            results.append({"name": name, "error": "AssertionError: " + message})
        except Exception as error:
            results.append({"name": name, "error": ("%s: %s" % (type(error).__name__, error))[:400]})
    for result in results:
        print(("PASS " if result["error"] is None else "FAIL ") + result["name"]
              + ("" if result["error"] is None else "\n     " + result["error"]))
    passed = sum(1 for result in results if result["error"] is None)
    print("%d of %d tests pass" % (passed, len(results)))
    sys.stdout.flush()
    LAST_RESULTS = results
