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

What the figures mean follows the source (:class:`Rules`): from an export of 1 to 3 stars
alone only the negative and neutral counts are known; eBay's percentage leaves neutral out
and it has no stars to average.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal

from .models import FeedbackEntry, PeriodCounts, Source, Targets, Totals, Trend, Week, Window

__all__ = [
    "ALL",
    "TREND_WEEKS",
    "WINDOW_DAYS",
    "Rules",
    "rules_of",
    "tally",
    "tally_counts",
    "trend",
    "weeks",
    "windows",
]


@dataclass(frozen=True, slots=True)
class Rules:
    """How a source's figures are computed (see :class:`~.models.Source`)."""

    complete: bool = True
    rated_only: bool = False
    stars: bool = True
    window_days: tuple[int, ...] = (30, 90, 365)


#: Every rating, stars, positive of all: our CSV, Etsy, a complete export.
ALL = Rules()


def rules_of(source: Source) -> Rules:
    return Rules(
        complete=source.holds == "all",
        rated_only=source.percent_of == "rated",
        stars=source.stars,
        # eBay shows 1, 6 and 12 months.
        window_days=(30, 180, 365) if source.format == "ebay" else WINDOW_DAYS,
    )


#: The rolling windows, in days up to the as-of date; Amazon rates sellers over the same.
WINDOW_DAYS = (30, 90, 365)

#: How many complete weeks the trend compares with as many weeks before them.
TREND_WEEKS = 4

# A change smaller than this is "steady": one point of percentage, a tenth of a star.
_STEADY_POINTS = Fraction(1)
_STEADY_STARS = Fraction(1, 10)


