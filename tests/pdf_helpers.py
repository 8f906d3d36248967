"""Reading packing-slip PDFs back: text, link targets, page sizes and scanned codes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89), "4x6": (288.0, 432.0)}


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf), strict=True)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, whitespace runs folded to one space."""
    return [" ".join(page.extract_text().split()) for page in reader(pdf).pages]


def link_targets(pdf: bytes) -> list[list[str]]:
    """The URI of every link annotation, page by page."""
    targets: list[list[str]] = []
    for page in reader(pdf).pages:
        found = []
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
        targets.append(found)
    return targets


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for page in reader(pdf).pages
    ]


def all_stream_data(pdf: bytes) -> bytes:
    """Every stream of the file, decoded: what a file would look like if it leaked in."""
    pdf_reader = reader(pdf)
    numbers = set(pdf_reader.xref.get(0, {})) | set(pdf_reader.xref_objStm)
    data = [pdf]
    for number in sorted(numbers):
        obj = pdf_reader.get_object(IndirectObject(number, 0, pdf_reader))
        if isinstance(obj, StreamObject):
            data.append(obj.get_data())
    return b"\n".join(data)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run .ci/setup --test (poppler-utils, zbar-tools)")
    return path


def scanned_codes(pdf: bytes, *, page: int | None = None, dpi: int = 200) -> list[tuple[str, str]]:
    """(symbology, data) of every barcode and QR code zbarimg finds on ``page`` (or all)."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "slip.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                _tool("pdftoppm"),
                "-r",
                str(dpi),
                "-png",
                *pages,
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        images = sorted(str(p) for p in Path(folder).glob("page*.png"))
        done = subprocess.run(
            [_tool("zbarimg"), "-q", "--nodbus", *images], capture_output=True, text=True
        )
    # zbarimg exits 4 when it finds nothing; the caller's assertion says what was expected.
    return [
        (match[1], match[2])
        for match in re.finditer(r"^([A-Za-z0-9-]+):(.*)$", done.stdout, re.MULTILINE)
    ]


def pdfinfo(pdf: bytes, *options: str) -> str:
    """What poppler's pdfinfo prints about ``pdf`` (``-struct-text`` shows the tag tree)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "slips.pdf"
        source.write_bytes(pdf)
        done = subprocess.run([_tool("pdfinfo"), *options, str(source)], capture_output=True)
    done.check_returncode()
    # Structure titles are printed as the raw bytes of PDF text strings (UTF-16 in places).
    return done.stdout.decode("utf-8", errors="replace")
