"""The e-mail renders of a check on several cores, their findings recorded in check order.

Rendering and checking an e-mail is nearly all of a check's time, and each is independent of
the others.  Worker processes take the renders of one message × channel × order (all its
locales) at a time and send back what each render found; the checker records it in the same
order it would have found it itself, so the report is the same, finding for finding and in
the same order, whatever the number of workers.

Workers are forked from the caller where that is safe (Linux, and no other thread running),
starting with its checker as it is; elsewhere they are spawned and each builds the checker
again with the caller's ``rebuild``.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from ..channels import ChannelRules
from ..chunks import can_fork, results_in_order, worker_pool
from ..exceptions import SellerCommsError
from ..messages import email_template_files
from ..orphans import exit_with_parent
from ..renderer import Renderer
from .renders import Rendered
from .sources import Sources

__all__ = ["rendered_in_workers"]

# The work of one task: (message, channel name, index of the order, the message's data).
_Task = tuple[str, str, int, Mapping[str, Any] | None]


class _Checker(Protocol):
    """What the workers use of a :class:`~sellercomms.checks.runner.Checker`."""

    renderer: Renderer
    sources: Sources
    messages: tuple[str, ...]

    def _email_renders(
        self,
    ) -> Iterator[tuple[str, ChannelRules, int, Mapping[str, Any] | None]]: ...

    def _render_in_worker(
        self, message: str, channel_name: str, index: int, data: Mapping[str, Any] | None
    ) -> list[Rendered]: ...


@contextlib.contextmanager
def rendered_in_workers(
    checker: _Checker, jobs: int, *, rebuild: Callable[[], _Checker]
) -> Iterator[Iterator[Rendered]]:
    """Within the block, every e-mail render of ``checker``, made by ``jobs`` workers, in the
    order the checker makes them (see ``Checker._email_renders``).

    ``rebuild`` makes the same checker again in a spawned worker: it must pickle.
    """
    tasks = [
        (_render_task, ((message, channel.name, index, data),))
        for message, channel, index, data in checker._email_renders()
    ]
    workers = max(1, min(jobs, len(tasks)))
    with _pool(checker, workers, rebuild) as pool:
        # Every task is queued at once (their results are small): the workers go on
        # rendering while the checker does its own part (packing slips, the large order).
        batches = results_in_order(pool, tasks, len(tasks))
        yield (rendered for batch in batches for rendered in batch)


def _pool(
    checker: _Checker, workers: int, rebuild: Callable[[], _Checker]
) -> concurrent.futures.ProcessPoolExecutor:
    fork = can_fork()
    if fork:
        # Forked workers inherit the checker as it is: compile first, so they share it.
        _compile_templates(checker)
    return worker_pool(
        workers, fork=fork, inherit=(_adopt, (checker,)), rebuild=(_build, (rebuild,))
    )


def _compile_templates(checker: _Checker) -> None:
    """Compile every template the e-mails pull in, so that forked workers share them instead
    of each compiling its own; a template that fails to compile fails again in its render."""
    environment = checker.renderer.environment
    emails = (message for message in checker.messages if message != "packing_slip")
    for message in emails:
        for name in email_template_files(message):
            for member in checker.sources.chain(name):
                with contextlib.suppress(SellerCommsError):
                    environment.get(member)


_worker: _Checker | None = None


def _adopt(checker: _Checker) -> None:
    global _worker
    exit_with_parent()
    _worker = checker


def _build(rebuild: Callable[[], _Checker]) -> None:
    _adopt(rebuild())


def _render_task(task: _Task) -> list[Rendered]:
    assert _worker is not None, "worker not started"
    return _worker._render_in_worker(*task)
