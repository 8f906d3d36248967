"""Dates in a marketplace's format: which order day, month and year come in, and reading them.

Amazon writes the dates of a feedback export the way its marketplace writes dates: amazon.com
``11/24/2025`` (m/d/y), amazon.co.uk ``24/11/2025`` (d/m/y), amazon.de ``24.11.2025`` (d.m.y),
amazon.co.jp ``2025/11/24`` (y/m/d).

>>> parse_date("11/24/25", "mdy"), parse_date("24.11.2025", "dmy")
(datetime.date(2025, 11, 24), datetime.date(2025, 11, 24))
>>> detect_date_order(["3/4/2025", "11/24/2025"])
'mdy'
>>> detect_date_order(["3/4/2025"]) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

from .models import DateOrder

__all__ = ["DATE_ORDERS", "date_order_for", "describe", "detect_date_order", "parse_date"]

# Marketplaces whose order is seen in real exports: com, co.uk, de, co.jp.  The others follow
# the country's usual way of writing dates (unconfirmed; --marketplace decides, and a year
# written first with four digits is read as y/m/d everywhere).
DATE_ORDERS: Mapping[str, DateOrder] = MappingProxyType(
    {
        "amazon.com": "mdy",
        "amazon.ca": "mdy",
        "amazon.co.jp": "ymd",
        **{
            f"amazon.{domain}": "dmy"
            for domain in (
                "co.uk",
                "de",
                "fr",
                "it",
                "es",
                "nl",
                "se",
                "pl",
                "com.be",
                "com.tr",
                "com.mx",
                "com.br",
                "ae",
                "sa",
                "eg",
                "in",
                "com.au",
                "sg",
            )
        },
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


def detect_date_order(values: Iterable[str]) -> DateOrder | None:
    """The one order every readable date of ``values`` fits, or ``None`` when that is unclear.

    A date that reads only as d/m/y (``24/11/2025``, or written with dots as in Germany) or
    only as m/d/y (``11/24/2025``) decides; four-digit years written first mean y/m/d.  Dates
    that fit no order are left for :func:`parse_date` to report.
    """
    day_first = month_first = year_first = False
    for text in values:
        parts = _parts(text)
        if parts is None:
            continue
        if len(parts[0]) == 4:
            year_first = True
            continue
        as_dmy, as_mdy = _valid(text, "dmy"), _valid(text, "mdy")
        day_first = day_first or (as_dmy and (not as_mdy or "." in text))
        month_first = month_first or (as_mdy and not as_dmy and "." not in text)
    if day_first and month_first:
        return None
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    return "ymd" if year_first else None
