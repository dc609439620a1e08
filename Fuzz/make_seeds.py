#!/usr/bin/env python3
"""Writes the fuzzers' seed inputs from real files in the repository: make_seeds.py REPO OUT.

OUT/<target>/ gets one file per seed: every line of the bundled sessions (session), every model reply
in them (reply), every line of the goal benchmark (tasks), the bundled themes alone and as an
`extends` pair (theme), the key file example from docs/THEMES.md (keymap), and the hand-written
server-sent-event captures in Fuzz/seeds/ (sse, keymap).
"""
import hashlib
import json
import pathlib
import re
import sys

repo, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    directory = out / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


for session in sorted((repo / "Sessions").glob("*.jsonl")):
    for line in session.read_text().splitlines():
        write("session", line)
        event = json.loads(line)
        if event.get("type") == "model.finished" and event.get("text"):
            write("reply", event["text"])

for line in (repo / "Benchmarks/goals/goals.jsonl").read_text().splitlines():
    write("tasks", line)

themes = sorted((repo / "Themes").glob("*.toml"))
for theme in themes:
    write("theme", theme.read_text())
write("theme", themes[0].read_text() + '\n#---\nname = "child"\nextends = "%s"\n[roles]\n"code.keyword" = { fg = "#ff0000", bold = true }\n'
      % themes[0].stem)

example = re.search(r"```toml\n(.*?)```", (repo / "docs/THEMES.md").read_text().split("## Keys", 1)[1], re.S)
write("keymap", example.group(1))

for target in ("sse", "keymap"):
    for seed in sorted((repo / "Fuzz/seeds" / target).glob("*")):
        write(target, seed.read_bytes())
