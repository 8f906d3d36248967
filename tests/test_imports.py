"""``import sellercomms`` stays light: code that only sends e-mail pays for no PDF start-up."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "weasyprint",
    "premailer",
    "cssutils",
    "lxml",
    "pypdf",
    "segno",
    "barcode",
    "uvicorn",
    "starlette",
    "watchfiles",
    "pypdfium2",
    "PIL",
)


def test_import_loads_nothing_heavy() -> None:
    code = "import json, sys, sellercomms; print(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = {name.partition(".")[0] for name in json.loads(output)}
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))
