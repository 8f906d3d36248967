"""A Dask cluster as the executor of a batch: ``--scheduler ADDRESS`` on the command line.

Dask is optional (``pip install 'sellercomms[dask]'``) and imported only here, when asked for.
"""

from __future__ import annotations

import concurrent.futures
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Final

from .exceptions import RenderError

__all__ = ["ClusterExecutor", "cluster_executor"]

_LOCAL: Final = re.compile(r"local:(?P<workers>[1-9][0-9]{0,2})")
# Seconds to reach a scheduler: one that answers does so at once.
_CONNECT_TIMEOUT: Final = "10s"


@dataclass(frozen=True, slots=True)
class ClusterExecutor:
    """An executor that sends work to a Dask cluster, and how many workers it has."""

    executor: concurrent.futures.Executor
    workers: int


@contextmanager
def cluster_executor(address: str) -> Iterator[ClusterExecutor]:
    """An executor on the Dask scheduler at ``address`` for the duration of the block.

    ``local:N`` starts a ``LocalCluster`` of N worker processes (one thread each) on this
    machine instead, and stops it afterwards.  Raises :class:`RenderError` when Dask is not
    installed or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RenderError("a scheduler needs Dask: pip install 'sellercomms[dask]'") from None
    local = _LOCAL.fullmatch(address)
    if local is None and address.startswith("local:"):
        raise RenderError(f"{address}: local:N needs a number of workers from 1 to 999")
    with ExitStack() as stack:
        try:
            if local is not None:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=int(local["workers"]),
                        threads_per_worker=1,
                        processes=True,
                        # The scheduler's web server always starts: on a free port of
                        # 127.0.0.1, so that two clusters never collide.
                        host="127.0.0.1",
                        dashboard_address=":0",
                    )
                )
                client = stack.enter_context(Client(cluster))
            else:
                client = stack.enter_context(Client(address, timeout=_CONNECT_TIMEOUT))
        except OSError as error:
            raise RenderError(f"no Dask scheduler at {address}: {error}") from None
        workers = len(client.scheduler_info()["workers"])
        if workers == 0:
            raise RenderError(f"the Dask scheduler at {address} has no workers")
        # Not pure: two shards are never the same work, so Dask need not hash the orders.
        yield ClusterExecutor(client.get_executor(pure=False), workers)
