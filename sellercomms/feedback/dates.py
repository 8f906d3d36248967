"""Dates in a marketplace's format: which order day, month and year come in, and reading them.

Amazon writes the dates of a feedback export the way its marketplace writes dates (see
:data:`DATE_ORDERS`): amazon.com ``11/24/25`` (m/d/y), amazon.co.uk and amazon.ca ``24/11/25``
(d/m/y), amazon.de ``24.11.25`` (d.m.y), amazon.co.jp ``25/11/24`` (y/m/d), amazon.se
``2025-11-24``.

>>> parse_date("11/24/25", "mdy"), parse_date("24.11.2025", "dmy"), parse_date("25/11/13", "ymd")
(datetime.date(2025, 11, 24), datetime.date(2025, 11, 24), datetime.date(2025, 11, 13))
>>> detect_date_order(["3/4/2025", "11/24/2025"])
'mdy'
>>> detect_date_order(["25/11/13", "25/12/01"])
'ymd'
>>> detect_date_order(["3/4/2025"]) is None
True
>>> marketplace_from_email("a1b2c3@marketplace.amazon.co.uk")
'amazon.co.uk'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

from .models import DateOrder

__all__ = [
    "DATE_ORDERS",
    "date_order_for",
    "describe",
    "detect_date_order",
    "marketplace_from_email",
    "parse_date",
]

_DAY_FIRST = (
    # Seen in exports or stated in seller tools' summaries (docs/feedback-report.md, Dates).
    "ca",
    "co.uk",
    "de",
    "fr",
    "it",
    "es",
    "com.au",
    "in",
    "com.mx",
    "com.br",
    # The country's usual way of writing dates; unconfirmed, --marketplace decides.
    "nl",
    "pl",
    "com.be",
    "com.tr",
    "ae",
    "sa",
    "eg",
    "sg",
)

#: Each Amazon marketplace's date order.  A year written first with four digits is read as
#: y/m/d everywhere, so ``YYYY-MM-DD`` (amazon.se) fits any of them.
DATE_ORDERS: Mapping[str, DateOrder] = MappingProxyType(
    {
        "amazon.com": "mdy",
        "amazon.co.jp": "ymd",
        "amazon.se": "iso",
        **{f"amazon.{domain}": "dmy" for domain in _DAY_FIRST},
    }
)

#: The marketplace whose order is used when the dates fit more than one.
DEFAULT_MARKETPLACE = "amazon.com"

_DATE = re.compile(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})")
# Some exports add a time of day; the day is all a weekly report needs.
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[A-Za-z]{1,5})?)?")

_NAMES: Mapping[DateOrder, str] = {
    "mdy": "m/d/y",
    "dmy": "d/m/y",
    "ymd": "y/m/d",
    "iso": "YYYY-MM-DD",
}


def describe(order: DateOrder) -> str:
    """``m/d/y``, ``d/m/y``, ``y/m/d`` or ``YYYY-MM-DD``."""
    return _NAMES[order]


def date_order_for(marketplace: str) -> DateOrder:
    """The date order of an Amazon marketplace's exports; :class:`KeyError` for another key."""
    return DATE_ORDERS[marketplace]


def _parts(text: str) -> tuple[str, str, str] | None:
    match = _DATE.match(text.strip())
    if match is None or not _TIME.fullmatch(text.strip()[match.end() :]):
        return None
    first, second, third = match.groups()
    return first, second, third


def parse_date(text: str, order: DateOrder) -> date:
    """``text`` read in ``order``; :class:`ValueError` saying why when it is not a date.

    A four-digit first number is a year whatever the order; two-digit years are 20xx.
    """
    parts = _parts(text)
    if parts is None:
        raise ValueError(f"{text.strip()!r} is not a date ({describe(order)})")
    first, second, third = parts
    if len(first) == 4 or (order == "ymd" and len(first) == 2):
        year, month, day = first, second, third
    elif order == "mdy" and len(first) <= 2:
        month, day, year = first, second, third
    elif order == "dmy" and len(first) <= 2:
        day, month, year = first, second, third
    else:
        raise ValueError(f"{text.strip()!r} is not a date ({describe(order)})")
    if len(year) not in (2, 4) or len(day) > 2:
        raise ValueError(f"{text.strip()!r} is not a date ({describe(order)})")
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, int(month), int(day))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a date ({describe(order)})") from None


def _valid(text: str, order: DateOrder) -> bool:
    try:
        parse_date(text, order)
    except ValueError:
        return False
    return True


def _fits(text: str) -> frozenset[DateOrder] | None:
    """The orders ``text`` reads in, or ``None`` when it says nothing about the order."""
    parts = _parts(text)
    if parts is None or len(parts[0]) == 4:
        # Not a date (parse_date reports it), or a year written first: a year anywhere.
        return None
    orders: tuple[DateOrder, ...] = ("dmy",) if "." in text else ("mdy", "dmy", "ymd")
    return frozenset(order for order in orders if _valid(text, order))


# A feedback export covers a year or so: an order that spreads its dates over more years
# than another, and over more than this many days, is the wrong one.
_SPAN_DAYS = 400


def detect_date_order(values: Iterable[str]) -> DateOrder | None:
    """The one order every readable date of ``values`` fits, or ``None`` when that is unclear.

    A date that reads only as d/m/y (``24/11/2025``, or written with dots as in Germany) or
    only as m/d/y (``11/24/2025``) decides, as do four-digit years written first.  Where two
    orders fit every date (``25/11/13`` is d/m/y and y/m/d), the one that keeps the dates
    within a year or so wins; ``None`` when both do.  Dates that fit no order are left for
    :func:`parse_date` to report.
    """
    texts = list(values)
    candidates: set[DateOrder] = {"mdy", "dmy", "ymd"}
    seen = year_first = False
    for text in texts:
        fits = _fits(text)
        if fits is None:
            year_first = year_first or _parts(text) is not None
            continue
        if fits:
            seen = True
            candidates &= fits
    if not seen:
        return "ymd" if year_first else None
    if len(candidates) == 1:
        return next(iter(candidates))
    spans = {order: _span(texts, order) for order in candidates}
    tight = [order for order, span in spans.items() if span <= _SPAN_DAYS]
    if len(tight) == 1 and len(candidates) > 1:
        return tight[0]
    return None


def _span(texts: list[str], order: DateOrder) -> int:
    days = []
    for text in texts:
        try:
            days.append(parse_date(text, order))
        except ValueError:
            continue
    return (max(days) - min(days)).days if days else 0


_RELAY = re.compile(r"@marketplace\.(amazon\.[a-z.]+)$", re.IGNORECASE)


def marketplace_from_email(address: str) -> str | None:
    """The Amazon marketplace of a buyer relay address (``…@marketplace.amazon.de``)."""
    match = _RELAY.search(address.strip())
    if match is None:
        return None
    key = match.group(1).casefold()
    return key if key in DATE_ORDERS else None
