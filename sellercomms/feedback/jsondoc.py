"""JSON exports whose objects know the line they start on, so a bad record is reported as
``line N: field: problem`` like a bad row of a tabular export.

Keys are matched folded (case, ``_`` and ``-`` ignored), so eBay's ``CommentType`` (Trading
API), ``commentType`` (REST) and ``comment_type`` are the same field.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
from collections.abc import Iterator
from typing import Any

from ..exceptions import InputFileError

__all__ = ["Located", "field", "key", "load", "records"]


class Located(dict[str, Any]):
    """A JSON object and the line its ``{`` is on."""

    line: int = 0


def key(name: str) -> str:
    return name.replace("_", "").replace("-", "").casefold()


def field(record: dict[str, Any], *names: str) -> tuple[str, Any] | None:
    """The first of ``names`` that ``record`` has (folded), as (key as written, value)."""
    wanted = [key(name) for name in names]
    folded = {key(written): written for written in record}
    for name in wanted:
        if name in folded:
            return folded[name], record[folded[name]]
    return None


def load(text: str, name: str) -> Any:
    """``text`` parsed; every object a :class:`Located`."""
    starts = [0, *(index + 1 for index, char in enumerate(text) if char == "\n")]
    decoder = json.JSONDecoder()

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Located, int]:
        # json's own object parser, with the line of the opening brace recorded.
        found, end = json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        located = Located(found)
        located.line = bisect.bisect_right(starts, s_and_end[1] - 1)
        return located, end

    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"line {exc.lineno}: not valid JSON: {exc.msg}", filename=name
        ) from None
    except RecursionError:
        raise InputFileError("nested too deeply to be a feedback export", filename=name) from None


def records(document: Any, *paths: tuple[str, ...]) -> Iterator[Located]:
    """The objects of the first list found at one of ``paths`` (each a chain of keys, folded;
    a one-element wrapper object on the way is looked through), or of ``document`` itself."""
    for path in paths:
        node = document
        for step in path:
            found = field(node, step) if isinstance(node, dict) else None
            if found is None:
                node = None
                break
            node = found[1]
        if isinstance(node, Located):
            node = [node]
        if isinstance(node, list):
            yield from (item for item in node if isinstance(item, Located))
            return
