"""Amazon's feedback report: Feedback Manager's download and SP-API's GET_SELLER_FEEDBACK_DATA.

Both hold only negative and neutral feedback, 1 to 3 stars ("Tab-delimited flat file that
returns negative and neutral feedback (one to three stars)", the report type's description
as quoted in public connector code, e.g. the Scala MWS client's ``_GET_SELLER_FEEDBACK_DATA_``
object; SP-API issue amzn/selling-partner-api-models#1999 says the same).  So a positive
percentage can never be computed from one: report.py takes it from the seller's totals.

The layouts (:data:`LAYOUTS`), tab-separated with a header row:

* ``mws-9``: Date, Rating, Comments, Your Response, Arrived on Time, Item as Described,
  Customer Service, Order ID, Rater Email (the column names read by the Emipro Odoo
  connector, ``rating_report.py``, and the fields of optoro/amazon_seller_central);
* ``mws-10``: the same and Rater Role (optoro/amazon_seller_central ``feedback.rb``);
* ``sp-api-6``: Date, Rating, Comments, Response, Order ID, Rater Email
  (abuzuhri/Amazon-SP-API-CSharp, ``FeedbackOrderReport.cs``).

Headers are written in the marketplace's language.  English names are matched in any case
and order; a header in another language is read by position when its width is one of the
layouts and its rows read as such (a date first, a rating second), so no root cause ever
depends on the language of the headers.  Dates follow the marketplace (dates.py); which
one is taken from ``--marketplace``, else the raters' relay addresses
(``…@marketplace.amazon.co.uk``), else the dates themselves, else Shift_JIS (Japan).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from ..exceptions import InputError, InputFileError
from .dates import (
    DATE_ORDERS,
    DEFAULT_MARKETPLACE,
    detect_date_order,
    marketplace_from_email,
    parse_date,
)
from .models import DateOrder, DateOrderFrom, FeedbackEntry
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

__all__ = ["AMAZON_COLUMNS", "ANSWERS", "LAYOUTS", "is_amazon_header", "read_amazon"]

#: Amazon's columns by their folded English header name, with the field each fills.
AMAZON_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "date": ("Date", "date"),
        "rating": ("Rating", "rating"),
        "comments": ("Comments", "comment"),
        "your response": ("Your Response", "response"),
        "response": ("Response", "response"),
        "arrived on time": ("Arrived on Time", "arrived_on_time"),
        "item as described": ("Item as Described", "item_as_described"),
        "customer service": ("Customer Service", "customer_service"),
        "order id": ("Order ID", "order_id"),
        "rater email": ("Rater Email", "rater_email"),
    }
)

_MWS = (
    ("Date", "date"),
    ("Rating", "rating"),
    ("Comments", "comment"),
    ("Your Response", "response"),
    ("Arrived on Time", "arrived_on_time"),
    ("Item as Described", "item_as_described"),
    ("Customer Service", "customer_service"),
    ("Order ID", "order_id"),
    ("Rater Email", "rater_email"),
)

#: Each layout by its width: its name and its columns in order (label, field; field
#: ``None``: a column read but not used).
LAYOUTS: Mapping[int, tuple[str, tuple[tuple[str, str | None], ...]]] = MappingProxyType(
    {
        9: ("mws-9", _MWS),
        10: ("mws-10", (*_MWS, ("Rater Role", None))),
        6: (
            "sp-api-6",
            (
                ("Date", "date"),
                ("Rating", "rating"),
                ("Comments", "comment"),
                ("Response", "response"),
                ("Order ID", "order_id"),
                ("Rater Email", "rater_email"),
            ),
        ),
    }
)

#: Yes and no in the languages of Amazon's marketplaces: English, German, French, Spanish,
#: Italian, Dutch, Swedish, Polish, Turkish, Portuguese, Japanese and Arabic.
ANSWERS: Mapping[str, bool | None] = MappingProxyType(
    {
        **dict.fromkeys(
            ["yes", "y", "ja", "oui", "sí", "si", "sì", "tak", "evet", "sim", "はい", "نعم"],
            True,
        ),
        **dict.fromkeys(
            [
                "no",
                "n",
                "nein",
                "nej",
                "nee",
                "non",
                "nie",
                "hayır",
                "hayir",
                "não",
                "nao",
                "いいえ",
                "لا",
            ],
            False,
        ),
        **dict.fromkeys(["", "-", "–", "n/a", "na"], None),
    }
)

_ANSWER_FIELDS = ("arrived_on_time", "item_as_described", "customer_service")


def is_amazon_header(header: list[str]) -> bool:
    """The header names a column only Amazon's report has (beyond Date and Rating)."""
    names = {fold(cell) for cell in header}
    return bool((set(AMAZON_COLUMNS) - {"date", "rating"}) & names)


def read_amazon(
    rows: Rows, name: str, *, delimiter: str, marketplace: str | None, encoding: str
) -> Parsed:
    if marketplace is not None and marketplace not in DATE_ORDERS:
        known = ", ".join(DATE_ORDERS)
        raise InputError(
            f"{marketplace!r} is not an Amazon marketplace; an Amazon export needs one of {known}",
            path="marketplace",
        )
    header, body = rows[0][1], rows[1:]
    layout, variant, by_position = _layout(header, body, name, delimiter)
    order, order_from = _date_order(layout, marketplace, encoding, body, name)
    if delimiter == ",":
        check_quotes(body, lambda cells: _looks_like_row(cells, layout), name)
    parsed: list[tuple[int, FeedbackEntry | RowError]] = []
    for line, cells in body:
        try:
            parsed.append((line, _entry(line, cells, layout, order)))
        except RowError as error:
            parsed.append((line, error))
    return Parsed(
        format="amazon",
        layout=variant,
        rows=parsed,
        order_label=layout.labels.get("order_id", "Order ID"),
        date_order=order,
        date_order_from=order_from,
        ignored=layout.ignored,
        by_position=by_position,
        holds="negative_neutral",
        channel="amazon",
    )


