"""``sellercomms render email`` and ``render slips``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from ..channels import CHANNELS
from ..exceptions import RenderError, SellerCommsError, TemplateError
from ..models import Order
from ..pdf import SlipBatch, SlipFailure, default_jobs
from ..renderer import Renderer
from ..slips import PAGE_SIZES, PageSize
from .common import (
    BatchReport,
    UsageProblem,
    indexed_orders,
    locale_option,
    make_renderer,
    orders_option,
    read_data,
    resolve_seller,
    seller_option,
    templates_option,
    write_email_files,
)


@click.group()
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
