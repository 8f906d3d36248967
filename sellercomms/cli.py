"""The ``sellercomms`` command line: a thin layer over the Python API.

Exit status: 0 when everything was produced; 1 when some orders failed (each one line on
stderr, the others still written); 2 for unusable arguments or an unreadable input file.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from .channels import CHANNELS
from .environment import builtin_templates_dir
from .exceptions import InputError, PolicyError, RenderError, SellerCommsError, TemplateError
from .feedback import FeedbackReport, feedback_report
from .feedback.report import DEFAULT_WEEKS, ambiguous_dates
from .loading import load_seller, read_orders
from .mail import RenderedEmail
from .messages import EMAIL_TEMPLATES
from .models import Order, Seller
from .output import write_atomic
from .pdf import SlipBatch, SlipFailure, default_jobs
from .planner import PLAN_FORMAT, Plan, due_messages
from .renderer import Renderer
from .samples import sample_data, sample_orders_path, sample_seller
from .slips import PAGE_SIZES, PageSize

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
    "--order-id",
    "order_ids",
    multiple=True,
    help="Render only the order with this id (repeat for more); default: every order.",
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
    order_ids: tuple[str, ...],
    out: Path,
) -> None:
    """Render e-mail TEMPLATE for every order (or the orders named by --order-id)."""
    renderer = make_renderer(resolve_seller(seller_path), templates)
    data = read_data(data_path)
    report = BatchReport()
    found: set[str] = set()
    for index, order in indexed_orders(orders_path, report):
        if order_ids and order.order_id not in order_ids:
            continue
        found.add(order.order_id)
        try:
            mail = renderer.email(template, order, locale=locale, channel=channel, data=data)
            write_email_files(out, order.order_id, mail)
        except SellerCommsError as error:
            if index == 1 and isinstance(error, TemplateError) and error.exit_code == 2:
                raise UsageProblem(error.show()) from None
            report.fail(error, order.order_id, index)
        else:
            report.done += 1
    for missing in dict.fromkeys(order_ids):
        if missing not in found:
            report.failures.append(missing)
            click.echo(f"order {missing}: --order-id: not in {orders_path}", err=True)
    click.echo(f"{report.done} e-mails written to {out}")
    sys.exit(report.exit_code)


@render.command("slips")
@orders_option
@seller_option
@templates_option
@locale_option
@click.option(
    "--page-size",
    type=click.Choice(list(PAGE_SIZES)),
    default="letter",
    show_default=True,
    help="Paper: US Letter, A4, or 4x6 in thermal labels.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes that render slips in parallel (default: the number of cores).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The PDF file to write: one slip per parcel, in the order of the input.",
)
def render_slips(
    orders_path: Path,
    seller_path: Path | None,
    templates: Path | None,
    locale: str | None,
    page_size: PageSize,
    jobs: int | None,
    out: Path,
) -> None:
    """Render the packing slips of every order into one PDF."""
    renderer = make_renderer(resolve_seller(seller_path), templates)
    report = BatchReport()
    orders = list(indexed_orders(orders_path, report))
    if not orders and not report.failures:
        raise UsageProblem(f"{orders_path}: no orders")
    batch = print_slips(
        renderer,
        orders,
        out,
        page_size=page_size,
        jobs=jobs or default_jobs(),
        locale=locale,
        report=report,
    )
    if batch is not None:
        click.echo(f"{batch.slips} packing slips ({batch.pages} pages) written to {out}")
    sys.exit(report.exit_code)


#: Batches of at least this many orders show a progress bar (on a terminal).
PROGRESS_FROM = 50


def print_slips(
    renderer: Renderer,
    orders: Sequence[tuple[int, Order]],
    out: Path,
    *,
    page_size: PageSize,
    jobs: int,
    locale: str | None,
    report: BatchReport,
) -> SlipBatch | None:
    """Write the slips of ``orders`` (input position, order) to ``out``; ``None`` if none."""
    positions = [index for index, _ in orders]

    def failed(failure: SlipFailure) -> None:
        error = failure.error
        if isinstance(error, TemplateError) and error.exit_code == 2:
            raise UsageProblem(error.show())
        report.fail(error, failure.order_id, positions[failure.position])

    with progress_bar(len(orders), "Packing slips") as advance:
        try:
            batch = renderer.write_packing_slips(
                [order for _, order in orders],
                out,
                page_size=page_size,
                jobs=jobs,
                locale=locale,
                on_error=failed,
                progress=advance,
            )
        except RenderError as error:
            report.failures.append(str(error))
            click.echo(f"{out}: {error}; nothing written", err=True)
            return None
    report.done += batch.orders
    return batch


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long batches on a terminal; a no-op otherwise."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda done: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


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
    slips = out / "packing-slips.pdf"
    batch = print_slips(
        renderer,
        orders,
        slips,
        page_size="letter",
        jobs=default_jobs(),
        locale=None,
        report=report,
    )
    if batch is not None:
        click.echo(f"{batch.slips} packing slips ({batch.pages} pages) written to {slips}")
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
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A template folder to check over the built-in templates (default: the built-ins).",
)
@click.option(
    "--orders",
    "orders_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Orders to render the messages for (default: the built-in sample orders).",
)
@click.option(
    "--seller",
    "seller_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=f"Seller profile (default: ./{DEFAULT_SELLER_FILE} if it exists, else the sample seller).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="One line per finding for people, or JSON for programs (docs/check.md).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option(
    "--locale",
    "locales",
    multiple=True,
    help="Check only this locale (repeat for more; default: every shipped locale).",
)
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(sorted(CHANNELS)),
    help="Check only this channel (repeat for more; default: every channel).",
)
@click.option(
    "--message",
    "messages",
    multiple=True,
    help="Check only this message, e.g. review_request (repeat for more; default: all).",
)
def check(
    templates: Path | None,
    orders_path: Path | None,
    seller_path: Path | None,
    output_format: str,
    strict: bool,
    locales: tuple[str, ...],
    channels: tuple[str, ...],
    messages: tuple[str, ...],
) -> None:
    """Check every message before buyers see it: links, policy, size, client support.

    Renders every message for the orders in every locale and channel, CSS inlined, and
    checks the output.  Exit status 0 when nothing is wrong (warnings allowed unless
    --strict), 1 when a rule is broken, 2 for unusable arguments.
    """
    from .checks import check_templates  # the check loads lxml and tinycss2 only when run

    if seller_path is None and Path(DEFAULT_SELLER_FILE).is_file():
        seller_path = Path(DEFAULT_SELLER_FILE)
    try:
        seller = load_seller(seller_path) if seller_path is not None else sample_seller()
        report = check_templates(
            templates,
            orders=orders_path,
            seller=seller,
            locales=locales or None,
            channels=channels or None,
            messages=messages or None,
        )
    except (SellerCommsError, ValueError) as exc:
        raise UsageProblem(exc.show() if isinstance(exc, SellerCommsError) else str(exc)) from None
    if output_format == "json":
        click.echo(report.to_json(strict=strict), nl=False)
    else:
        click.echo(report.to_text(strict=strict), nl=False)
    sys.exit(report.exit_code(strict=strict))


@cli.group()
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
    weeks: int,
    templates: Path | None,
) -> None:
    """Weekly feedback figures against the targets, and every bad feedback triaged.

    FILE is Amazon's feedback report (tab-separated) or a CSV with the columns date, rating,
    comment, order_id.  Each row that cannot be read is one line on stderr; the report is
    still produced, with status 1.
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


