"""The ``sellercomms`` command line: a thin layer over the Python API.

Exit status: 0 when everything was produced; 1 when some orders failed (each one line on
stderr, the others still written); 2 for unusable arguments or an unreadable input file.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from .channels import CHANNELS
from .environment import builtin_templates_dir
from .exceptions import InputError, PolicyError, SellerCommsError, TemplateError
from .loading import load_seller, read_orders
from .mail import RenderedEmail
from .messages import EMAIL_TEMPLATES
from .models import Order, Seller
from .output import write_atomic
from .planner import PLAN_FORMAT, Plan, due_messages
from .renderer import Renderer
from .samples import sample_data, sample_orders_path, sample_seller

__all__ = ["main"]

DEFAULT_SELLER_FILE = "sellercomms.toml"


class UsageProblem(click.ClickException):
    """Unusable arguments or an unreadable input file: exit 2."""

    exit_code = 2


@dataclass
class BatchReport:
    """Counts what a batch produced and prints one stderr line per failed order."""

    done: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, error: SellerCommsError, order_id: str | None, index: int) -> None:
        line = failure_line(error, order_id, index)
        self.failures.append(line)
        click.echo(line, err=True)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


def failure_line(error: SellerCommsError, order_id: str | None, index: int) -> str:
    """``order <order_id> (#<index>): <field path>: <what is wrong>``."""
    if isinstance(error, InputError):
        if error.index is None:
            error.index = index
        if error.order_id is None:
            error.order_id = order_id
        return str(error)
    prefix = f"order {order_id or '?'} (#{index})"
    if isinstance(error, PolicyError):
        return f"{prefix}: channel: {error}"
    if isinstance(error, TemplateError):
        return f"{prefix}: template: {error}"
    return f"{prefix}: {error}"


def indexed_orders(path: Path, report: BatchReport) -> Iterator[tuple[int, Order]]:
    """Each valid order with its 1-based position; bad ones are reported and skipped."""
    try:
        for index, result in enumerate(read_orders(path), start=1):
            if isinstance(result, InputError):
                report.fail(result, result.order_id, index)
            else:
                yield index, result
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None


def resolve_seller(path: Path | None) -> Seller:
    """The seller profile from ``--seller``, else ``./sellercomms.toml``; exit 2 without one."""
    if path is None:
        path = Path(DEFAULT_SELLER_FILE)
        if not path.is_file():
            raise UsageProblem(
                f"no seller profile: pass --seller FILE or create ./{DEFAULT_SELLER_FILE} "
                "with `sellercomms init`"
            )
    try:
        return load_seller(path)
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None


def make_renderer(seller: Seller, templates: Path | None) -> Renderer:
    try:
        return Renderer(seller, templates)
    except SellerCommsError as exc:
        raise UsageProblem(exc.show()) from None


def write_email_files(out: Path, stem: str, mail: RenderedEmail) -> None:
    """Write ``<stem>.eml``, ``.html`` and ``.txt`` of one e-mail, each atomically."""
    write_atomic(out / f"{stem}.eml", mail.to_bytes())
    write_atomic(out / f"{stem}.html", mail.html)
    write_atomic(out / f"{stem}.txt", mail.text)


orders_option = click.option(
    "--orders",
    "orders_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Orders: a JSON object, a JSON array, or JSON Lines (.jsonl).",
)
seller_option = click.option(
    "--seller",
    "seller_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Seller profile (TOML or JSON); default ./{DEFAULT_SELLER_FILE}.",
)
templates_option = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="A template folder whose files override the built-in templates by name.",
)
locale_option = click.option(
    "--locale", help="Locale of every message, e.g. de_DE (default: each order's)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sellercomms")
