"""Our own CSV: ``date,rating,comment,order_id``, comma-separated, ISO dates.

Only ``date`` and ``rating`` are required; any other column is an error, so that a
misspelled column cannot lose data silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..exceptions import InputFileError
from .dates import parse_date
from .models import FeedbackEntry
from .parsed import Parsed
from .tabular import (
    Layout,
    RowError,
    Rows,
    check_quotes,
    fold,
    layout_by_name,
    stars,
    values_of,
)

__all__ = ["CSV_COLUMNS", "is_own_csv", "read_own_csv"]

#: Our own CSV's columns, with the field each fills.
CSV_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "date": ("date", "date"),
        "rating": ("rating", "rating"),
        "comment": ("comment", "comment"),
        "order_id": ("order_id", "order_id"),
    }
)


def is_own_csv(header: list[str]) -> bool:
    """Every column of ``header`` is one of ours."""
    return all(fold(cell) in CSV_COLUMNS for cell in header)


def read_own_csv(rows: Rows, name: str, *, delimiter: str) -> Parsed:
    header, body = rows[0][1], rows[1:]
    unknown = [cell.strip() for cell in header if fold(cell) not in CSV_COLUMNS]
    if unknown:
        raise InputFileError(
            f"unknown column {unknown[0]!r}; the columns of our CSV are " + ", ".join(CSV_COLUMNS),
            filename=name,
        )
    try:
        layout = layout_by_name(header, CSV_COLUMNS, delimiter=delimiter)
    except RowError as error:
        raise InputFileError(f"column {error.field!r} {error.message}", filename=name) from None
    missing = [field for field in ("date", "rating") if field not in layout.positions]
    if missing:
        raise InputFileError(
            f"no {' or '.join(missing)} column in the header row; expected "
            + ", ".join(CSV_COLUMNS),
            filename=name,
        )
    if delimiter == ",":
        check_quotes(body, lambda cells: _looks_like_row(cells, layout), name)
    parsed: list[tuple[int, FeedbackEntry | RowError]] = []
    for line, cells in body:
        try:
            parsed.append((line, _entry(line, cells, layout)))
        except RowError as error:
            parsed.append((line, error))
    return Parsed(
        format="csv",
        layout="csv",
        rows=parsed,
        order_label=layout.labels.get("order_id", "order_id"),
    )


def _entry(line: int, cells: list[str], layout: Layout) -> FeedbackEntry:
    values = values_of(cells, layout)
    label = layout.labels
    if not values["date"]:
        raise RowError(label["date"], "is empty")
    try:
        day = parse_date(values["date"], "iso")
    except ValueError as exc:
        raise RowError(label["date"], str(exc)) from None
    return FeedbackEntry(
        line=line,
        date=day,
        rating=stars(values["rating"], label["rating"]),
        comment=values.get("comment", ""),
        order_id=values.get("order_id") or None,
    )


def _looks_like_row(cells: list[str], layout: Layout) -> bool:
    date_at, rating_at = layout.positions["date"], layout.positions["rating"]
    if max(date_at, rating_at) >= len(cells) or cells[rating_at].strip() not in set("12345"):
        return False
    try:
        parse_date(cells[date_at], "iso")
    except ValueError:
        return False
    return True
