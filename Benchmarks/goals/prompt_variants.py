#!/usr/bin/env python3
"""A development experiment for issue 10: does the framing of the program prompt, or a vote over
several framings, beat the plain prompt on the goal benchmark?

Usage: prompt_variants.py PORT [LIMIT]
  PORT  an OpenAI-compatible server of the embedded model on 127.0.0.1, for example
        llama-server --model ~/.local/share/wand/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf --port PORT
  LIMIT how many goals from the start of goals.jsonl (default: all)

Each variant asks once, greedily (temperature 0), for a program; the program runs once with python3 in
a temporary directory (10 s, 1 GB address space; NOT sandboxed: run this only where model-written code
may run), and its last printed line is compared with the answer after light normalization (case,
`$`, thousands separators, numbers compared as numbers). This is not Wand's eval (`wand eval` runs code
in the sandbox and matches answers as documented in docs/EVAL_FORMAT.md); it exists so the comparison
of prompts can be repeated.
"""
import collections
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import urllib.request

PROGRAM_SYSTEM = """Write one complete Python program that computes the answer to the question.
Put any data given in the question into the program itself; use only the Python standard library.
The program must print the final answer alone on its last line with print().
Reply with only the program in one ```python code block."""
PAL_SYSTEM = """Write one complete Python program that computes the answer to the question and prints it with print().
Reply with only the program in one ```python code block."""
TASK = "\n\nWrite a Python program that computes the answer and prints it."
STEPS = ("\n\nWrite a Python program that computes the answer and prints it. Start the program with comments "
         "that list the steps, then write the code for each step.")
EXAMPLES = [
    ("A shop sells pens at $1.25 each and notebooks at $3.40 each. Maya buys 6 pens and 4 notebooks and pays "
     "with a $50 bill. How much change does she get? Answer in dollars with 2 decimal places.",
     "# Prices and quantities from the question\npen_price = 1.25\nnotebook_price = 3.40\npens = 6\nnotebooks = 4\n"
     "paid = 50\n# Total cost, then the change\ncost = pens * pen_price + notebooks * notebook_price\n"
     "change = paid - cost\nprint(f\"{change:.2f}\")"),
    ("Here are log lines:\nINFO start\nERROR disk full\nWARN slow\nERROR timeout\nHow many lines are errors?",
     "log = \"\"\"INFO start\nERROR disk full\nWARN slow\nERROR timeout\"\"\"\n# Count the lines whose level is ERROR\n"
     "errors = sum(1 for line in log.splitlines() if line.startswith(\"ERROR\"))\nprint(errors)"),
    ("How many whole days are there between 2023-02-10 and 2023-05-01?",
     "from datetime import date\n# Subtracting two dates gives the days between them\n"
     "days = (date(2023, 5, 1) - date(2023, 2, 10)).days\nprint(days)"),
]


def messages(variant, goal):
    if variant == "plain":  # the prompt of `naive` and of `auto`'s first program
        return [{"role": "system", "content": PROGRAM_SYSTEM}, {"role": "user", "content": goal + TASK}]
    if variant == "fewshot":  # the same, after three worked examples
        shots = []
        for question, program in EXAMPLES:
            shots += [{"role": "user", "content": question + TASK},
                      {"role": "assistant", "content": "```python\n" + program + "\n```"}]
        return [{"role": "system", "content": PROGRAM_SYSTEM}] + shots + [{"role": "user", "content": goal + TASK}]
    if variant == "pal":  # pal's system prompt, the goal alone
        return [{"role": "system", "content": PAL_SYSTEM}, {"role": "user", "content": goal}]
    if variant == "steps":  # the plain prompt asking for the steps as comments first
        return [{"role": "system", "content": PROGRAM_SYSTEM}, {"role": "user", "content": goal + STEPS}]
    raise ValueError(variant)


VARIANTS = ["plain", "fewshot", "pal", "steps"]


def ask(port, variant, goal):
    body = json.dumps({"messages": messages(variant, goal), "temperature": 0, "max_tokens": 512, "seed": 0}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", body,
                                     {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=300))["choices"][0]["message"]["content"]


def run(reply):
    match = re.search(r"```(?:python|py)?\s*\n(.*?)(```|$)", reply, re.S)
    if not match:
        return None
    with tempfile.TemporaryDirectory() as directory:
        try:
            done = subprocess.run(["prlimit", "--as=1000000000", "--", "python3", "-c", match.group(1)], cwd=directory,
                                  capture_output=True, text=True, timeout=10)
        except subprocess.TimeoutExpired:
            return None
    lines = [line for line in done.stdout.strip().splitlines() if line.strip()]
    return lines[-1] if done.returncode == 0 and lines else None


def normalized(answer):
    text = answer.strip().strip("$").replace(",", "").strip().lower().rstrip(".")
    try:
        return ("%.6f" % float(text)).rstrip("0").rstrip(".")
    except ValueError:
        return text


def main():
    port = int(sys.argv[1])
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
    lines = (pathlib.Path(__file__).parent / "goals.jsonl").read_text().splitlines()
    goals = [json.loads(line) for line in lines][:limit]
    answers = {variant: {} for variant in VARIANTS}
    for variant in VARIANTS:
        for goal in goals:
            answers[variant][goal["id"]] = run(ask(port, variant, goal["prompt"]))
            print(variant, goal["id"], answers[variant][goal["id"]], flush=True, file=sys.stderr)

    def right(answer, goal):
        return answer is not None and normalized(answer) == normalized(goal["answer"])

    for variant in VARIANTS:
        print(f"{variant}: {sum(right(answers[variant][g['id']], g) for g in goals)} of {len(goals)}")
    oracle = sum(any(right(answers[v][g["id"]], g) for v in VARIANTS) for g in goals)
    voted = 0
    for goal in goals:
        printed = [answers[v][goal["id"]] for v in VARIANTS if answers[v][goal["id"]] is not None]
        counts = collections.Counter(normalized(a) for a in printed)
        if counts:
            most = max(counts.values())
            # A tie goes to the earliest variant in VARIANTS (the plain prompt first).
            pick = next(normalized(a) for a in printed if counts[normalized(a)] == most)
            voted += pick == normalized(goal["answer"])
    print(f"any variant right (oracle): {oracle} of {len(goals)}")
    print(f"majority of the {len(VARIANTS)} variants: {voted} of {len(goals)}")


if __name__ == "__main__":
    main()
