"""The seller's rating counts, for the figures an export of 1 to 3 stars cannot give.

``--totals FILE`` is either a small TOML or JSON file of counts, as Feedback Manager shows
them (positive, neutral, negative over 30, 90 and 365 days and lifetime)::

    as_of = 2025-12-01            # optional: the day the counts were copied
    [last_30_days]
    positive = 118
    neutral = 2
    negative = 3
    [lifetime]
    positive = 5210
    neutral = 40
    negative = 61

or an export that holds every rating (our CSV, eBay, Etsy), whose figures are used instead.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..exceptions import InputFileError
from ..loading import unreadable
from .models import FeedbackFile, Totals
from .reading import read_feedback

__all__ = ["load_totals"]

_PERIOD = re.compile(r"last_[1-9][0-9]{0,4}_days|lifetime")


def load_totals(source: str | Path) -> Totals | FeedbackFile:
    """The counts in ``source``, or the export it is when it holds every rating."""
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(exc, path) from None
    counts = _counts(data, str(path))
    if counts is None:
        read = read_feedback(path)
        if read.source.holds != "all":
            raise InputFileError(
                "holds only negative and neutral feedback too; the totals need every rating: "
                "your counts (docs/feedback-report.md, Totals) or a complete export",
                filename=str(path),
            )
        return read
    return _validated(counts, str(path))


def _counts(data: bytes, name: str) -> dict[str, Any] | None:
    """The file as a table of counts, or ``None`` when it is an export instead."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if name.lower().endswith(".toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputFileError(f"not valid TOML: {exc}", filename=name) from None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if isinstance(document, dict) and any(_PERIOD.fullmatch(key) for key in document):
        return document
    return None


def _validated(counts: dict[str, Any], name: str) -> Totals:
    as_of = counts.get("as_of")
    periods = {key: value for key, value in counts.items() if key != "as_of"}
    unknown = [key for key in periods if not _PERIOD.fullmatch(key)]
    if unknown:
        raise InputFileError(
            f"{unknown[0]}: not a period; use last_30_days, last_90_days, last_365_days "
            "or lifetime",
            filename=name,
        )
    try:
        return Totals.model_validate(
            {"source": name, "as_of": as_of, "periods": periods}, strict=False
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"] if part != "periods")
        raise InputFileError(f"{where}: {error['msg']}", filename=name) from None
