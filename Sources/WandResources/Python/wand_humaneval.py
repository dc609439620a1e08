"""Loads HumanEval for `wand eval` and turns the examples in each prompt's docstring into visible tests.

Usage: python wand_humaneval.py PATH [--with-canonical]   (HumanEval.jsonl or .jsonl.gz)
Prints one JSON object per problem: task_id, prompt, entry_point, test (the hidden tests, used only for
scoring) and visible_tests (assert lines from the docstring's examples; possibly empty). Nothing from the
dataset is executed: examples are parsed with ast and literal_eval only. --with-canonical adds each
canonical solution, for Wand's own test that the extracted examples agree with them; eval never asks for it.
"""
import ast
import doctest
import gzip
import json
import sys

SEPARATORS = ["==>", "=>", "➞", "->", "==", " should return ", " returns ", " should be "]


def call_at(text, start):
    """The call expression starting at `start` (up to its closing parenthesis), or None."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return text[start:index + 1]
    return None


def literal(text):
    text = text.strip().rstrip(".,;").strip()
    if not text:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return repr(value)


def valid(statement):
    """Parses, and uses no names but the function's: `is_happy(a)` in prose is not an example."""
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return False
    test = tree.body[0].test if tree.body and isinstance(tree.body[0], ast.Assert) else None
    if not isinstance(test, ast.Compare) or not isinstance(test.left, ast.Call):
        return False
    for node in ast.walk(test.left):
        if isinstance(node, ast.Name) and node is not test.left.func:
            return False
    return True


def docstring(prompt, entry_point):
    """The entry point's docstring, dedented (falls back to the whole prompt)."""
    try:
        tree = ast.parse(prompt + "\n    pass\n")
    except SyntaxError:
        return prompt
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry_point:
            return ast.get_docstring(node) or prompt
    return prompt


def expected_value(text):
    """A literal on the right of an example, or the value after its last `=` (`19 - 5 - 6 = 8`)."""
    value = literal(text)
    if value is None and "=" in text:
        value = literal(text.rsplit("=", 1)[1])
    return value


def visible_tests(prompt, entry_point):
    tests = []
    text = docstring(prompt, entry_point)
    try:
        examples = doctest.DocTestParser().get_examples(text)
    except ValueError:
        examples = []
    for example in examples:
        source = example.source.strip()
        expected = literal(example.want)
        if expected is not None and entry_point in source and "\n" not in source:
            tests.append("assert %s == %s" % (source, expected))
    if not tests:
        for line in text.splitlines():
            position = line.find(entry_point + "(")
            if position < 0:
                continue
            call = call_at(line, position)
            if call is None:
                continue
            rest = line[position + len(call):]
            for separator in SEPARATORS:
                if separator in rest:
                    expected = expected_value(rest.split(separator, 1)[1])
                    if expected is not None:
                        tests.append("assert %s == %s" % (call, expected))
                    break
    unique = []
    for test in tests:
        if test not in unique and valid(test):
            unique.append(test)
    return unique


def main(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            problem = json.loads(line)
            record = {
                "task_id": problem["task_id"],
                "prompt": problem["prompt"],
                "entry_point": problem["entry_point"],
                "test": problem["test"],
                "visible_tests": visible_tests(problem["prompt"], problem["entry_point"]),
            }
            if "--with-canonical" in sys.argv:
                record["canonical_solution"] = problem["canonical_solution"]
            print(json.dumps(record))


if __name__ == "__main__":
    main(sys.argv[1])
