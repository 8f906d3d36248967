"""Refresh the vendored tracking_number_data files from GitHub (not imported by the library).

    .venv/bin/python sellercomms/tracking/data/refresh.py [--ref main]

Downloads the repository's tarball at ``--ref``, replaces ``tracking_number_data/couriers``
and ``LICENSE``, records the commit in ``tracking_number_data/SOURCE.json`` and then checks
every test number of every format with the interpreter.  Review the diff (new formats need a
carrier in ``carriers.json`` before they are used) and run tests/test_tracking_carriers.py.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import tarfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

REPOSITORY = "jkeen/tracking_number_data"
TARGET = Path(__file__).with_name("tracking_number_data")


def download(ref: str) -> tuple[str, dict[str, bytes]]:
    """(commit, {path in the repository: content}) of the files we vendor."""
    api = f"https://api.github.com/repos/{REPOSITORY}/commits/{ref}"
    with urllib.request.urlopen(api, timeout=60) as response:
        commit = str(json.load(response)["sha"])
    tarball = f"https://codeload.github.com/{REPOSITORY}/tar.gz/{commit}"
    with urllib.request.urlopen(tarball, timeout=60) as response:
        payload = io.BytesIO(response.read())
    wanted: dict[str, bytes] = {}
    with tarfile.open(fileobj=payload, mode="r:gz") as archive:
        for member in archive.getmembers():
            path = member.name.split("/", 1)[-1]
            is_courier = path.startswith("couriers/") and path.endswith(".json")
            if member.isfile() and (is_courier or path == "LICENSE"):
                extracted = archive.extractfile(member)
                if extracted is not None:
                    wanted[path] = extracted.read()
    return commit, wanted


def write(commit: str, contents: dict[str, bytes]) -> None:
    shutil.rmtree(TARGET / "couriers", ignore_errors=True)
    for path, data in contents.items():
        destination = TARGET / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    source = {
        "repository": f"https://github.com/{REPOSITORY}",
        "commit": commit,
        "date": datetime.now(UTC).date().isoformat(),
    }
    (TARGET / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")


def check() -> int:
    """Number of test numbers the interpreter reads differently from the data set."""
    from sellercomms.tracking._formats import load_formats
    from sellercomms.tracking._text import normalise

    files = sorted((TARGET / "couriers").glob("*.json"))
    problems = 0
    for fmt in load_formats(json.loads(f.read_text(encoding="utf-8")) for f in files):
        for expected, numbers in ((True, fmt.valid_examples), (False, fmt.invalid_examples)):
            for number in numbers:
                reading = fmt.read(normalise(number))
                if (reading is not None and reading.valid) != expected:
                    problems += 1
                    print(f"{fmt.key}: {number!r} should be {'valid' if expected else 'invalid'}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="main", help="branch, tag or commit")
    args = parser.parse_args()
    commit, contents = download(args.ref)
    write(commit, contents)
    problems = check()
    print(f"{REPOSITORY}@{commit}: {len(contents) - 1} courier files, {problems} problems")
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
