"""``sellercomms render email`` and ``render slips``."""

from __future__ import annotations

import functools
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import ParamSpec, TypeVar

import click

from ..channels import CHANNELS
from ..chunks import default_jobs
from ..cluster import cluster_executor
from ..exceptions import RenderError, SellerCommsError, TemplateError
from ..messages import EMAIL_TEMPLATES, email_template_files
from ..models import Order
from ..output import prepare_folder
from ..renderer import Renderer
from ..slips import PAGE_SIZES, PageSize, SlipBatch, SlipFailure
from .common import (
    BatchReport,
    UsageProblem,
    check_locale,
    counted,
    indexed_orders,
    locale_option,
    make_renderer,
    orders_option,
    platform_option,
    read_data,
    resolve_seller,
    seller_option,
    templates_option,
    write_email_files,
)

P = ParamSpec("P")
R = TypeVar("R")


def exits_on_sigterm(command: Callable[P, R]) -> Callable[P, R]:
    """Run ``command`` with SIGTERM turned into a clean exit with status 143 (128 + 15).

    Killed outright, the process would leave its temporary files behind; raised as
    :class:`SystemExit`, the signal lets every ``finally`` block run, so the file being
    written is removed and a set of files half renamed is put back.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        # Only the main thread may set signal handlers (in-process callers may be elsewhere).
        if threading.current_thread() is not threading.main_thread():
            return command(*args, **kwargs)
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            return command(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)

    return run


def _stop(signum: int, frame: FrameType | None) -> None:
    click.echo(f"stopped by {signal.Signals(signum).name}", err=True)
    raise SystemExit(128 + signum)


def output_folder(folder: Path) -> Path:
    """``folder``, ready for output files (:func:`~sellercomms.output.prepare_folder`).

    Exit 2 when no file can be written there at all.
    """
    try:
        return prepare_folder(folder)
    except OSError as error:
        raise UsageProblem(f"{folder}: {error.strerror or error}; nothing written") from None


def cannot_write(error: OSError, path: Path) -> str:
    """``<file>: <why>`` for an output file that could not be written."""
    return f"{error.filename or path}: {error.strerror or error}"


@dataclass(frozen=True, slots=True)
class Engine:
    """Where a batch runs: ``jobs`` worker processes, or an ``executor`` of ``workers``."""

    jobs: int = 1
    executor: Executor | None = None
    workers: int | None = None


@contextmanager
def batch_engine(scheduler: str | None, jobs: int | None) -> Iterator[Engine]:
    """The engine of ``--scheduler`` (a Dask cluster, for the block) or of ``--jobs``."""
    if scheduler is None:
        yield Engine(jobs=jobs or default_jobs())
        return
    if jobs is not None:
        raise UsageProblem("--jobs and --scheduler: give one of them")
    with ExitStack() as stack:
        try:
            cluster = stack.enter_context(cluster_executor(scheduler))
        except RenderError as error:
            raise UsageProblem(f"--scheduler {scheduler}: {error}") from None
        yield Engine(executor=cluster.executor, workers=cluster.workers)


def report_missing(
    order_ids: Sequence[str], found: set[str], orders_path: Path, report: BatchReport
) -> None:
    """A failure line for each ``--order-id`` that is not in the orders file."""
    for missing in dict.fromkeys(order_ids):
        if missing not in found:
            report.failures.append(missing)
            click.echo(f"order {missing}: --order-id: not in {orders_path}", err=True)


def check_email_template(renderer: Renderer, template: str) -> None:
    """Exit 2 unless the templates of e-mail ``template`` exist, before any order is read."""
    for name in email_template_files(template):
        if not renderer.environment.exists(name):
            raise UsageProblem(
                f"no message {template!r} to render as e-mail: no template {name} "
                f"(built-in e-mails: {', '.join(EMAIL_TEMPLATES)})"
            )


scheduler_option = click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Render on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), or on "
    "local:N, N worker processes started here; needs sellercomms[dask] (docs/scaling.md).",
)
order_id_option = click.option(
    "--order-id",
    "order_ids",
    multiple=True,
    help="Render only the order with this id (repeat for more); default: every order.",
)


@click.group()
def render() -> None:
    """Render messages for a file of orders."""


@render.command("email", epilog=f"Built-in messages: {', '.join(EMAIL_TEMPLATES)}.")
@click.argument("template")
@orders_option
@platform_option
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
@order_id_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for <order_id>.eml, .html and .txt.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes that render e-mails in parallel (default: the number of cores).",
)
@scheduler_option
@exits_on_sigterm
def render_email(
    template: str,
    orders_path: Path,
    platform: str | None,
    seller_path: Path | None,
    templates: Path | None,
    locale: str | None,
    channel: str | None,
    data_path: Path | None,
    order_ids: tuple[str, ...],
    out: Path,
    jobs: int | None,
    scheduler: str | None,
) -> None:
    """Render e-mail TEMPLATE for every order (or the orders named by --order-id).

    TEMPLATE is a built-in message (listed below) or one of your own in --templates.
    """
    renderer = make_renderer(resolve_seller(seller_path), templates)
    check_email_template(renderer, template)
    texts = check_locale(renderer, locale)
    data = read_data(data_path)
    report = BatchReport()
    found: set[str] = set()
    # The orders handed to the renderer, with their input positions, oldest first: the
    # results come back in the same order.
    chosen: deque[tuple[int, Order]] = deque()

    def selected() -> Iterator[Order]:
        for index, order in indexed_orders(orders_path, report, platform=platform, required=True):
            if not found:
                # Only now: a missing or unreadable orders file must not leave an empty folder.
                output_folder(out)
            if order_ids and order.order_id not in order_ids:
                continue
            found.add(order.order_id)
            chosen.append((index, order))
            yield order

    with batch_engine(scheduler, jobs) as engine:
        results = renderer.emails(
            selected(),
            template,
            locale=locale,
            channel=channel,
            data=data,
            jobs=engine.jobs,
            executor=engine.executor,
            workers=engine.workers,
        )
        for result in results:
            index, order = chosen.popleft()
            try:
                if isinstance(result, SellerCommsError):
                    raise result
                write_email_files(out, result)
            except SellerCommsError as error:
                report.fail(error, order.order_id, index)
            except OSError as error:
                report.fail(RenderError(cannot_write(error, out)), order.order_id, index)
            else:
                report.done += 1
    report_missing(order_ids, found, orders_path, report)
    click.echo(f"{counted(report.done, 'e-mail')} written to {out}{texts}")
    sys.exit(report.exit_code)


@render.command("slips")
@orders_option
@platform_option
@seller_option
@templates_option
@locale_option
@click.option(
    "--page-size",
    type=click.Choice(list(PAGE_SIZES), case_sensitive=False),
    default="letter",
    show_default=True,
    help="Paper: US Letter, A4, or 4x6 in thermal labels.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes that render slips in parallel (default: the number of cores).",
)
@scheduler_option
@order_id_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The PDF file to write: one slip per parcel, in the order of the input.",
)
@exits_on_sigterm
def render_slips(
    orders_path: Path,
    platform: str | None,
    seller_path: Path | None,
    templates: Path | None,
    locale: str | None,
    page_size: PageSize,
    jobs: int | None,
    scheduler: str | None,
    order_ids: tuple[str, ...],
    out: Path,
) -> None:
    """Render the packing slips of every order (or those named by --order-id) into one PDF."""
    renderer = make_renderer(resolve_seller(seller_path), templates)
    texts = check_locale(renderer, locale)
    report = BatchReport()
    found: set[str] = set()

    def selected() -> Iterator[tuple[int, Order]]:
        # Read as the slips are made, so memory stays flat for any number of orders.
        for index, order in indexed_orders(orders_path, report, platform=platform, required=True):
            if not order_ids or order.order_id in order_ids:
                found.add(order.order_id)
                yield index, order

    output_folder(out.parent)
    with batch_engine(scheduler, jobs) as engine:
        batch = print_slips(
            renderer,
            selected(),
            out,
            page_size=page_size,
            locale=locale,
            report=report,
            engine=engine,
        )
    report_missing(order_ids, found, orders_path, report)
    if batch is not None:
        click.echo(f"{slips_written(batch)} to {out}{texts}")
    sys.exit(report.exit_code)


def slips_written(batch: SlipBatch) -> str:
    """``3 packing slips (4 pages) written``."""
    return f"{counted(batch.slips, 'packing slip')} ({counted(batch.pages, 'page')}) written"


#: Batches of at least this many orders show a progress bar (on a terminal).
PROGRESS_FROM = 50


def print_slips(
    renderer: Renderer,
    orders: Iterable[tuple[int, Order]],
    out: Path,
    *,
    page_size: PageSize,
    locale: str | None,
    report: BatchReport,
    engine: Engine,
    total: int | None = None,
) -> SlipBatch | None:
    """Write the slips of ``orders`` (input position, order) to ``out``; ``None`` if none.

    ``total``, the number of orders when known, shows a progress bar on a terminal.
    """
    positions: list[int] = []

    def streamed() -> Iterator[Order]:
        for index, order in orders:
            positions.append(index)
            yield order

    def failed(failure: SlipFailure) -> None:
        error = failure.error
        if isinstance(error, TemplateError) and error.exit_code == 2:
            raise UsageProblem(error.show())
        report.fail(error, failure.order_id, positions[failure.position])

    with progress_bar(total, "Packing slips") as advance:
        try:
            batch = renderer.write_packing_slips(
                streamed(),
                out,
                page_size=page_size,
                jobs=engine.jobs,
                executor=engine.executor,
                workers=engine.workers,
                locale=locale,
                on_error=failed,
                progress=advance,
            )
        except (RenderError, OSError) as error:
            line = cannot_write(error, out) if isinstance(error, OSError) else f"{out}: {error}"
            report.failures.append(line)
            click.echo(f"{line}; nothing written", err=True)
            return None
    report.done += batch.orders
    return batch


@contextmanager
def progress_bar(total: int | None, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long batches on a terminal, a count of the orders done
    when the total is not known; a no-op otherwise."""
    if not sys.stderr.isatty() or (total is not None and total < PROGRESS_FROM):
        yield lambda done: None
        return
    if total is None:
        done = 0

        def count(orders: int) -> None:
            nonlocal done
            done += orders
            click.echo(f"\r{label}: {done:,} orders", nl=False, err=True)

        yield count
        if done:
            click.echo(err=True)
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