@cli.command()
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A template folder to preview over the built-in templates.",
)
@click.option(
    "--orders",
    "orders_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Orders to preview (default: the built-in sample orders).",
)
@click.option(
    "--seller",
    "seller_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=f"Seller profile (default: ./{DEFAULT_SELLER_FILE} if it exists, else the sample seller).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Loopback address to listen on: 127.0.0.1, ::1 or localhost.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8025,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
def preview(
    templates: Path | None,
    orders_path: Path | None,
    seller_path: Path | None,
    host: str,
    port: int,
    open_browser: bool,
) -> None:
    """Show every message in a local web page that updates whenever a file is saved."""
    import webbrowser

    # Imported here: the web server is loaded for this command only.
    from .preview import PreviewServer, Sources

    if seller_path is None and Path(DEFAULT_SELLER_FILE).is_file():
        seller_path = Path(DEFAULT_SELLER_FILE)
    sources = Sources(templates=templates, orders=orders_path, seller=seller_path)
    try:
        server = PreviewServer(sources, host=host, port=port)
    except (ValueError, OSError) as error:
        raise UsageProblem(str(error)) from None
    for problem in server.workspace.snapshot().problems:
        click.echo(f"{problem.title}: {problem.message} (shown in the page too)", err=True)
    click.echo(f"Previewing at {server.url} (Ctrl+C to stop)")
    if open_browser:
        webbrowser.open(server.url)
    # uvicorn raises Ctrl+C again once it has shut down cleanly: that is the normal way out.
    with suppress(KeyboardInterrupt):
        server.run()


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
