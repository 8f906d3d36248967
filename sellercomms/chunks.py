"""Orders cut into numbered chunks for workers, the chunks' results taken in order, and the
process pools that run them here.

Chunks and results read only as far ahead as the workers need, so a batch of any size streams.
"""

from __future__ import annotations

import concurrent.futures
import math
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Final, TypeVar

from .exceptions import RenderError

__all__ = [
    "CHUNK_ORDERS",
    "IN_FLIGHT_PER_WORKER",
    "can_fork",
    "chunk_ranges",
    "default_jobs",
    "numbered_chunks",
    "results_in_order",
    "worker_pool",
]

#: Orders per chunk.  A chunk of packing slips stays laid out in memory until it is written
#: (about 4 MB per slip); smaller chunks would use less memory but embed the fonts more
#: often, which costs time and file size.
CHUNK_ORDERS: Final = 25

#: A pool worker's initializer and its arguments.
Initializer = tuple[Callable[..., None], tuple[Any, ...]]

#: Chunks waiting per worker: enough to keep every worker busy, few enough that finished
#: results do not queue up on the caller while an earlier one is still being worked on.
IN_FLIGHT_PER_WORKER = 2

T = TypeVar("T")


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def numbered_chunks(orders: Iterable[T], workers: int, size: int) -> Iterator[list[tuple[int, T]]]:
    """Chunks of at most ``size`` (0-based input position, order) pairs, in input order.

    A batch too small to give every one of ``workers`` a full chunk is split evenly, so each
    gets a share; only that much is read ahead, so any batch streams.

    >>> [len(chunk) for chunk in numbered_chunks(range(5), workers=2, size=25)]
    [3, 2]
    >>> [len(chunk) for chunk in numbered_chunks(range(60), workers=2, size=25)]
    [25, 25, 10]
    """
    numbered = enumerate(orders)
    head = list(islice(numbered, workers * size))
    share = _head_share(len(head), workers, size)
    for start in range(0, len(head), share):
        yield head[start : start + share]
    while chunk := list(islice(numbered, size)):
        yield chunk


def chunk_ranges(length: int, workers: int, size: int) -> Iterator[range]:
    """The input positions of each chunk :func:`numbered_chunks` makes of ``length`` orders.

    >>> [len(chunk) for chunk in chunk_ranges(5, workers=2, size=25)]
    [3, 2]
    >>> list(chunk_ranges(60, workers=2, size=25))
    [range(0, 25), range(25, 50), range(50, 60)]
    """
    head = min(length, workers * size)
    share = _head_share(head, workers, size)
    for start in range(0, head, share):
        yield range(start, min(start + share, head))
    for start in range(head, length, size):
        yield range(start, min(start + size, length))


def _head_share(head: int, workers: int, size: int) -> int:
    # The first chunks are split evenly when there are too few orders for a full one each.
    return max(1, min(size, math.ceil(head / workers)))


def results_in_order(
    executor: concurrent.futures.Executor,
    calls: Iterable[tuple[Callable[..., T], tuple[Any, ...]]],
    workers: int,
) -> Generator[T, None, None]:
    """The result of each ``(function, arguments)`` of ``calls``, run on ``executor``, in
    the order of ``calls``; at most ``workers`` × :data:`IN_FLIGHT_PER_WORKER` at a time.

    Closing the generator early cancels what has not started.  A process pool whose worker
    died raises :class:`RenderError`; other engines (Dask) run the work again elsewhere.
    """
    pending: deque[concurrent.futures.Future[T]] = deque()
    try:
        for function, arguments in calls:
            pending.append(executor.submit(function, *arguments))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as exc:
        raise RenderError(f"a worker process stopped unexpectedly: {exc}") from None
    finally:
        for future in pending:
            future.cancel()


def can_fork() -> bool:
    """Whether worker processes may be forked from this one.

    Only on Linux and only while no other thread runs: then no lock is held mid-operation
    when the process is copied, and the workers start at once with what the caller has
    (compiled templates, a prepared renderer).
    """
    return sys.platform == "linux" and threading.active_count() == 1


def worker_pool(
    workers: int, *, fork: bool, inherit: Initializer, rebuild: Initializer
) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of ``workers`` processes, forked and set up by ``inherit`` if ``fork`` (which
    only :func:`can_fork` may allow), else spawned and set up by ``rebuild`` (which must
    rebuild the state from picklable arguments)."""
    initializer, initargs = inherit if fork else rebuild
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
        initializer=initializer,
        initargs=initargs,
    )
