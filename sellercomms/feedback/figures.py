"""The figures: counts, positive percentage and average rating per period, against targets.

Ratios are computed from whole numbers and rounded down for display, so 94.96 % shows as
94.9 % and misses a 95 % target, as it should:

>>> from datetime import date
>>> from sellercomms.feedback.models import FeedbackEntry, Targets
>>> entries = [FeedbackEntry(line=n, date=date(2025, 11, 24), rating=r)
...            for n, r in enumerate([5, 5, 4, 3, 1], start=2)]
>>> f = tally(entries, Targets())
>>> f["positive_percent"], f["average"], f["meets_positive_target"]
(Decimal('60.0'), Decimal('3.60'), False)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal

from .models import FeedbackEntry, Targets, Trend, Week, Window

__all__ = ["TREND_WEEKS", "WINDOW_DAYS", "tally", "trend", "weeks", "windows"]

#: The rolling windows, in days up to the as-of date; Amazon rates sellers over the same.
WINDOW_DAYS = (30, 90, 365)

#: How many complete weeks the trend compares with as many weeks before them.
TREND_WEEKS = 4

# A change smaller than this is "steady": one point of percentage, a tenth of a star.
_STEADY_POINTS = Fraction(1)
_STEADY_STARS = Fraction(1, 10)


def tally(entries: Sequence[FeedbackEntry], targets: Targets) -> dict[str, Any]:
    """The :class:`~sellercomms.feedback.models.Figures` fields for ``entries``."""
    count = len(entries)
    positive = sum(1 for e in entries if e.rating >= 4)
    negative = sum(1 for e in entries if e.rating <= 2)
    rating_sum = sum(e.rating for e in entries)
    fields: dict[str, Any] = {
        "count": count,
        "positive": positive,
        "neutral": count - positive - negative,
        "negative": negative,
        "rating_sum": rating_sum,
        "positive_percent": None,
        "average": None,
        "meets_positive_target": None,
        "meets_average_target": None,
    }
    if count:
        fields.update(
            positive_percent=Decimal(positive * 1000 // count).scaleb(-1),
            average=Decimal(rating_sum * 100 // count).scaleb(-2),
            meets_positive_target=Fraction(positive * 100, count)
            >= Fraction(targets.positive_percent),
            meets_average_target=Fraction(rating_sum, count) >= Fraction(targets.average),
        )
    return fields


def _between(
    entries: Sequence[FeedbackEntry], start: date | None, end: date
) -> list[FeedbackEntry]:
    return [e for e in entries if (start is None or e.date >= start) and e.date <= end]


def _window(
    entries: Sequence[FeedbackEntry],
    targets: Targets,
    *,
    key: str,
    label: str,
    days: int | None,
    end: date,
) -> Window:
    start = end - timedelta(days=days - 1) if days is not None else None
    if days is None and entries:
        start = min(e.date for e in entries)
    return Window(
        key=key,
        label=label,
        days=days,
        start=start,
        end=end,
        **tally(_between(entries, start, end), targets),
    )


def windows(entries: Sequence[FeedbackEntry], as_of: date, targets: Targets) -> list[Window]:
    """The last 30, 90 and 365 days up to ``as_of`` (included), then the whole file."""
    rolling = [
        _window(
            entries,
            targets,
            key=f"last_{days}_days",
            label=f"Last {days} days",
            days=days,
            end=as_of,
        )
        for days in WINDOW_DAYS
    ]
    whole = _window(entries, targets, key="all", label="Whole file", days=None, end=as_of)
    return [*rolling, whole]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(
    entries: Sequence[FeedbackEntry], as_of: date, targets: Targets, *, limit: int | None
) -> list[Week]:
    """ISO weeks, oldest first: from the first feedback's week (or ``limit`` weeks back) to
    the week of ``as_of``, empty weeks included so the trend has no gaps."""
    if not entries:
        return []
    last = _monday(as_of)
    first = _monday(min(e.date for e in entries))
    if limit is not None:
        first = max(first, last - timedelta(weeks=limit - 1))
    result = []
    monday = first
    while monday <= last:
        sunday = monday + timedelta(days=6)
        year, number, _ = monday.isocalendar()
        result.append(
            Week(
                week=f"{year}-W{number:02d}",
                start=monday,
                end=sunday,
                partial=as_of < sunday,
                **tally(_between(entries, monday, min(sunday, as_of)), targets),
            )
        )
        monday += timedelta(weeks=1)
    return result


def trend(entries: Sequence[FeedbackEntry], as_of: date, targets: Targets) -> Trend:
    """The last :data:`TREND_WEEKS` complete weeks against the same number before them."""
    days = TREND_WEEKS * 7
    end = as_of if as_of.weekday() == 6 else _monday(as_of) - timedelta(days=1)
    label = f"{TREND_WEEKS} weeks"
    recent = _window(entries, targets, key="recent", label=f"Last {label}", days=days, end=end)
    previous = _window(
        entries,
        targets,
        key="previous",
        label=f"{label.capitalize()} before",
        days=days,
        end=end - timedelta(days=days),
    )
    if not recent.count or not previous.count:
        return Trend(
            weeks=TREND_WEEKS,
            recent=recent,
            previous=previous,
            positive_change=None,
            average_change=None,
            direction="unknown",
        )
    points = Fraction(recent.positive * 100, recent.count) - Fraction(
        previous.positive * 100, previous.count
    )
    stars = Fraction(recent.rating_sum, recent.count) - Fraction(
        previous.rating_sum, previous.count
    )
    direction: Literal["better", "worse", "steady"] = "steady"
    if points <= -_STEADY_POINTS or stars <= -_STEADY_STARS:
        direction = "worse"
    elif points >= _STEADY_POINTS or stars >= _STEADY_STARS:
        direction = "better"
    return Trend(
        weeks=TREND_WEEKS,
        recent=recent,
        previous=previous,
        positive_change=_rounded(points, "0.1"),
        average_change=_rounded(stars, "0.01"),
        direction=direction,
    )


def _rounded(value: Fraction, places: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)
