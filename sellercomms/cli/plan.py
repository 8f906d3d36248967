"""``sellercomms plan``: which follow-ups are due, and which are suppressed and why."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from ..exceptions import PolicyError
from ..models import EARLIEST, LATEST
from ..planner import PLAN_FORMAT, Plan, due_messages
from .common import (
    BatchReport,
    UsageProblem,
    indexed_orders,
    orders_option,
    platform_option,
)


@click.command()
@orders_option
@platform_option
@click.option(
    "--now",
    "now_text",
    help="Plan as of this moment: ISO 8601 with a UTC offset (default: the current time).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people or JSON for programs (docs/planner.md).",
)
@click.option(
    "--review-delay-days",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    help="Days after delivery to ask for a review (kept inside the channel's window).",
)
def plan(
    orders_path: Path,
    platform: str | None,
    now_text: str | None,
    output_format: str,
    review_delay_days: int,
) -> None:
    """Print which follow-ups are due, when, and which are suppressed and why."""
    now = parse_now(now_text)
    report = BatchReport()
    plans = []
    for index, order in indexed_orders(orders_path, report, platform=platform):
        try:
            plans.append((index, due_messages(order, now, review_delay_days=review_delay_days)))
        except PolicyError as error:  # a relay address with another channel named
            report.fail(error, order.order_id, index)
    if output_format == "json":
        document = {
            "format": PLAN_FORMAT,
            "now": now.isoformat(),
            "orders": [{"index": index, **plan.to_dict()} for index, plan in plans],
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(plan_table([plan for _, plan in plans]))
    sys.exit(report.exit_code)


def parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"--now: {text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise UsageProblem(f"--now: {text!r} needs a UTC offset, e.g. 2026-12-01T09:00:00+00:00")
    if not EARLIEST <= moment <= LATEST:
        raise UsageProblem(f"--now: {text!r} must be between 1970-01-01 and 2999-12-31")
    return moment


def plan_table(plans: Sequence[Plan]) -> str:
    """The plans as an aligned table, one message per line, times in each order's zone."""
    rows = [("ORDER", "MESSAGE", "PARCEL", "STATUS", "DUE (LOCAL)", "REASON", "DETAIL")]
    for plan in plans:
        for entry in plan.entries:
            parcel = "" if entry.shipment_index is None else str(entry.shipment_index + 1)
            due = entry.due_at.strftime("%Y-%m-%d %H:%M") if entry.due_at else "-"
            reason = entry.reason if entry.rule is None else f"{entry.reason} ({entry.rule})"
            detail = entry.detail
            if entry.options:
                detail += f" [{', '.join(entry.options)}]"
            rows.append((plan.order_id, entry.message, parcel, entry.status, due, reason, detail))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in rows
    )