def tally(entries: Sequence[FeedbackEntry], targets: Targets, rules: Rules = ALL) -> dict[str, Any]:
    """The :class:`~sellercomms.feedback.models.Figures` fields for ``entries``."""
    neutral = sum(1 for e in entries if e.kind == "neutral")
    negative = sum(1 for e in entries if e.kind == "negative")
    if not rules.complete:
        # Positive feedback is not in the file: nothing but these two counts is known.
        return {**_unknown(neutral, negative), "figures_from": "negative_only"}
    positive = sum(1 for e in entries if e.kind == "positive")
    fields = _ratios(positive, neutral, negative, targets, rules)
    if rules.stars and entries:
        rating_sum = sum(e.rating or 0 for e in entries)
        count = len(entries)
        fields.update(
            rating_sum=rating_sum,
            average=Decimal(rating_sum * 100 // count).scaleb(-2),
            meets_average_target=Fraction(rating_sum, count) >= Fraction(targets.average),
        )
    elif rules.stars:
        fields.update(rating_sum=0)
    return fields


def tally_counts(counts: PeriodCounts, targets: Targets, rules: Rules) -> dict[str, Any]:
    """The figures of the seller's own counts for a period: no stars, so no average."""
    fields = _ratios(counts.positive, counts.neutral, counts.negative, targets, rules)
    return {**fields, "figures_from": "totals"}


def _unknown(neutral: int, negative: int) -> dict[str, Any]:
    return {
        "count": None,
        "positive": None,
        "neutral": neutral,
        "negative": negative,
        "rating_sum": None,
        "positive_percent": None,
        "average": None,
        "meets_positive_target": None,
        "meets_average_target": None,
    }


def _ratios(
    positive: int, neutral: int, negative: int, targets: Targets, rules: Rules
) -> dict[str, Any]:
    fields = {**_unknown(neutral, negative), "count": positive + neutral + negative}
    fields["positive"] = positive
    # eBay: positive of positive and negative; everywhere else positive of all.
    base = positive + negative if rules.rated_only else positive + neutral + negative
    if base:
        fields.update(
            positive_percent=Decimal(positive * 1000 // base).scaleb(-1),
            meets_positive_target=Fraction(positive * 100, base)
            >= Fraction(targets.positive_percent),
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
    rules: Rules = ALL,
    counts: PeriodCounts | None = None,
) -> Window:
    start = end - timedelta(days=days - 1) if days is not None else None
    if days is None and entries and counts is None:
        start = min(e.date for e in entries)
    figures = (
        tally_counts(counts, targets, rules)
        if counts is not None
        else tally(_between(entries, start, end), targets, rules)
    )
    return Window(key=key, label=label, days=days, start=start, end=end, **figures)


def windows(
    entries: Sequence[FeedbackEntry],
    as_of: date,
    targets: Targets,
    rules: Rules = ALL,
    totals: Totals | None = None,
) -> list[Window]:
    """The rolling windows up to ``as_of`` (included), then the whole file.

    With ``totals``, each window the totals have is taken from them, and the whole file
    becomes the seller's lifetime.
    """
    periods: Mapping[str, PeriodCounts] = totals.periods if totals else {}
    rolling = [
        _window(
            entries,
            targets,
            key=f"last_{days}_days",
            label=f"Last {days} days",
            days=days,
            end=as_of,
            rules=rules,
            counts=periods.get(f"last_{days}_days"),
        )
        for days in rules.window_days
    ]
    lifetime = periods.get("lifetime")
    whole = _window(
        entries,
        targets,
        key="all",
        label="Lifetime" if lifetime else "Whole file",
        days=None,
        end=as_of,
        rules=rules,
        counts=lifetime,
    )
    return [*rolling, whole]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(
    entries: Sequence[FeedbackEntry],
    as_of: date,
    targets: Targets,
    *,
    limit: int | None,
    rules: Rules = ALL,
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
                **tally(_between(entries, monday, min(sunday, as_of)), targets, rules),
            )
        )
        monday += timedelta(weeks=1)
    return result


def trend(
    entries: Sequence[FeedbackEntry], as_of: date, targets: Targets, rules: Rules = ALL
) -> Trend:
    """The last :data:`TREND_WEEKS` complete weeks against the same number before them."""
    days = TREND_WEEKS * 7
    end = as_of if as_of.weekday() == 6 else _monday(as_of) - timedelta(days=1)
    label = f"{TREND_WEEKS} weeks"
    recent = _window(
        entries, targets, key="recent", label=f"Last {label}", days=days, end=end, rules=rules
    )
    previous = _window(
        entries,
        targets,
        key="previous",
        label=f"{label.capitalize()} before",
        days=days,
        end=end - timedelta(days=days),
        rules=rules,
    )
    if (
        not recent.count
        or not previous.count
        or recent.positive_percent is None
        or previous.positive_percent is None
    ):
        return Trend(
            weeks=TREND_WEEKS,
            recent=recent,
            previous=previous,
            positive_change=None,
            average_change=None,
            direction="unknown",
        )
    points = _share(recent, rules) - _share(previous, rules)
    stars = (
        Fraction(recent.rating_sum, recent.count) - Fraction(previous.rating_sum, previous.count)
        if recent.rating_sum is not None and previous.rating_sum is not None
        else None
    )
    direction: Literal["better", "worse", "steady"] = "steady"
    if points <= -_STEADY_POINTS or (stars is not None and stars <= -_STEADY_STARS):
        direction = "worse"
    elif points >= _STEADY_POINTS or (stars is not None and stars >= _STEADY_STARS):
        direction = "better"
    return Trend(
        weeks=TREND_WEEKS,
        recent=recent,
        previous=previous,
        positive_change=_rounded(points, "0.1"),
        average_change=_rounded(stars, "0.01") if stars is not None else None,
        direction=direction,
    )


def _share(window: Window, rules: Rules) -> Fraction:
    positive, negative = window.positive or 0, window.negative
    base = positive + negative if rules.rated_only else window.count or 0
    return Fraction(positive * 100, base) if base else Fraction(0)


def _rounded(value: Fraction, places: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)
