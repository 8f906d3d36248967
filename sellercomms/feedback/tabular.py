"""Rows of a tab- or comma-separated export, and which column holds which field.

Shared by every tabular reader (amazon.py, ebay.py, owncsv.py).  Tab-separated text is read
without quoting, as Amazon writes it; comma-separated text is RFC 4180 in strict mode.  A
file whose quoting is broken is refused as a whole, naming the line where the quote opened:
a quote left open makes every line up to the next quote one field, so the rows that follow
would be lost or misread without a word.  No field may be longer than :data:`MAX_FIELD`.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from ..exceptions import InputFileError

__all__ = [
    "MAX_FIELD",
    "Layout",
    "RowError",
    "check_quotes",
    "fold",
    "is_tab_separated",
    "layout_by_name",
    "read_rows",
    "stars",
    "values_of",
]

#: The longest field read, in characters.  csv's default limit (131,072) is less than a long
#: comment pasted into a spreadsheet cell; a million is far beyond any real comment.
MAX_FIELD = 1_000_000

# The line ends csv knows; str.splitlines would also split at form feeds and U+2028.
LINE_END = re.compile(r"\r\n|\r|\n")
# csv's field size limit is one setting for the whole process: it is raised only while a
# file is read, and reads take turns so that one cannot put the limit back under another.
_FIELD_LIMIT = threading.Lock()

Rows = list[tuple[int, list[str]]]


class RowError(Exception):
    """A row that cannot be read: the column at fault (its label) and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each field is: field → column position, and the label errors use for it."""

    positions: dict[str, int]
    labels: dict[str, str]
    width: int
    ignored: list[str]
    delimiter: str


def fold(name: str) -> str:
    """A header name folded for matching: case, spacing and a byte order mark ignored."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def is_tab_separated(text: str) -> bool:
    return "\t" in LINE_END.split(text, maxsplit=1)[0]


def read_rows(text: str, name: str, *, delimiter: str) -> Rows:
    """Each non-blank row with the line it starts on."""
    lines = io.StringIO(text, newline="")
    # Amazon writes tab-separated text without quoting, so a comment may start with a quote
    # character; honouring quotes there would swallow the rows that follow.  In CSV, strict
    # mode stops at a quote never closed instead of reading on to the end of the file.
    tabs = delimiter == "\t"
    reader = (
        csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        if tabs
        else csv.reader(lines, strict=True)
    )
    rows: Rows = []
    line = 1
    with _field_limit(MAX_FIELD):
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                problem = _csv_problem(str(exc), reader.line_num)
                raise InputFileError(f"line {line}: {problem}", filename=name) from None
            if cells is None:
                return rows
            start, line = line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                rows.append((start, [_unquote(cell) for cell in cells] if tabs else cells))


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    with _FIELD_LIMIT:
        previous = csv.field_size_limit(limit)
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def _csv_problem(message: str, last_line: int) -> str:
    """csv's ``message`` said of the row it stopped in; it had read up to ``last_line``."""
    if "field limit" in message:
        return f"a field is longer than {MAX_FIELD:,} characters, the most one may hold"
    if "end of data" in message:
        return "a quote opens a field here and is never closed"
    if "expected after" in message:
        return (
            f"a quoted field opens here and has text after its closing quote on line "
            f'{last_line}; a quote inside a quoted field is written twice ("")'
        )
    return message


def check_quotes(rows: Rows, looks_like_row: Callable[[list[str]], bool], name: str) -> None:
    """Refuse a quoted field that runs on over a line that reads as a row of its own.

    A quote left open runs to the next quote in the file, which may close it: then csv
    reads the rows between as one long comment, with no error.  ``looks_like_row`` is
    given a line split at commas.
    """
    for line, cells in rows:
        opened = line
        for cell in cells:
            parts = LINE_END.split(cell)
            for offset, part in enumerate(parts[1:], start=1):
                # Split by hand: the line may be longer than csv's limit outside a read.
                if looks_like_row(part.split(",")):
                    raise InputFileError(
                        f"line {opened}: a quoted field opens here and runs on over line "
                        f"{opened + offset}, which reads as a row of its own; close the quote",
                        filename=name,
                    )
            opened += len(parts) - 1


def _unquote(cell: str) -> str:
    # A tab-separated file re-saved by a spreadsheet quotes the cells that hold quotes.
    stripped = cell.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        return stripped[1:-1].replace('""', '"')
    return cell


def layout_by_name(
    header: list[str], known: Mapping[str, tuple[str, str]], *, delimiter: str
) -> Layout:
    """The layout of a header whose columns are found by name (``known``: folded name →
    label, field); columns not known are ignored and listed."""
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for position, cell in enumerate(header):
        entry = known.get(fold(cell))
        if entry is None:
            ignored.append(cell.strip())
            continue
        label, field = entry
        if field in positions:
            raise RowError(label, "appears twice")
        positions[field] = position
        labels[field] = cell.strip() or label
    return Layout(positions, labels, len(header), ignored, delimiter)


def values_of(cells: list[str], layout: Layout) -> dict[str, str]:
    """Each field's text in a row, stripped; a field beyond the row's end is empty."""
    if len(cells) > layout.width:
        raise RowError(
            "row",
            f"has {len(cells)} columns, the header {layout.width} "
            "(a tab or separator inside a comment?)",
        )
    return {
        field: cells[position].strip() if position < len(cells) else ""
        for field, position in layout.positions.items()
    }


_RATINGS = frozenset("12345")


def stars(text: str, label: str) -> int:
    """A rating of 1 to 5 stars, or :class:`RowError` saying what is wrong with ``text``."""
    if text not in _RATINGS:
        raise RowError(label, "is empty" if not text else f"{text!r} is not a rating from 1 to 5")
    return int(text)
