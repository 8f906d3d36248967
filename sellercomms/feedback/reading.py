"""Reading feedback exports: Amazon's feedback report and our own simple CSV.

* **Amazon** (Seller Central, Feedback Manager): tab-separated, columns ``Date``, ``Rating``,
  ``Comments``, ``Your Response``, ``Arrived on Time``, ``Item as Described``,
  ``Customer Service``, ``Order ID``, ``Rater Email`` (header names in English, in any case;
  columns Amazon may add are ignored and named in the report).  Dates follow the marketplace
  (dates.py).
* **Our own CSV**: comma-separated with a header ``date,rating,comment,order_id``; dates are
  ``YYYY-MM-DD``; only ``date`` and ``rating`` are required.

The encoding is found by decoding, never from the file name: UTF-8 (with or without a byte
order mark), UTF-16 with a byte order mark, Shift_JIS (Windows code page 932, as Amazon Japan
writes it), else Windows-1252 (a file re-saved by Excel on Windows).  A row that cannot be read
is skipped and reported with its line number; every other row is kept.

A file whose quoting is broken is refused as a whole, naming the line where the quote opened:
a quote left open makes every line up to the next quote one field, so the rows that follow
would be lost or misread without a word.  No field may be longer than :data:`MAX_FIELD`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from ..exceptions import InputError, InputFileError
from ..marketplaces import MARKETPLACES, get_marketplace
from .dates import DATE_ORDERS, DEFAULT_MARKETPLACE, detect_date_order, parse_date
from .models import DateOrder, FeedbackEntry, FeedbackFile, RowProblem, Source

__all__ = ["AMAZON_COLUMNS", "CSV_COLUMNS", "MAX_FIELD", "parse_feedback", "read_feedback"]

#: The longest field read, in characters.  csv's default limit (131,072) is less than a long
#: comment pasted into a spreadsheet cell; a million is far beyond any real comment.
MAX_FIELD = 1_000_000

#: Amazon's columns by their folded header name, with the field each fills.
AMAZON_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "date": ("Date", "date"),
        "rating": ("Rating", "rating"),
        "comments": ("Comments", "comment"),
        "your response": ("Your Response", "response"),
        "arrived on time": ("Arrived on Time", "arrived_on_time"),
        "item as described": ("Item as Described", "item_as_described"),
        "customer service": ("Customer Service", "customer_service"),
        "order id": ("Order ID", "order_id"),
        "rater email": ("Rater Email", "rater_email"),
    }
)

#: Our own CSV's columns, with the field each fills.
CSV_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "date": ("date", "date"),
        "rating": ("rating", "rating"),
        "comment": ("comment", "comment"),
        "order_id": ("order_id", "order_id"),
    }
)

_ANSWERS: Mapping[str, bool | None] = MappingProxyType(
    {
        **dict.fromkeys(["yes", "y", "ja", "oui", "sí", "si", "はい", "نعم"], True),
        **dict.fromkeys(["no", "n", "nein", "non", "いいえ", "لا"], False),
        **dict.fromkeys(["", "-", "n/a", "na"], None),
    }
)

_RATINGS = frozenset("12345")
_KANA = re.compile("[\u3040-\u30ff]")
# The line ends csv knows; str.splitlines would also split at form feeds and U+2028.
_LINE_END = re.compile(r"\r\n|\r|\n")
# csv's field size limit is one setting for the whole process: it is raised only while a
# file is read, and reads take turns so that one cannot put the limit back under another.
_FIELD_LIMIT = threading.Lock()


def read_feedback(source: str | Path, *, marketplace: str | None = None) -> FeedbackFile:
    """Read a feedback export; bad rows are skipped and listed in ``problems``.

    ``marketplace`` (``amazon.co.uk`` …) fixes how Amazon dates are read; without it the
    order is found from the dates themselves, and where they fit more than one, amazon.com's
    m/d/y is used.  For our own CSV it names where the feedback was left (default: the
    seller's own store).  Raises :class:`~sellercomms.InputFileError` when the file cannot be
    read at all, :class:`~sellercomms.InputError` for an unknown ``marketplace``.
    """
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("no such file", filename=str(path)) from None
    except OSError as exc:
        raise InputFileError(exc.strerror or str(exc), filename=str(path)) from None
    return parse_feedback(data, marketplace=marketplace, filename=str(path))


def parse_feedback(
    data: bytes, *, marketplace: str | None = None, filename: str | None = None
) -> FeedbackFile:
    """Read a feedback export given as bytes (see :func:`read_feedback`)."""
    name = filename or "<feedback>"
    text, encoding = _decode(data, name, japanese=marketplace == "amazon.co.jp")
    rows = _rows(text, name)
    if not rows:
        raise InputFileError("is empty: no header row", filename=name)
    layout = _layout(rows[0][1], name)
    _check_marketplace(marketplace, layout.kind)
    body = rows[1:]
    if layout.kind == "csv":
        for line, cells in body:
            _check_quotes(line, cells, layout, name)
    date_order, date_order_from = _date_order(layout, marketplace, encoding, body)
    entries: list[FeedbackEntry] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    for line, cells in body:
        try:
            entry = _entry(line, cells, layout, date_order)
        except _RowError as error:
            problems.append(RowProblem(line=line, field=error.field, message=error.message))
            continue
        if entry.order_id is not None:
            earlier = first_line.setdefault(entry.order_id, line)
            if earlier != line:
                problems.append(
                    RowProblem(
                        line=line,
                        field=layout.labels["order_id"],
                        message=f"order {entry.order_id} has feedback on line {earlier} "
                        "already; one feedback per order",
                    )
                )
                continue
        entries.append(entry)
    channel = "amazon"
    if layout.kind == "csv" and marketplace is not None:
        channel = get_marketplace(marketplace).default_channel
    elif layout.kind == "csv":
        channel = "own"
    source = Source(
        file=filename,
        format=layout.kind,
        encoding=encoding,
        marketplace=marketplace,
        channel=channel,
        date_order=date_order,
        date_order_from=date_order_from,
        rows=len(body),
        ignored_columns=layout.ignored,
    )
    return FeedbackFile(source=source, entries=entries, problems=problems)


def _decode(data: bytes, name: str, *, japanese: bool) -> tuple[str, str]:
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    f"not valid {encoding} text: {exc.reason}", filename=name
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text: str | None = data.decode("cp932")
    except UnicodeDecodeError:
        text = None
    # Accented Latin text saved as Windows-1252 often decodes as code page 932 too, into
    # half-width katakana and stray kanji; Japanese text has hiragana or katakana.
    if text is not None and (japanese or _KANA.search(text)):
        return text, "cp932"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise InputFileError(
            "cannot tell the encoding: not UTF-8, Shift_JIS or Windows-1252 text", filename=name
        ) from None


def _rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on."""
    tabs = "\t" in _LINE_END.split(text, maxsplit=1)[0]
    lines = io.StringIO(text, newline="")
    # Amazon writes tab-separated text without quoting, so a comment may start with a quote
    # character; honouring quotes there would swallow the rows that follow.  In our CSV,
    # strict mode stops at a quote never closed instead of reading on to the end of the file.
    reader = (
        csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        if tabs
        else csv.reader(lines, strict=True)
    )
    rows: list[tuple[int, list[str]]] = []
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


def _check_quotes(line: int, cells: list[str], layout: _Layout, name: str) -> None:
    """Refuse a quoted field that runs on over a line that reads as a row of its own.

    A quote left open runs to the next quote in the file, which may close it: then csv
    reads the rows between as one long comment, with no error.
    """
    opened = line
    for cell in cells:
        parts = _LINE_END.split(cell)
        for offset, part in enumerate(parts[1:], start=1):
            if _looks_like_row(part, layout):
                raise InputFileError(
                    f"line {opened}: a quoted field opens here and runs on over line "
                    f"{opened + offset}, which reads as a row of its own; close the quote",
                    filename=name,
                )
        opened += len(parts) - 1


def _looks_like_row(text: str, layout: _Layout) -> bool:
    date_at, rating_at = layout.positions["date"], layout.positions["rating"]
    # Split by hand: the line may be longer than csv's limit outside a read, and a quoted
    # comma before the date or rating is no row of ours anyway.
    cells = text.split(",", max(date_at, rating_at) + 1)
    if max(date_at, rating_at) >= len(cells) or cells[rating_at].strip() not in _RATINGS:
        return False
    try:
        parse_date(cells[date_at], "iso")
    except ValueError:
        return False
    return True


def _unquote(cell: str) -> str:
    # A tab-separated file re-saved by a spreadsheet quotes the cells that hold quotes.
    stripped = cell.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        return stripped[1:-1].replace('""', '"')
    return cell


@dataclass(frozen=True, slots=True)
class _Layout:
    """The format of a file and where each field is: field → column position and label."""

    kind: Literal["amazon", "csv"]
    positions: dict[str, int]
    labels: dict[str, str]
    width: int
    ignored: list[str]


def _fold(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _layout(header: list[str], name: str) -> _Layout:
    folded = [_fold(cell) for cell in header]
    kind: Literal["amazon", "csv"] = (
        "amazon" if (set(AMAZON_COLUMNS) - {"date", "rating"}) & set(folded) else "csv"
    )
    known = AMAZON_COLUMNS if kind == "amazon" else CSV_COLUMNS
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for position, (cell, key) in enumerate(zip(header, folded, strict=True)):
        if key not in known:
            if kind == "csv":
                raise InputFileError(
                    f"unknown column {cell.strip()!r}; the columns of our CSV are "
                    + ", ".join(CSV_COLUMNS),
                    filename=name,
                )
            ignored.append(cell.strip())
            continue
        label, field = known[key]
        if field in positions:
            raise InputFileError(f"column {label!r} appears twice", filename=name)
        positions[field] = position
    missing = [known[key][0] for key in ("date", "rating") if known[key][1] not in positions]
    if missing:
        expected = ", ".join(label for label, _ in known.values())
        raise InputFileError(
            f"no {' or '.join(missing)} column in the header row; expected {expected}",
            filename=name,
        )
    labels = {field: label for label, field in known.values()}
    return _Layout(kind, positions, labels, len(header), ignored)


def _check_marketplace(marketplace: str | None, kind: str) -> None:
    if marketplace is None:
        return
    if kind == "amazon" and marketplace not in DATE_ORDERS:
        known = ", ".join(DATE_ORDERS)
        raise InputError(
            f"{marketplace!r} is not an Amazon marketplace; an Amazon export needs one of {known}",
            path="marketplace",
        )
    if marketplace not in MARKETPLACES:
        raise InputError(f"{marketplace!r} is not a known marketplace", path="marketplace")


def _date_order(
    layout: _Layout, marketplace: str | None, encoding: str, body: list[tuple[int, list[str]]]
) -> tuple[DateOrder, Literal["format", "marketplace", "dates", "encoding", "default"]]:
    if layout.kind == "csv":
        return "iso", "format"
    if marketplace is not None:
        return DATE_ORDERS[marketplace], "marketplace"
    position = layout.positions["date"]
    found = detect_date_order(cells[position] for _, cells in body if position < len(cells))
    if found is not None:
        return found, "dates"
    if encoding == "cp932":
        # Shift_JIS is written only by Amazon Japan, whose dates put the year first.
        return DATE_ORDERS["amazon.co.jp"], "encoding"
    return DATE_ORDERS[DEFAULT_MARKETPLACE], "default"


class _RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _entry(line: int, cells: list[str], layout: _Layout, order: DateOrder) -> FeedbackEntry:
    if len(cells) > layout.width:
        raise _RowError(
            "row",
            f"has {len(cells)} columns, the header {layout.width} "
            "(a tab or separator inside a comment?)",
        )
    values = {
        field: cells[position].strip() if position < len(cells) else ""
        for field, position in layout.positions.items()
    }
    label = layout.labels
    if not values["date"]:
        raise _RowError(label["date"], "is empty")
    try:
        day = parse_date(values["date"], order)
    except ValueError as exc:
        raise _RowError(label["date"], str(exc)) from None
    rating = values["rating"]
    if rating not in _RATINGS:
        problem = "is empty" if not rating else f"{rating!r} is not a rating from 1 to 5"
        raise _RowError(label["rating"], problem)
    answers: dict[str, bool | None] = {}
    for field in ("arrived_on_time", "item_as_described", "customer_service"):
        text = values.get(field, "")
        key = text.casefold()
        if key not in _ANSWERS:
            raise _RowError(label[field], f"{text!r} is not Yes or No")
        answers[field] = _ANSWERS[key]
    return FeedbackEntry(
        line=line,
        date=day,
        rating=int(rating),
        comment=values.get("comment", ""),
        response=values.get("response", ""),
        order_id=values.get("order_id") or None,
        rater_email=values.get("rater_email") or None,
        **answers,
    )
