"""Etsy reviews: Shop Manager → Settings → Options → Download data → "Download Your Reviews",
a JSON file (Etsy Help, "How the Review System Works for Sellers", article 360000572708).

Each review is read by Etsy's documented names for a TransactionReview (Open API v3, as in
Etsy's schema and the etsy-python-sdk ``TransactionReview`` model): ``rating`` (1 to 5
stars), ``review`` (the buyer's text), ``create_timestamp`` or ``created_timestamp`` (seconds
since 1970, UTC), ``transaction_id``, ``listing_id``, ``buyer_user_id``, ``language``.  The
download's own names are read too: ``star_rating``, ``message``, ``date_reviewed`` (an ISO
date), ``order_id`` and ``reviewer`` (*unconfirmed*: Etsy does not publish the file's
fields).  A list of reviews, or an object whose ``results`` or ``reviews`` is one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from . import jsondoc
from .models import FeedbackEntry
from .parsed import Parsed
from .tabular import RowError, stars

__all__ = ["is_etsy_record", "read_etsy_json"]

_RATING = ("rating", "star_rating")
_TEXT = ("review", "message")
_WHEN = ("create_timestamp", "created_timestamp", "date_reviewed")
_ORDER = ("order_id", "receipt_id", "transaction_id")
_REPLY = ("response", "seller_response")


def is_etsy_record(record: dict[str, Any]) -> bool:
    return jsondoc.field(record, *_RATING) is not None


def read_etsy_json(document: Any, name: str) -> Parsed:
    parsed = Parsed(format="etsy", layout="json", rows=[], order_label="transaction_id")
    for record in jsondoc.records(document, ("results",), ("reviews",), ()):
        try:
            parsed.rows.append((record.line, _entry(record)))
        except RowError as error:
            parsed.rows.append((record.line, error))
    return parsed


def _text(record: dict[str, Any], names: tuple[str, ...]) -> str:
    found = jsondoc.field(record, *names)
    return "" if found is None or found[1] is None else str(found[1]).strip()


def _entry(record: jsondoc.Located) -> FeedbackEntry:
    rating = jsondoc.field(record, *_RATING)
    label, value = rating if rating is not None else ("rating", None)
    stars_given = stars("" if value is None else str(value).strip(), label)
    when = jsondoc.field(record, *_WHEN)
    if when is None or when[1] in (None, ""):
        raise RowError(when[0] if when else "create_timestamp", "is empty")
    return FeedbackEntry(
        line=record.line,
        date=_day(when[0], when[1]),
        rating=stars_given,
        comment=_text(record, _TEXT),
        response=_text(record, _REPLY),
        order_id=_text(record, _ORDER) or None,
    )


def _day(label: str, value: Any) -> date:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC).date()
        except (OverflowError, OSError, ValueError):
            raise RowError(label, f"{value!r} is not a time (seconds since 1970)") from None
    text = str(value).strip()
    if text.isdigit():
        return _day(label, int(text))
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise RowError(
            label, f"{text!r} is not a date (YYYY-MM-DD, or seconds since 1970)"
        ) from None
