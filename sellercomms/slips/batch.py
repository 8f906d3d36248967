"""Packing-slip batches in shards, on this process, a process pool or any other executor.

A shard is a :class:`~sellercomms.spec.RenderSpec` and a chunk of (position, order) pairs;
:func:`render_slip_shard` renders one wherever it runs and returns a :class:`ShardResult`.
:func:`write_slips` cuts a batch into shards as it reads the orders, keeps a bounded number
in flight on an executor (a :class:`concurrent.futures.ProcessPoolExecutor` for ``jobs``, or
any :class:`concurrent.futures.Executor` given, such as Dask's
``distributed.Client.get_executor()``), and joins their results in input order with
:func:`join_slip_shards` as they arrive, so memory stays flat for any batch size.
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext
from pathlib import Path
from typing import IO, Final

from ..chunks import CHUNK_ORDERS, numbered_chunks, results_in_order
from ..exceptions import RenderError
from ..models import Order
from ..orphans import exit_with_parent
from ..output import atomic_writer
from ..spec import RenderSetup, RenderSpec, prepared_setup
from .joiner import PdfJoiner
from .pages import PageSize, check_page_size
from .printer import SlipPrinter
from .results import LogRecord, ShardResult, SlipBatch, SlipFailure

__all__ = ["Target", "join_slip_shards", "open_target", "render_slip_shard", "write_slips"]

#: Where the slips go: a path (written atomically) or a binary file object.
Target = str | os.PathLike[str] | IO[bytes]

# Printers a thread keeps: one per page size and locale in use.
_PRINTERS_KEPT: Final = 8

_printers = threading.local()


def open_target(target: Target) -> AbstractContextManager[IO[bytes]]:
    """``target`` as a file to write: a path is written atomically (``output.atomic_writer``)."""
    if isinstance(target, str | os.PathLike):
        return atomic_writer(Path(target))
    return nullcontext(target)


def render_slip_shard(
    spec: RenderSpec,
    orders: Sequence[tuple[int, Order]],
    *,
    page_size: PageSize = "letter",
    locale: str | None = None,
) -> ShardResult:
    """The slips of ``orders`` ((0-based input position, order) pairs) as PDF, rendered here.

    Picklable in and out, for any engine (Celery, Ray, Spark, Dask).  The setup of
    ``spec`` is prepared once per process and the printer once per thread; warnings logged
    while rendering travel back in the result.  An order that fails is a failure in the
    result, never an exception.
    """
    printer = _printer(spec, check_page_size(page_size), locale)
    with _captured_warnings() as records:
        result = printer.render_chunk(orders)
    result.records = records
    result.origin = os.getpid()
    return result


def join_slip_shards(
    results: Iterable[ShardResult],
    target: Target,
    *,
    title: str,
    author: str | None = None,
    on_error: Callable[[SlipFailure], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SlipBatch:
    """Join shard results, in the order given, into one PDF written to ``target``.

    A path is replaced atomically, only once every result was joined.  Each failure goes to
    ``on_error``; without it the first one is raised and nothing is written.  ``progress``
    gets the number of orders of each result.  Raises :class:`RenderError` when no result
    held a slip.
    """
    failures: list[SlipFailure] = []
    slips = pages = done = 0
    with open_target(target) as out:
        joiner = PdfJoiner(out, title=title, author=author)
        for result in results:
            if result.origin != os.getpid():  # logged over there, where nobody sees it
                for record in result.records:
                    logging.getLogger(record.name).log(record.level, "%s", record.message)
            for failure in result.failures:
                if on_error is None:
                    raise failure.error
                failures.append(failure)
                on_error(failure)
            for pdf, layout in zip(result.pdfs, result.layouts, strict=True):
                pages += joiner.append(pdf, layout)
            slips += result.slips
            done += result.orders
            if progress is not None:
                progress(result.orders)
        if slips == 0:
            raise RenderError("no packing slip was produced")
        joiner.close()
    return SlipBatch(
        orders=done - len(failures), slips=slips, pages=pages, failures=tuple(failures)
    )


def write_slips(
    setup: RenderSetup,
    orders: Iterable[Order],
    target: Target,
    *,
    page_size: PageSize = "letter",
    jobs: int = 1,
    executor: concurrent.futures.Executor | None = None,
    workers: int | None = None,
    locale: str | None = None,
    on_error: Callable[[SlipFailure], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SlipBatch:
    """Write one PDF with the packing slips of ``orders``, in input order, to ``target``.

    With ``executor`` the shards run there (``workers`` says how many run at once, default
    ``jobs``); else with ``jobs > 1`` on a pool of worker processes, else here.  Orders are
    read from ``orders`` as shards are sent, not all first.  See :func:`join_slip_shards`
    for ``on_error``, ``progress`` and errors.
    """
    size = check_page_size(page_size)
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    parallel = (workers or jobs) if executor is not None else jobs
    chunks = numbered_chunks(orders, parallel, CHUNK_ORDERS)
    if executor is None and jobs == 1:
        printer = SlipPrinter(setup, page_size=size, locale=locale)
        results = (printer.render_chunk(chunk) for chunk in chunks)
    else:
        spec = RenderSpec.of(setup)
        results = _sent(executor, jobs, spec, chunks, parallel, page_size=size, locale=locale)
    # closing(): when a failure is raised, the workers stop now, not when collected.
    with closing(results):
        return join_slip_shards(
            results,
            target,
            title=f"Packing slips – {setup.seller.name}",
            author=setup.seller.name,
            on_error=on_error,
            progress=progress,
        )


def _sent(
    executor: concurrent.futures.Executor | None,
    jobs: int,
    spec: RenderSpec,
    chunks: Iterator[list[tuple[int, Order]]],
    workers: int,
    *,
    page_size: PageSize,
    locale: str | None,
) -> Generator[ShardResult, None, None]:
    """Results of ``chunks`` rendered on ``executor`` (or a process pool), in input order."""
    render = functools.partial(render_slip_shard, page_size=page_size, locale=locale)
    with _executor(executor, jobs) as pool:
        yield from results_in_order(pool, ((render, (spec, chunk)) for chunk in chunks), workers)


@contextmanager
def _executor(
    given: concurrent.futures.Executor | None, jobs: int
) -> Iterator[concurrent.futures.Executor]:
    if given is not None:  # the caller's: it shuts it down
        yield given
        return
    # "spawn": a forked child would inherit the caller's threads and locks (and WeasyPrint's
    # fontconfig state) in whatever state they were in.
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
    ) as pool:
        yield pool


def _start_worker() -> None:
    exit_with_parent()
    # Warnings travel back with each result and are logged by the parent, where logging is
    # configured; the worker itself prints nothing.
    for name in ("sellercomms", "weasyprint"):
        logging.getLogger(name).propagate = False


def _printer(spec: RenderSpec, page_size: PageSize, locale: str | None) -> SlipPrinter:
    kept: dict[tuple[str, str, str | None], SlipPrinter] = getattr(_printers, "kept", None) or {}
    _printers.kept = kept
    key = (spec.key, page_size, locale)
    printer = kept.get(key)
    if printer is None:
        if len(kept) >= _PRINTERS_KEPT:
            kept.clear()
        printer = kept[key] = SlipPrinter(prepared_setup(spec), page_size=page_size, locale=locale)
    return printer


class _Collect(logging.Handler):
    """Keeps the warnings one thread logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.records: list[LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(LogRecord(record.name, record.levelno, record.getMessage()))


@contextmanager
def _captured_warnings() -> Iterator[list[LogRecord]]:
    collect = _Collect()
    loggers = [logging.getLogger(name) for name in ("sellercomms", "weasyprint")]
    for each in loggers:
        each.addHandler(collect)
    try:
        yield collect.records
    finally:
        for each in loggers:
            each.removeHandler(collect)
