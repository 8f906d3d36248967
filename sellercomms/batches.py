"""E-mails for many orders on every core, in input order, with each failure in its place.

Orders are cut into chunks as the packing slips are (chunks.py); with ``jobs > 1`` worker
processes render the chunks, a few in flight at a time, and the results are taken in input
order.  A render error travels back as the error itself, in the order's place.  Any other
executor (a Dask cluster) gets shards that carry the setup's
:class:`~sellercomms.spec.RenderSpec` instead, since its workers share nothing with us.

Workers are forked from the caller where that is safe (Linux, and no other thread that
could hold a lock at the moment of the fork): they start at once, with the caller's
compiled templates and loaded locale data.  Elsewhere they are spawned, as the slip workers
are, and each builds its composer again from the seller and the template folder.

Forked workers of a batch given as a list or tuple also hold its orders already: they are
sent only the positions of their chunk, not the orders pickled (which cost about 5 % of a
batch of shipping confirmations on two cores; docs/performance.md).  Any other iterable
streams, its orders sent with each chunk.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from pathlib import Path
from threading import Lock
from typing import Any, Final

from .chunks import (
    CHUNK_ORDERS,
    can_fork,
    chunk_ranges,
    numbered_chunks,
    results_in_order,
    worker_pool,
)
from .composer import EmailComposer
from .exceptions import SellerCommsError
from .inlining import InlinerName
from .mail import RenderedEmail
from .message_data import MessageData
from .models import Order, Seller
from .orphans import exit_with_parent
from .spec import RenderSetup, RenderSpec, prepared_setup

__all__ = ["EmailResult", "render_email_shard", "render_emails"]

#: What a batch yields for each order: its e-mail, or the error that stopped it.
EmailResult = RenderedEmail | SellerCommsError

_Numbered = list[tuple[int, Order]]
# A chunk as it travels to a worker: its (position, order) pairs, or only the positions
# where the worker holds the orders already.
_Chunk = _Numbered | range
_Data = MessageData | Mapping[str, Any] | None
# Composers a process keeps for shards: one per spec in use.
_COMPOSERS_KEPT: Final = 4


def render_emails(
    composer: EmailComposer,
    orders: Iterable[Order],
    template: str,
    *,
    locale: str | None = None,
    channel: str | None = None,
    data: _Data = None,
    jobs: int = 1,
    executor: concurrent.futures.Executor | None = None,
    workers: int | None = None,
) -> Iterator[EmailResult]:
    """The e-mail ``template`` for each of ``orders``, in input order (see Renderer.emails)."""
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    message = (template, locale, channel, data)
    if executor is not None:
        # Another engine: the work carries the setup's spec, as slip shards do.
        spec = RenderSpec.of(composer.setup)
        parallel = workers or jobs
        shards = numbered_chunks(orders, parallel, CHUNK_ORDERS)
        calls = ((render_email_shard, (spec, shard, *message)) for shard in shards)
        for results in results_in_order(executor, calls, parallel):
            yield from results
        return
    fork = can_fork()
    shared: Sequence[Order] = orders if fork and isinstance(orders, list | tuple) else ()
    chunks: Iterator[_Chunk] = (
        chunk_ranges(len(shared), jobs, CHUNK_ORDERS)
        if shared
        else numbered_chunks(orders, jobs, CHUNK_ORDERS)
    )
    # Only the first chunks are read to size the pool; the rest stream from the input.
    first = list(islice(chunks, jobs))
    pool_size = min(jobs, len(first))
    if pool_size <= 1:
        for chunk in chain(first, chunks):
            yield from _render_chunk(composer, _numbered(chunk, shared), *message)
        return
    with _pool(composer, pool_size, fork, shared) as pool:
        work = ((_render_in_worker, (chunk, *message)) for chunk in chain(first, chunks))
        in_order = results_in_order(pool, work, pool_size)
        for results in in_order:
            yield from results


def render_email_shard(
    spec: RenderSpec,
    chunk: _Numbered,
    template: str,
    locale: str | None = None,
    channel: str | None = None,
    data: _Data = None,
) -> list[EmailResult]:
    """The e-mails of ``chunk`` ((position, order) pairs), rendered wherever this runs.

    The setup of ``spec`` is prepared once per process; each order's result is its e-mail
    or its error.
    """
    return _render_chunk(_composer_of(spec), chunk, template, locale, channel, data)


_composers: dict[str, EmailComposer] = {}
_composers_lock = Lock()


def _composer_of(spec: RenderSpec) -> EmailComposer:
    with _composers_lock:
        composer = _composers.get(spec.key)
        if composer is None:
            if len(_composers) >= _COMPOSERS_KEPT:
                _composers.clear()
            composer = _composers[spec.key] = EmailComposer(prepared_setup(spec))
        return composer


def _render_chunk(
    composer: EmailComposer,
    chunk: _Numbered,
    template: str,
    locale: str | None,
    channel: str | None,
    data: _Data,
) -> list[EmailResult]:
    results: list[EmailResult] = []
    for _, order in chunk:
        try:
            results.append(
                composer.email(template, order, locale=locale, channel=channel, data=data)
            )
        except SellerCommsError as error:
            results.append(error)
    return results


def _numbered(chunk: _Chunk, orders: Sequence[Order]) -> _Numbered:
    """The (position, order) pairs of ``chunk``, taken from ``orders`` if it holds only
    their positions."""
    return (
        [(position, orders[position]) for position in chunk] if isinstance(chunk, range) else chunk
    )


def _pool(
    composer: EmailComposer, workers: int, fork: bool, shared: Sequence[Order]
) -> concurrent.futures.ProcessPoolExecutor:
    # Forked workers inherit the composer (and the batch's orders) as they are; spawned
    # ones build their own composer.
    setup = composer.setup
    return worker_pool(
        workers,
        fork=fork,
        inherit=(_adopt_composer, (composer, shared)),
        rebuild=(
            _build_composer,
            (setup.seller, setup.templates, setup.inliner, setup.inline_css),
        ),
    )


_worker: EmailComposer | None = None
_worker_orders: Sequence[Order] = ()


def _adopt_composer(composer: EmailComposer, orders: Sequence[Order] = ()) -> None:
    global _worker, _worker_orders
    exit_with_parent()
    _worker, _worker_orders = composer, orders


def _build_composer(
    seller: Seller, templates: Path | None, inliner: InlinerName, inline_css: bool
) -> None:
    setup = RenderSetup.create(seller, templates, inliner=inliner, inline_css=inline_css)
    _adopt_composer(EmailComposer(setup))


def _render_in_worker(
    chunk: _Chunk, template: str, locale: str | None, channel: str | None, data: _Data
) -> list[EmailResult]:
    # Errors travel back pickled as they are (SellerCommsError.__reduce__).
    assert _worker is not None, "worker not started"
    return _render_chunk(_worker, _numbered(chunk, _worker_orders), template, locale, channel, data)
