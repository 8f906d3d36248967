"""``sellercomms feedback report``: the weekly feedback work list."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..exceptions import SellerCommsError
from ..feedback import FeedbackReport, feedback_report
from ..feedback.report import DEFAULT_WEEKS, ambiguous_dates
from ..output import write_atomic
from .common import (
    BatchReport,
    UsageProblem,
    indexed_orders,
    templates_option,
)


@click.group()
def feedback() -> None:
    """Read a marketplace's feedback export: weekly figures and the triage list."""


@feedback.command("report")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "html", "json"]),
    default="text",
    show_default=True,
    help="Tables for the terminal, a page to forward to the team, or JSON for programs.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file (default: stdout).",
)
@click.option(
    "--marketplace",
    help="Where the feedback was left, e.g. amazon.co.uk; decides how Amazon dates are read "
    "(default: found from the dates, else amazon.com).",
)
@click.option("--as-of", "as_of_text", help="Report as of this day, YYYY-MM-DD (default: today).")
@click.option(
    "--orders",
    "orders_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Your orders: a triaged feedback whose order is in them gets the data and the command "
    "of its resolution e-mail.",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Save each resolution's data as DIR/<order_id>.<message>.json for `render email "
    "--data` (files already there are kept).",
)
@click.option(
    "--totals",
    "totals_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Your rating counts (TOML or JSON: positive, neutral, negative for last_30_days, "
    "last_90_days, last_365_days, lifetime), or an export that holds every rating. Amazon's "
    "report holds only 1-3 stars: without this no positive percentage is shown.",
)
@click.option(
    "--weeks",
    type=click.IntRange(min=1),
    default=DEFAULT_WEEKS,
    show_default=True,
    help="How many ISO weeks up to the as-of date to list.",
)
@templates_option
def feedback_report_command(
    file: Path,
    output_format: str,
    out: Path | None,
    marketplace: str | None,
    as_of_text: str | None,
    orders_path: Path | None,
    data_dir: Path | None,
    totals_path: Path | None,
    weeks: int,
    templates: Path | None,
) -> None:
    """Weekly feedback figures against the targets, and every bad feedback triaged.

    FILE is Amazon's feedback report (Feedback Manager or SP-API, any marketplace), eBay
    feedback (GetFeedback's fields, JSON or CSV), Etsy's reviews download (JSON), or a CSV
    with the columns date, rating, comment, order_id.  Each row that cannot be read is one
    line on stderr; the report is still produced, with status 1.
    """
    batch = BatchReport()
    orders = [order for _, order in indexed_orders(orders_path, batch)] if orders_path else []
    try:
        report = feedback_report(
            file,
            as_of=parse_day(as_of_text),
            marketplace=marketplace,
            orders=orders,
            orders_file=str(orders_path) if orders_path else None,
            data_dir=data_dir,
            weeks_shown=weeks,
            totals=totals_path,
        )
        if output_format == "html":
            document = report.to_html(templates)
        else:
            document = report.to_json() if output_format == "json" else report.to_text()
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None
    for problem in report.problems:
        click.echo(str(problem), err=True)
    warning = ambiguous_dates(report.source)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    if out is None:
        click.echo(document, nl=False)
    else:
        write_atomic(out, document)
        click.echo(f"feedback report written to {out}")
    if data_dir is not None:
        # With the report on stdout, what else is said goes to stderr.
        click.echo(write_resolution_data(report, data_dir), err=out is None)
    sys.exit(1 if report.problems or batch.failures else 0)


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from None


def write_resolution_data(report: FeedbackReport, directory: Path) -> str:
    """Save each suggested resolution's data; a file already there may hold edits: keep it."""
    written = kept = 0
    for item in report.triage:
        suggestion = item.resolution
        if suggestion is None or suggestion.data is None or suggestion.data_file is None:
            continue
        path = Path(suggestion.data_file)
        if path.exists():
            kept += 1
            continue
        write_atomic(path, json.dumps(suggestion.data, indent=2, ensure_ascii=False) + "\n")
        written += 1
    return f"{written} resolution data files written to {directory} ({kept} kept as they were)"