@click.option("-v", "--verbose", is_flag=True, help="Log what is being done.")
def cli(verbose: bool) -> None:
    """Packing slips, shipping confirmations and follow-ups that earn seller feedback."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@cli.group()
def render() -> None:
    """Render messages for a file of orders."""


@render.command("email")
@click.argument("template")
@orders_option
@seller_option
@templates_option
@locale_option
@click.option(
    "--channel",
    type=click.Choice(sorted(CHANNELS)),
    help="How the messages reach buyers (default: each order's).",
)
@click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A JSON object of extra data the template needs (a refund amount, a deadline …); "
    "see docs/follow-ups.md.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for <order_id>.eml, .html and .txt.",
)
def render_email(
    template: str,
    orders_path: Path,
    seller_path: Path | None,
    templates: Path | None,
    locale: str | None,
    channel: str | None,
    data_path: Path | None,
    out: Path,
) -> None:
    """Render e-mail TEMPLATE for every order."""
    renderer = make_renderer(resolve_seller(seller_path), templates)
    data = read_data(data_path)
    report = BatchReport()
    for index, order in indexed_orders(orders_path, report):
        try:
            mail = renderer.email(template, order, locale=locale, channel=channel, data=data)
            write_email_files(out, order.order_id, mail)
        except SellerCommsError as error:
            if index == 1 and isinstance(error, TemplateError) and error.exit_code == 2:
                raise UsageProblem(error.show()) from None
            report.fail(error, order.order_id, index)
        else:
            report.done += 1
    click.echo(f"{report.done} e-mails written to {out}")
    sys.exit(report.exit_code)


def read_data(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        # Amounts given as JSON numbers are read from their text, never through float.
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as exc:
        raise UsageProblem(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageProblem(f"{path}: expected a JSON object")
    return data


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("sellercomms-demo"),
    show_default=True,
    help="Folder to write the demo output to.",
)
def demo(out: Path) -> None:
    """Render every built-in message for the built-in sample orders and seller."""
    renderer = Renderer(sample_seller())
    report = BatchReport()
    skipped = 0
    orders = list(indexed_orders(sample_orders_path(), report))
    for template in EMAIL_TEMPLATES:
        for index, order in orders:
            try:
                renderer.channel_for(order).ensure_allowed(template)
            except PolicyError as rule:
                skipped += 1
                click.echo(f"skipped {template} for {order.order_id}: {rule}")
                continue
            try:
                mail = renderer.email(template, order, data=sample_data(template, order))
                write_email_files(out / "emails" / template, order.order_id, mail)
            except SellerCommsError as error:
                report.fail(error, order.order_id, index)
            else:
                report.done += 1
    click.echo(
        f"{report.done} e-mails written to {out / 'emails'} ({skipped} skipped by channel rules)"
    )
    sys.exit(report.exit_code)


@cli.command()
@orders_option
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
    orders_path: Path, now_text: str | None, output_format: str, review_delay_days: int
) -> None:
    """Print which follow-ups are due, when, and which are suppressed and why."""
    now = parse_now(now_text)
    report = BatchReport()
    plans = [
        (index, due_messages(order, now, review_delay_days=review_delay_days))
        for index, order in indexed_orders(orders_path, report)
    ]
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


@cli.command()
def schema() -> None:
    """Print the JSON Schema of an order."""
    click.echo(json.dumps(Order.model_json_schema(), indent=2, ensure_ascii=False))


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path())
def init(directory: Path) -> None:
    """Write a starter sellercomms.toml and an empty template override folder."""
    profile = directory / DEFAULT_SELLER_FILE
    if profile.exists():
        raise UsageProblem(f"{profile} exists already; nothing was changed")
    starter = builtin_templates_dir() / "starter"
    write_atomic(profile, (starter / DEFAULT_SELLER_FILE).read_bytes())
    readme = directory / "templates" / "README.txt"
    if not readme.exists():
        write_atomic(readme, (starter / "README.txt").read_bytes())
    click.echo(f"wrote {profile} and {readme.parent}/; edit the profile, then run sellercomms")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="sellercomms")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    return 0


def console_main() -> None:
    """Entry point of the ``sellercomms`` script."""
    sys.exit(main())