def _layout(header: list[str], body: Rows, name: str, delimiter: str) -> tuple[Layout, str, bool]:
    try:
        named = layout_by_name(header, AMAZON_COLUMNS, delimiter=delimiter)
    except RowError as error:
        raise InputFileError(f"column {error.field!r} {error.message}", filename=name) from None
    if {"date", "rating"} <= set(named.positions):
        variant = LAYOUTS.get(len(header), ("named", ()))[0]
        return named, variant, False
    found = LAYOUTS.get(len(header))
    if found is not None and _reads_as_layout(body):
        variant, columns = found
        positions = {field: at for at, (_, field) in enumerate(columns) if field is not None}
        labels = {
            field: _label(header[at], label)
            for at, (label, field) in enumerate(columns)
            if field is not None
        }
        ignored = [header[at].strip() for at, (_, field) in enumerate(columns) if field is None]
        return Layout(positions, labels, len(header), ignored, delimiter), variant, True
    missing = [
        label
        for label, field in (("Date", "date"), ("Rating", "rating"))
        if field not in named.positions
    ]
    widths = " or ".join(str(width) for width in sorted(LAYOUTS, reverse=True))
    raise InputFileError(
        f"no {' or '.join(missing)} column in the header row, and its {len(header)} columns "
        f"are not one of the layouts of Amazon's feedback report ({widths} columns, a date "
        "first and a rating second)",
        filename=name,
    )


def _label(written: str, english: str) -> str:
    """The column as the file names it, with the English name where they differ."""
    written = written.replace("\ufeff", "").strip()
    if not written or fold(written) == fold(english):
        return english
    return f"{written} ({english})"


def _reads_as_layout(body: Rows) -> bool:
    """Some row has a date first and a rating second: the columns are where Amazon puts them."""
    return not body or any(
        len(cells) >= 2
        and cells[1].strip() in set("12345")
        and any(_parses(cells[0], order) for order in ("mdy", "dmy", "ymd"))
        for _, cells in body[:50]
    )


def _parses(text: str, order: DateOrder) -> bool:
    try:
        parse_date(text, order)
    except ValueError:
        return False
    return True


def _date_order(
    layout: Layout, marketplace: str | None, encoding: str, body: Rows, name: str
) -> tuple[DateOrder, DateOrderFrom]:
    if marketplace is not None:
        return DATE_ORDERS[marketplace], "marketplace"
    emailed = _email_marketplaces(layout, body)
    orders = {DATE_ORDERS[key] for key in emailed}
    if len(orders) == 1:
        return orders.pop(), "email"
    position = layout.positions["date"]
    dates = [cells[position] for _, cells in body if position < len(cells)]
    found = detect_date_order(dates)
    if found is not None:
        return found, "dates"
    if encoding == "cp932":
        # Shift_JIS is written only by Amazon Japan, whose dates put the year first.
        return DATE_ORDERS["amazon.co.jp"], "encoding"
    default = DATE_ORDERS[DEFAULT_MARKETPLACE]
    # Where no date reads as amazon.com's but some read two ways, a guess would be a wrong
    # date in every row: ask instead.
    if any(_parses(text, default) for text in dates) or not any(
        _parses(text, "dmy") and _parses(text, "ymd") for text in dates
    ):
        return default, "default"
    raise InputFileError(
        "the dates read both as d/m/y and as y/m/d (two-digit years); name the marketplace, "
        "e.g. --marketplace amazon.co.uk or amazon.co.jp",
        filename=name,
    )


def _email_marketplaces(layout: Layout, body: Rows) -> set[str]:
    position = layout.positions.get("rater_email")
    if position is None:
        return set()
    found = (marketplace_from_email(cells[position]) for _, cells in body if position < len(cells))
    return {key for key in found if key is not None}


def _answer(text: str) -> bool | None:
    key = unicodedata.normalize("NFC", text).casefold()
    if key not in ANSWERS:
        raise KeyError(text)
    return ANSWERS[key]


def _entry(line: int, cells: list[str], layout: Layout, order: DateOrder) -> FeedbackEntry:
    values = values_of(cells, layout)
    label = layout.labels
    if not values["date"]:
        raise RowError(label["date"], "is empty")
    try:
        day = parse_date(values["date"], order)
    except ValueError as exc:
        raise RowError(label["date"], str(exc)) from None
    rating = stars(values["rating"], label["rating"])
    answers: dict[str, bool | None] = {}
    for field in _ANSWER_FIELDS:
        text = values.get(field, "")
        try:
            answers[field] = _answer(text)
        except KeyError:
            raise RowError(label[field], f"{text!r} is not Yes or No") from None
    return FeedbackEntry(
        line=line,
        date=day,
        rating=rating,
        comment=values.get("comment", ""),
        response=values.get("response", ""),
        order_id=values.get("order_id") or None,
        rater_email=values.get("rater_email") or None,
        **answers,
    )


def _looks_like_row(cells: list[str], layout: Layout) -> bool:
    date_at, rating_at = layout.positions["date"], layout.positions["rating"]
    if max(date_at, rating_at) >= len(cells) or cells[rating_at].strip() not in set("12345"):
        return False
    return any(_parses(cells[date_at], order) for order in ("mdy", "dmy", "ymd"))
