"""Assembling the weekly feedback report from an export, and optionally the seller's orders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..channels import ChannelRules, get_channel
from ..exceptions import PolicyError
from ..models import Order
from ..relays import resolve_channel
from .dates import describe
from .figures import Rules, rules_of, trend, weeks, windows
from .models import (
    FeedbackEntry,
    FeedbackFile,
    Source,
    Targets,
    Totals,
    TriagedFeedback,
    Window,
)
from .outputs import FeedbackReport
from .reading import read_feedback
from .resolution import resolution
from .totals import load_totals
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
    totals: str | Path | Totals | FeedbackFile | None = None,
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
    * ``totals``: the seller's rating counts (a TOML or JSON file, or :class:`Totals`), or an
      export that holds every rating, for the figures an export of 1 to 3 stars cannot give
      (totals.py).  Without them, such an export gets its negative and neutral analysis and
      ``no_percentage_reason`` says why no percentage is shown.
    """
    if isinstance(source, FeedbackFile):
        read = source
    else:
        read = read_feedback(source, marketplace=marketplace)
    if isinstance(totals, str | Path):
        totals = load_totals(totals)
    day = as_of or date.today()
    targets = Targets(positive_percent=Decimal(positive_target), average=Decimal(average_target))
    counted = [entry for entry in read.entries if entry.date <= day]
    by_id = {order.order_id: order for order in orders}
    triaged = [
        _triage(entry, read.source, day, by_id, orders_file, data_dir)
        for entry in sorted(counted, key=lambda e: (e.date, -e.line), reverse=True)
        if entry.kind != "positive"
    ]
    # The figures come from a complete export given as totals, else from this one (with
    # the seller's counts, or the export's own summary, for the rolling windows).
    rules, figured = rules_of(read.source), counted
    counts = totals if isinstance(totals, Totals) else read.totals
    totals_source = counts.source if counts else None
    if isinstance(totals, FeedbackFile):
        rules = rules_of(totals.source)
        figured = [entry for entry in totals.entries if entry.date <= day]
        totals_source = totals.source.file
    rolling = windows(figured, day, targets, rules, counts)
    notes = _notes(read, day, len(read.entries) - len(counted))
    notes += _totals_notes(read, rules, counts, rolling, counted, day)
    return FeedbackReport(
        as_of=day,
        source=read.source,
        targets=targets,
        windows=rolling,
        weeks=weeks(figured, day, targets, limit=weeks_shown, rules=rules),
        trend=trend(figured, day, targets, rules),
        triage=triaged,
        problems=read.problems,
        after_as_of=len(read.entries) - len(counted),
        orders_given=len(by_id),
        notes=notes,
        no_percentage_reason=_no_percentage(rules, rolling),
        totals_source=totals_source,
        detailed_ratings=read.detailed_ratings,
    )


#: Said once, where a report of 1 to 3 stars alone would otherwise show a percentage.
NO_PERCENTAGE = (
    "Amazon's feedback report holds only negative and neutral feedback (1 to 3 stars), so it "
    "cannot give the share of positive feedback or the average rating; these figures show "
    "negative and neutral feedback only. For the percentages, give your rating counts from "
    "Feedback Manager with --totals FILE (docs/feedback-report.md, Totals)."
)


def _no_percentage(rules: Rules, rolling: list[Window]) -> str | None:
    if rules.complete or any(window.figures_from == "totals" for window in rolling):
        return None
    return NO_PERCENTAGE


def _totals_notes(
    read: FeedbackFile,
    rules: Rules,
    counts: Totals | None,
    rolling: list[Window],
    counted: list[FeedbackEntry],
    as_of: date,
) -> list[str]:
    notes: list[str] = []
    if read.source.holds != "all":
        high = sum(1 for entry in counted if entry.kind == "positive")
        if high:
            notes.append(
                f"{high} row{'s' if high != 1 else ''} rate 4 or 5 stars, which Amazon's "
                "feedback report does not hold; they are in no figure."
            )
    if counts is None:
        return notes
    if counts.as_of is not None and counts.as_of != as_of:
        notes.append(f"The totals are as of {counts.as_of.isoformat()}, not {as_of.isoformat()}.")
    missing = [
        w.label.lower() for w in rolling if w.figures_from != "totals" and not rules.complete
    ]
    if missing:
        notes.append("The totals give no counts for: " + ", ".join(missing) + ".")
    if not rules.complete:
        notes.append(
            "Counts carry no stars, so no average rating is shown; the weeks show negative "
            "and neutral feedback only."
        )
    for window in rolling:
        if window.figures_from != "totals" or window.days is None:
            continue
        start = as_of.toordinal() - window.days + 1
        found = sum(1 for e in counted if e.kind == "negative" and e.date.toordinal() >= start)
        if found > window.negative:
            notes.append(
                f"The export has {found} negative feedback in the {window.label.lower()}, the "
                f"totals {window.negative}: are the totals up to date?"
            )
    return notes


def _triage(
    entry: FeedbackEntry,
    source: Source,
    as_of: date,
    orders: dict[str, Order],
    orders_file: str | None,
    data_dir: str | Path | None,
) -> TriagedFeedback:
    order = orders.get(entry.order_id) if entry.order_id else None
    channel = _channel(order, source.channel)
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
        kind="negative" if entry.kind == "negative" else "neutral",
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
    if source.columns_by_position:
        notes.append(
            f"The column names are not English; the columns were read by their place in "
            f"Amazon's {source.layout} layout."
        )
    for reason, count in read.skipped.items():
        notes.append(f"{count} feedback {reason} {'are' if count != 1 else 'is'} not counted.")
    return notes


def _channel(order: Order | None, source_channel: str) -> ChannelRules:
    """The channel the order's messages travel through; without an order, or when the order
    names another channel than its relay address, the channel the feedback came from."""
    if order is None:
        return get_channel(source_channel)
    try:
        return resolve_channel(order)
    except PolicyError:
        return get_channel(source_channel)
