"""Assembling the weekly feedback report from an export, and optionally the seller's orders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..channels import get_channel
from ..models import Order
from .dates import describe
from .figures import trend, weeks, windows
from .models import (
    FeedbackEntry,
    FeedbackFile,
    FeedbackReport,
    Source,
    Targets,
    TriagedFeedback,
)
from .reading import read_feedback
from .resolution import resolution
from .triage import choose_remedy, primary_cause, tag_causes

__all__ = ["DEFAULT_WEEKS", "ambiguous_dates", "feedback_report"]

#: Weeks the report shows by default: a quarter, enough to see a trend.
DEFAULT_WEEKS = 13


def feedback_report(
    source: str | Path | FeedbackFile,
    *,
    as_of: date | None = None,
    marketplace: str | None = None,
    orders: Iterable[Order] = (),
    orders_file: str | None = None,
    data_dir: str | Path | None = None,
    weeks_shown: int | None = DEFAULT_WEEKS,
    positive_target: Decimal | int | str = 95,
    average_target: Decimal | int | str = "4.5",
) -> FeedbackReport:
    """The feedback report of an export (a file or :func:`read_feedback`'s result).

    * ``as_of``: the day the report is for (default today); later feedback is left out.
    * ``marketplace``: see :func:`read_feedback`.
    * ``orders``: the seller's orders; a triaged feedback whose order is among them gets the
      data for its resolution e-mail, and, with ``orders_file`` (the file they came from), the
      ``sellercomms render email`` command that sends it.  ``data_dir`` is where the commands
      expect the data files (``<order_id>.<message>.json``).
    * ``weeks_shown``: how many ISO weeks up to ``as_of`` to list (``None``: every week since
      the first feedback).
    * the targets: at least ``positive_target`` % positive and an average of
      ``average_target`` or more.
    """
    if isinstance(source, FeedbackFile):
        read = source
    else:
        read = read_feedback(source, marketplace=marketplace)
    day = as_of or date.today()
    targets = Targets(positive_percent=Decimal(positive_target), average=Decimal(average_target))
    counted = [entry for entry in read.entries if entry.date <= day]
    by_id = {order.order_id: order for order in orders}
    triaged = [
        _triage(entry, read.source, day, by_id, orders_file, data_dir)
        for entry in sorted(counted, key=lambda e: (e.date, -e.line), reverse=True)
        if entry.rating <= 3
    ]
    return FeedbackReport(
        as_of=day,
        source=read.source,
        targets=targets,
        windows=windows(counted, day, targets),
        weeks=weeks(counted, day, targets, limit=weeks_shown),
        trend=trend(counted, day, targets),
        triage=triaged,
        problems=read.problems,
        after_as_of=len(read.entries) - len(counted),
        orders_given=len(by_id),
        notes=_notes(read, day, len(read.entries) - len(counted)),
    )


def _triage(
    entry: FeedbackEntry,
    source: Source,
    as_of: date,
    orders: dict[str, Order],
    orders_file: str | None,
    data_dir: str | Path | None,
) -> TriagedFeedback:
    order = orders.get(entry.order_id) if entry.order_id else None
    channel = get_channel(order.channel_or_default if order else source.channel)
    tags = tag_causes(entry)
    cause = primary_cause(tags)
    suggestion = None
    if cause is not None:
        remedy, note = choose_remedy(cause, channel)
        if remedy is not None:
            suggestion = resolution(
                remedy,
                cause,
                note=note,
                order=order,
                orders_file=orders_file,
                data_dir=data_dir,
            )
    return TriagedFeedback(
        entry=entry,
        kind="negative" if entry.rating <= 2 else "neutral",
        age_days=(as_of - entry.date).days,
        responded=bool(entry.response),
        channel=channel.name,
        order_known=order is not None,
        causes=tags,
        primary_cause=cause,
        resolution=suggestion,
    )


def ambiguous_dates(source: Source) -> str | None:
    """A warning when the dates fit more than one format and were read as amazon.com's."""
    if source.date_order_from != "default":
        return None
    return (
        f"The dates fit more than one format; they were read as {describe(source.date_order)} "
        "(amazon.com). If that is wrong, name the marketplace (--marketplace amazon.co.uk)."
    )


def _notes(read: FeedbackFile, as_of: date, later: int) -> list[str]:
    warning = ambiguous_dates(read.source)
    notes = [warning] if warning else []
    source = read.source
    if read.problems:
        count = len(read.problems)
        notes.append(
            f"{count} row{'s' if count != 1 else ''} could not be read and "
            f"{'were' if count != 1 else 'was'} skipped."
        )
    if later:
        notes.append(
            f"{later} feedback dated after {as_of.isoformat()} "
            f"{'are' if later != 1 else 'is'} not counted."
        )
    if source.ignored_columns:
        notes.append("Columns not used: " + ", ".join(source.ignored_columns) + ".")
    return notes
